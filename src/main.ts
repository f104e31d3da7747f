// sabre-server entry point: `sabre-server [/path/to/redis.conf] [--directive value ...]`.

import * as os from 'node:os';
import { Config, ConfigError } from './config/config';
import { Logger } from './server/log';
import { Server, SABRE_VERSION } from './server/server';
import { REDIS_VERSION } from './commands/server_family';

/** Default layout per host: measured on 2 cores, see README "Layouts". */
export function defaultShards(cores: number): number {
  return cores <= 2 ? 0 : Math.min(cores - 1, 16);
}

export function main(argv: string[]): void {
  const config = new Config();
  try {
    if (argv.length > 0 && !argv[0].startsWith('--')) {
      config.loadFile(argv[0]);
      argv = argv.slice(1);
    }
    config.loadArgs(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = new Logger(config.str('loglevel'), config.str('logfile'));
  log.notice('oO0OoO0OoO0Oo Sabre is starting oO0OoO0OoO0Oo');
  log.notice(`Sabre version=${SABRE_VERSION}, redis_version=${REDIS_VERSION}, bits=64, pid=${process.pid}, node=${process.version}, just started`);
  if (config.file) log.notice(`Configuration loaded from ${config.file}`);
  for (const w of config.warnings) log.warning(w);
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const configured = config.num('shards');
  const shards = configured >= 0 ? configured : defaultShards(cores);
  const server = new Server(config, log, shards);
  server
    .listen()
    .then(() => {
      log.notice(`Running mode=standalone, port=${server.port}.`);
      log.notice(`Layout: ${server.backend.layout} (${cores} cores)`);
      log.notice('Server initialized');
      log.notice('Ready to accept connections tcp');
    })
    .catch((err: Error) => {
      log.warning(`Failed listening on port ${config.num('port')} (tcp), aborting: ${err.message}`);
      process.exit(1);
    });
  const stop = (sig: string) => () => server.shutdown(`Received ${sig} scheduling shutdown...`);
  process.on('SIGTERM', stop('SIGTERM'));
  process.on('SIGINT', stop('SIGINT'));
}

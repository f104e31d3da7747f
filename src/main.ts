// sabre-server entry point: `sabre-server [/path/to/redis.conf] [--directive value ...]`.

import * as fs from 'node:fs';
import * as os from 'node:os';
import { Config, ConfigError } from './config/config';
import { Logger } from './server/log';
import { Server, SABRE_VERSION } from './server/server';
import { REDIS_VERSION } from './commands/server_family';

/** Default layout per host: measured on 2 cores, see README "Layouts". */
export function defaultShards(cores: number): number {
  return cores <= 2 ? 0 : Math.min(cores - 1, 16);
}

const USAGE = `Usage: sabre-server [/path/to/redis.conf] [options] [-]
       sabre-server - (read config from stdin)
       sabre-server -v or --version
       sabre-server -h or --help

Examples:
       sabre-server (run the server with default conf)
       echo 'maxmemory 128mb' | sabre-server -
       sabre-server /etc/redis/6379.conf
       sabre-server --port 7777
       sabre-server --port 7777 --shards 2
       sabre-server /etc/myredis.conf --loglevel verbose -
`;

/** What `-v` prints: Redis's line shape (v= is the Redis version Sabre answers as), then Sabre's own. */
export function versionLine(): string {
  return `Sabre server v=${REDIS_VERSION} sabre=${SABRE_VERSION} node=${process.version} bits=64\n`;
}

/**
 * Load the configuration as redis-server does: a first argument not starting
 * with '-' is the config file; '-' as the first or last argument appends
 * stdin; then the --options. Later lines win.
 */
function loadConfig(config: Config, argv: string[], readStdin: () => string): void {
  let fromStdin = false;
  if (argv.length > 0 && argv[0] === '-') {
    fromStdin = true;
    argv = argv.slice(1);
  } else if (argv.length > 0 && !argv[0].startsWith('-')) {
    config.loadFile(argv[0]);
    argv = argv.slice(1);
  }
  if (argv.length > 0 && argv[argv.length - 1] === '-') {
    fromStdin = true;
    argv = argv.slice(0, -1);
  }
  if (fromStdin) config.loadText(readStdin());
  config.loadArgs(argv);
}

export function main(argv: string[]): void {
  // as redis-server: only as the first argument
  if (argv[0] === '-v' || argv[0] === '--version') {
    process.stdout.write(versionLine());
    process.exit(0);
  }
  if (argv[0] === '-h' || argv[0] === '--help') {
    process.stderr.write(USAGE);
    process.exit(1);
  }
  if (argv[0] === '--test-memory' || argv[0] === '--check-system') {
    process.stderr.write(`Sabre does not support ${argv[0]}\n`);
    process.exit(1);
  }
  const config = new Config();
  try {
    loadConfig(config, argv, () => fs.readFileSync(0, 'utf8'));
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

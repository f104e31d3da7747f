// Redis's error replies, byte for byte (clients parse them).
export const E = {
  syntax: 'ERR syntax error',
  notInt: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  noKey: 'ERR no such key',
  sameObject: 'ERR source and destination objects are the same',
  dbRange: 'ERR DB index is out of range',
  overflow: 'ERR increment or decrement would overflow',
  nanInf: 'ERR increment would produce NaN or Infinity',
  stringTooBig: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  offsetRange: 'ERR offset is out of range',
  invalidCursor: 'ERR invalid cursor',
  noAuth: 'NOAUTH Authentication required.',
  debugNotAllowed:
    'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  intRange: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  invalidExpire: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  arity: (cmd: string) => `ERR wrong number of arguments for '${cmd}' command`,
  /** a container command's subcommand that is unknown or has the wrong arity (Redis shows at most 128 bytes of it) */
  subcommand: (sub: string, cmd: string) => `ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try ${cmd} HELP.`,
};

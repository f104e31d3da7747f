// Argument docs for COMMAND DOCS: the argument tree Redis 7.0 documents for
// each command (name, type, key spec, token, since, flags, nested arguments),
// written as a small DSL in the family rows, e.g. SET's
//
//   [arg.key('key'), arg.str('value'), arg.oneof('condition ? @2.6.12', arg.tok('NX'), arg.tok('XX')), ...]
//
// Each helper takes one spec string: `[TOKEN] name` followed by modifiers.
//   ?         optional
//   *         multiple (the argument repeats: `name [name ...]`)
//   **        multiple, and the token repeats with it (`GET pattern [GET pattern ...]`)
//   @V        since version V
//   dep@V     deprecated since version V
//   #N        key_spec_index N: the key spec that finds this argument's keys
//             (key arguments default to 0; SORT's BY/GET patterns name one too)
// For a pure token the one word is the token and the name is its lower case:
// `arg.tok('NX')` is {name nx, token NX}; `arg.tok('CH change')` names it.
//
// Only COMMAND DOCS reads these: the rows' dispatch fields never refer to them.

export type ArgType = 'key' | 'string' | 'integer' | 'double' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';

/** Argument flags in the order Redis lists them. */
export const ARG_FLAGS = ['optional', 'multiple', 'multiple_token'] as const;
export type ArgFlag = (typeof ARG_FLAGS)[number];

export interface ArgDoc {
  name: string;
  type: ArgType;
  /** the index of the key spec that finds the key(s) this argument names */
  keySpecIndex?: number;
  token?: string;
  since?: string;
  deprecatedSince?: string;
  flags: ArgFlag[];
  /** the alternatives of a oneof, the parts of a block */
  args?: ArgDoc[];
}

/** A history note: [version, what changed]. */
export type HistoryEntry = readonly [string, string];

function parse(type: ArgType, spec: string, args?: ArgDoc[]): ArgDoc {
  const words: string[] = [];
  const doc: ArgDoc = { name: '', type, flags: [] };
  const flags = new Set<ArgFlag>();
  for (const w of spec.split(' ')) {
    if (w === '') continue;
    else if (w === '?') flags.add('optional');
    else if (w === '*') flags.add('multiple');
    else if (w === '**') flags.add('multiple').add('multiple_token');
    else if (w.startsWith('@')) doc.since = w.slice(1);
    else if (w.startsWith('dep@')) doc.deprecatedSince = w.slice(4);
    else if (w.startsWith('#')) doc.keySpecIndex = Number(w.slice(1));
    else words.push(w);
  }
  if (words.length === 2) [doc.token, doc.name] = words;
  else if (words.length === 1 && type === 'pure-token') [doc.token, doc.name] = [words[0], words[0].toLowerCase()];
  else if (words.length === 1) doc.name = words[0];
  else throw new Error(`bad argument spec: ${spec}`);
  if (type === 'key') doc.keySpecIndex ??= 0;
  doc.flags = ARG_FLAGS.filter((f) => flags.has(f));
  if (args) doc.args = args;
  return doc;
}

export const key = (spec: string): ArgDoc => parse('key', spec);
export const str = (spec: string): ArgDoc => parse('string', spec);
export const int = (spec: string): ArgDoc => parse('integer', spec);
export const dbl = (spec: string): ArgDoc => parse('double', spec);
export const pat = (spec: string): ArgDoc => parse('pattern', spec);
export const time = (spec: string): ArgDoc => parse('unix-time', spec);
export const tok = (spec: string): ArgDoc => parse('pure-token', spec);
/** exactly one of the alternatives */
export const oneof = (spec: string, ...alts: ArgDoc[]): ArgDoc => parse('oneof', spec, alts);
/** a group of arguments given together */
export const block = (spec: string, ...parts: ArgDoc[]): ArgDoc => parse('block', spec, parts);

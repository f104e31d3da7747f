// What a main-thread (connection/server) command handler sees.

import type { ReplyWriter } from '../protocol/reply';
import type { CommandSpec } from '../commands/table';
import type { Connection } from './connection';
import type { Server } from './server';
import { CommandArgs } from '../protocol/args';

export class MainContext extends CommandArgs {
  spec!: CommandSpec;
  conn!: Connection;

  constructor(
    readonly server: Server,
    readonly w: ReplyWriter,
  ) {
    super();
  }
}

/**
 * `coproduce …`: the operator's command line. It opens the same database and
 * builds the same services as the web app, migrates on first use, and audits
 * every change with via "cli".
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../lib/db/client.ts';
import { createServices, type Services } from '../services.ts';
import { ValidationError, ConflictError, NotFoundError } from '../lib/errors.ts';
import { UsageError, type CliCommand, type CliContext } from './command.ts';
import { commands as dbCommands } from './commands/db.ts';
import { commands as authorityCommands } from './commands/authorities.ts';
import { commands as userCommands } from './commands/users.ts';
import { commands as auditCommands } from './commands/audit.ts';
import { commands as catalogueCommands } from './commands/catalogue.ts';
import { commands as pbCommands } from './commands/pb.ts';
import { commands as spendCommands } from './commands/spend.ts';
import { commands as appraiseCommands } from './commands/appraise.ts';
import { commands as grantsCommands } from './commands/grants.ts';
import { commands as ocdsCommands } from './commands/ocds.ts';

import { commands as outcomesCommands } from './commands/outcomes.ts';

export const COMMANDS: CliCommand[] = [...dbCommands, ...authorityCommands, ...userCommands, ...auditCommands, ...catalogueCommands, ...pbCommands, ...spendCommands, ...appraiseCommands, ...grantsCommands, ...ocdsCommands, ...outcomesCommands];

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  stdin(): Promise<string>;
  env: Record<string, string | undefined>;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  stdin: async () => {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text;
  },
  env: process.env,
};

function help(io: CliIo) {
  io.out('Usage: coproduce <command> [options]\n');
  for (const c of COMMANDS) io.out(`  coproduce ${c.usage}\n      ${c.summary}`);
  io.out('\nThe database is the embedded one in ./data (or COPRODUCE_DATA_DIR), or the PostgreSQL server in DATABASE_URL.');
}

/** The longest command name that the arguments start with. */
function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | null {
  let best: { command: CliCommand; rest: string[] } | null = null;
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.command.name.split(' ').length)) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

/** A services object for commands that need no database: touching it is a programming error. */
const NO_SERVICES = new Proxy({} as Services, {
  get: () => {
    throw new Error('This command was declared not to need the database');
  },
});

/** And no configuration either: a pure command (`pb tally`, `appraise`) runs whatever the environment says. */
const NO_CONFIG = new Proxy({} as Config, {
  get: () => {
    throw new Error('This command was declared not to need the configuration');
  },
});

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0]!)) {
    help(io);
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`Unknown command: ${argv.join(' ')}. Run "coproduce help" for the list.`);
    return 2;
  }
  const { command, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\nUsage: coproduce ${command.usage}`);
    return 2;
  }

  let database: Database | undefined;
  try {
    const pure = command.needsDatabase === false;
    const config = pure ? NO_CONFIG : loadConfig(io.env);
    let services = NO_SERVICES;
    if (!pure) {
      database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      await database.migrate();
      services = createServices(database, config, pino({ level: 'silent' }));
    }
    const ctx: CliContext = { config, services, actor: { userId: null, role: 'operator', via: 'cli' }, out: io.out, err: io.err, stdin: io.stdin };
    return await command.run(ctx, parsed.values, parsed.positionals);
  } catch (err) {
    return reportError(err, command, io);
  } finally {
    await database?.close();
  }
}

function reportError(err: unknown, command: CliCommand, io: CliIo): number {
  if (err instanceof UsageError) {
    io.err(`${err.message}\nUsage: coproduce ${command.usage}`);
    return 2;
  }
  if (err instanceof ValidationError) {
    for (const [field, message] of Object.entries(err.fields)) io.err(`--${kebab(field)}: ${message}`);
    return 1;
  }
  if (err instanceof ConfigError || err instanceof ConflictError || err instanceof NotFoundError || err instanceof Error) {
    io.err(err.message);
    return 1;
  }
  io.err(String(err));
  return 1;
}

const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

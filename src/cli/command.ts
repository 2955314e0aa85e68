/**
 * What a CLI command is. Each module that offers commands exports a list of
 * these from src/cli/commands/<module>.ts; src/cli/main.ts finds them by name.
 * Commands run on the same services as the web app, with a CLI actor.
 */
import fs from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';

export interface CliContext {
  config: Config;
  services: Services;
  /** The CLI acts as the platform operator: audited with via "cli". */
  actor: Actor;
  /** Normal output (stdout). */
  out(line: string): void;
  /** Problems and progress (stderr). */
  err(line: string): void;
  /** Everything piped to standard input, e.g. a password that must not appear in the process list. */
  stdin(): Promise<string>;
}

export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliCommand {
  /** Words that name it, e.g. "catalogue import". */
  name: string;
  /** One-line usage, shown by `coproduce help`, e.g. "catalogue import FILE --authority SLUG [--accept-partial] [--json]". */
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  /** Whether the command needs the database (all but a few pure ones such as `pb tally`). */
  needsDatabase?: boolean;
  /** Returns the process exit code: 0 done, 1 refused or failed (with a message on stderr). */
  run(ctx: CliContext, values: CliValues, positionals: string[]): Promise<number>;
}

/** A user mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function requireString(values: CliValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

/** A named input file's bytes, or null once it has said on stderr why the file cannot be read. */
export function readInputFile(ctx: Pick<CliContext, 'err'>, file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    ctx.err(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return null;
  }
}

/**
 * What every `… import FILE --authority SLUG` command starts with: one file named, the authority
 * it goes to, and the file's bytes (null, with the reason said, when it cannot be read).
 */
export async function importFileFor(ctx: CliContext, values: CliValues, positionals: string[]) {
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('Name one file to import');
  const authority = await ctx.services.places.requireAuthority(requireString(values, 'authority'));
  const bytes = readInputFile(ctx, file);
  return bytes ? { file, authority, bytes } : null;
}

import type { CliCommand } from '../command.ts';

// Placeholder until the ORUK import/export commands land (being written now).
export const commands: CliCommand[] = [];

#!/usr/bin/env node
// The `coproduce` command. TypeScript sources run through tsx, as `npm start` does.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));

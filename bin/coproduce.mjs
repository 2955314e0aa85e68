#!/usr/bin/env node
// The `coproduce` command. TypeScript sources run through tsx, as `npm start` does.
import { register } from 'tsx/esm/api';

register();
// `coproduce … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));

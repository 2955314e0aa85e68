// A worker thread's first module (see worker.ts). Plain JavaScript, so it loads before tsx is
// registered in this thread; it then registers tsx, as bin/coproduce.mjs does, runs the
// TypeScript module it was given and posts back what that module's `work` answers.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { work } = await import(workerData.module);
parentPort.postMessage(await work(workerData.input));

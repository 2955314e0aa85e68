// A worker thread's first module (see worker.ts). Plain JavaScript, so it loads before tsx is
// registered in this thread; it then registers tsx, as bin/coproduce.mjs does, imports the
// TypeScript module it was given and answers each question with what that module's `work` returns.
// Questions sent while the module loads wait on the port, which holds them until it is listened to.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { work } = await import(workerData.module);
parentPort.on('message', async ({ id, input }) => {
  try {
    parentPort.postMessage({ id, output: await work(input) });
  } catch (error) {
    parentPort.postMessage({ id, error });
  }
});

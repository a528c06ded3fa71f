import { parentPort, workerData } from 'node:worker_threads';
import { makeChecker, type CheckSetup, type Task } from './task.js';

// One checker thread: set up once (rules, face model on first use), then check tasks one at a time.
const check = await makeChecker(workerData as CheckSetup);
parentPort!.on('message', async (task: Task) => {
  try {
    parentPort!.postMessage(await check(task));
  } catch (error) {
    parentPort!.postMessage({ index: task.index, crash: (error as Error).message });
  }
});
parentPort!.postMessage({ ready: true });

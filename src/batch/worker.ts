import { parentPort, workerData } from 'node:worker_threads';
import { makeChecker, type CheckSetup, type Task } from './task.js';

// One checker thread: set up once (rules, face model on first use), then check tasks strictly one at a
// time, in the order they arrive (the pool sends the next one ahead, so it waits here, not in transit).
const check = await makeChecker(workerData as CheckSetup);
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (task: Task) => {
  check.prefetch(task); // the pool sends one photo ahead: decode it while the current one is checked
  queue = queue.then(async () => {
    try {
      parentPort!.postMessage(await check(task));
    } catch (error) {
      parentPort!.postMessage({ index: task.index, crash: (error as Error).message });
    }
  });
});
parentPort!.postMessage({ ready: true });

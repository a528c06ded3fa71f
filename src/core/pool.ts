import { Worker } from 'node:worker_threads';
import type { Target } from './discover.js';
import { makeChecker, type CheckSetup, type Task, type TaskResult } from './task.js';
import { annotationNames } from '../report/annotate.js';
import type { FileResult } from './types.js';

export interface PoolOptions {
  concurrency: number;
  onProgress?: (done: number, total: number, result: FileResult) => void;
}

export interface PoolOutput {
  results: FileResult[];
  pictures: Map<string, NonNullable<TaskResult['pictures']>>;
  warnings: string[];
}

/**
 * Check every target, `concurrency` at a time, each worker thread holding one photo at a time (so
 * memory stays bounded however many photos there are). Results come back in the targets' order.
 */
export async function checkAll(targets: Target[], setup: CheckSetup, options: PoolOptions): Promise<PoolOutput> {
  const names = setup.annotateDir ? annotationNames(targets.map((t) => t.path)) : [];
  const tasks: Task[] = targets.map((target, index) => ({ index, target, annotationName: names[index] }));
  const results = new Array<FileResult>(tasks.length);
  const pictures = new Map<string, NonNullable<TaskResult['pictures']>>();
  const warnings: string[] = [];
  let done = 0;
  const record = (output: TaskResult) => {
    results[output.index] = output.result;
    if (output.pictures) pictures.set(output.result.path, output.pictures);
    if (output.warning) warnings.push(output.warning);
    done++;
    options.onProgress?.(done, tasks.length, output.result);
  };

  // Threads pay a model load each (about 0.3 s): not worth it for a handful of photos.
  const threads = Math.min(options.concurrency, tasks.length);
  if (threads <= 1 || tasks.length < 4) {
    const check = await makeChecker(setup);
    for (const task of tasks) record(await check(task));
    return { results, pictures, warnings };
  }

  // Each worker holds at most two photos: the one it is checking and the next, so it never waits for
  // the main thread between photos, and memory stays bounded however many photos there are.
  const AHEAD = 2;
  let next = 0;
  await Promise.all(Array.from({ length: threads }, () => new Promise<void>((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: setup });
    let inFlight = 0;
    const send = () => {
      while (inFlight < AHEAD && next < tasks.length) {
        worker.postMessage(tasks[next++]);
        inFlight++;
      }
      if (inFlight === 0) void worker.terminate().then(() => resolve());
    };
    worker.on('message', (message: TaskResult | { ready: true } | { index: number; crash: string }) => {
      if ('ready' in message) { send(); return; }
      if ('crash' in message) { reject(new Error(`checking ${tasks[message.index].target.path} failed: ${message.crash}`)); return; }
      inFlight--;
      record(message);
      send();
    });
    worker.on('error', reject);
  })));
  return { results, pictures, warnings };
}

import { setFlagsFromString } from 'node:v8';
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
 * A worker thread's start-up, in photos' worth of checking. Measured on 2 cores: 24 photos took
 * 2.6–2.8 s at -j 1 and 3.1–3.4 s at -j 2, 60 photos about the same either way, 300 photos
 * 0.81–0.93x the time once the main thread checked too.
 */
const WORKER_START_PHOTOS = 24;

/**
 * The heap a checking thread gets. V8 starts a full (mark-compact) collection whenever the old
 * generation's free room falls below the young generation's size, and with the default young generation
 * (16 MB semi-spaces) that was every 13–20 photos, though the old generation held only 9–13 MB: background
 * marking took about 2.5 ms of CPU a photo, the other core's time in a batch. Starting the old generation
 * at 64 MB leaves room enough: 0.3 full collections per 100 photos, and a checking thread used 10% less CPU
 * (measured, 300 photos, alternated). V8 reads this when it makes a new isolate's heap, so it is set
 * before the workers start; it cannot change the main thread's, which is why a batch is checked in workers.
 */
const WORKER_HEAP_FLAGS = '--initial-old-space-size=64';

/**
 * Check every target, `concurrency` at a time, results in the targets' order. A batch big enough to
 * pay for their start-up goes to `concurrency` worker threads (the main thread only hands out photos and
 * collects results); a smaller one is checked on the main thread, one photo at a time. Each thread holds
 * at most two photos, so memory stays bounded however many photos there are.
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

  // Workers cost about as much to start (modules, models, JIT warm-up) as checking WORKER_START_PHOTOS
  // photos each; they pay off when the time they save covers that.
  const threads = Math.min(options.concurrency, tasks.length);
  const workers = threads > 1 && tasks.length >= WORKER_START_PHOTOS / (1 - 1 / threads) ? threads : 0;
  let next = 0;
  const mainThread = async () => {
    const check = await makeChecker(setup);
    // Claims the photo after the current one too, so its decode overlaps this check.
    let mine = next < tasks.length ? tasks[next++] : undefined;
    while (mine) {
      const following = next < tasks.length ? tasks[next++] : undefined;
      if (following) check.prefetch(following);
      record(await check(mine));
      mine = following;
    }
  };
  // Each worker holds at most two photos: the one it is checking and the next, so it never waits for
  // the main thread between photos.
  const AHEAD = 2;
  const worker = () => new Promise<void>((resolve, reject) => {
    const thread = new Worker(new URL('./worker.js', import.meta.url), { workerData: setup });
    let inFlight = 0;
    const send = () => {
      while (inFlight < AHEAD && next < tasks.length) {
        thread.postMessage(tasks[next++]);
        inFlight++;
      }
      if (inFlight === 0) void thread.terminate().then(() => resolve());
    };
    thread.on('message', (message: TaskResult | { ready: true } | { index: number; crash: string }) => {
      if ('ready' in message) { send(); return; }
      if ('crash' in message) { reject(new Error(`checking ${tasks[message.index].target.path} failed: ${message.crash}`)); return; }
      inFlight--;
      record(message);
      send();
    });
    thread.on('error', reject);
  });
  if (workers === 0) await mainThread();
  else {
    setFlagsFromString(WORKER_HEAP_FLAGS);
    await Promise.all(Array.from({ length: workers }, worker));
  }
  return { results, pictures, warnings };
}

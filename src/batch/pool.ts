import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Target } from './discover.js';
import { makeChecker, type CheckSetup, type Task, type TaskResult } from './task.js';
import type { FileResult } from '../contract/types.js';

export interface PoolOptions {
  concurrency: number;
  onProgress?: (done: number, total: number, result: FileResult) => void;
  /** Per target, the file name of its annotation under CheckSetup.annotateDir (unique in the run: report/annotate.ts annotationNames). */
  annotationNames?: string[];
  /** When aborted, no more photos are handed out; those under way are finished, the rest left out of the results. */
  signal?: AbortSignal;
  /**
   * Each result in the targets' order, as soon as it and every one before it are in (a report written as
   * the run goes). With it, checkAll keeps no results or pictures: `results` comes back empty, so memory
   * holds only the few results that arrived ahead of their turn. A rejection stops the run (no more photos
   * are handed out) and checkAll rejects with it.
   */
  onResult?: (output: TaskResult) => Promise<void> | void;
  /** The worker threads' environment (GRADPHOTO_ENGINE); the process's unless given. */
  env?: NodeJS.ProcessEnv;
}

export interface PoolOutput {
  results: FileResult[];
  pictures: Map<string, NonNullable<TaskResult['pictures']>>;
  warnings: string[];
  /** Worker threads used (0: the main thread checked every photo). */
  threads: number;
}

/**
 * A worker thread's start-up, in photos' worth of checking: importing sharp and onnxruntime-node,
 * converting and loading the models, and JIT warm-up, which on this project's 2-core machine kept two
 * fresh workers from their steady pace (about 15 ms a photo between them) for 2.7 s, against 0.9 s for the
 * main thread alone (29 ms a photo). Measured, 3 runs each, main thread alone vs 2 workers: 48 photos
 * 2.6 vs 3.4 s, 70 photos 3.3 vs 3.8 s, 100 photos 3.8 vs 4.3 s, 150 photos 5.3 vs 5.0 s. So workers start
 * from 130 photos on 2 cores (fewer on more cores).
 */
const WORKER_START_PHOTOS = 65;

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

/** A checking thread failed: the message says where; no stack trace helps the user. */
export class PoolError extends Error {}

/**
 * How many worker threads check `photos` photos at `concurrency`: none (the main thread checks them) unless
 * the batch is big enough for the time they save to cover their start-up.
 */
export function workerCount(photos: number, concurrency: number): number {
  const threads = Math.min(concurrency, photos);
  return threads > 1 && photos >= WORKER_START_PHOTOS / (1 - 1 / threads) ? threads : 0;
}

/**
 * Check every target, `concurrency` at a time, results in the targets' order. A batch big enough to
 * pay for their start-up goes to `concurrency` worker threads (the main thread only hands out photos and
 * collects results); a smaller one is checked on the main thread, one photo at a time. Each thread holds
 * at most two photos, so memory stays bounded however many photos there are.
 */
export async function checkAll(targets: Target[], setup: CheckSetup, options: PoolOptions): Promise<PoolOutput> {
  const names = options.annotationNames ?? [];
  const tasks: Task[] = targets.map((target, index) => ({ index, target, annotationName: names[index] }));
  const results = options.onResult ? [] : new Array<FileResult>(tasks.length);
  const pictures = new Map<string, NonNullable<TaskResult['pictures']>>();
  const warnings: string[] = [];
  let done = 0;
  // With onResult: results that came in ahead of their turn (from another thread), and the delivery under way.
  const early = new Map<number, TaskResult>();
  let turn = 0;
  let delivering: Promise<void> = Promise.resolve();
  let failed: { error: unknown } | undefined;
  let backlog = 0;
  /** Wait while more than a few results wait to be delivered (a reader slower than the checks): memory stays bounded. */
  const keepUp = async () => { if (backlog > 8) await delivering; };
  const deliver = (output: TaskResult) => {
    backlog++;
    delivering = delivering.then(async () => {
      backlog--;
      if (failed) return;
      try {
        await options.onResult!(output);
      } catch (error) {
        failed = { error };
        next = tasks.length; // hand out no more photos: the run has failed
      }
    });
  };
  const record = (output: TaskResult) => {
    if (options.onResult) {
      early.set(output.index, output);
      while (early.has(turn)) {
        deliver(early.get(turn)!);
        early.delete(turn++);
      }
    } else {
      results[output.index] = output.result;
      if (output.pictures) pictures.set(output.result.path, output.pictures);
    }
    if (output.warning) warnings.push(output.warning);
    done++;
    options.onProgress?.(done, tasks.length, output.result);
  };

  // Never more threads than cores: each holds its own models and photos (-j 64 took 4.45 GB) and, on
  // fewer cores, would only take turns.
  const workers = workerCount(tasks.length, Math.min(options.concurrency, availableParallelism()));
  let next = 0;
  // Stopping a thread in the middle of a photo (in sharp or onnxruntime) aborts the process: hand out no
  // more, and let each thread finish what it holds and end as it does at the end of a batch.
  options.signal?.addEventListener('abort', () => { next = tasks.length; }, { once: true });
  const mainThread = async () => {
    const check = await makeChecker(setup);
    // Claims the photo after the current one too, so its decode overlaps this check.
    let mine = next < tasks.length ? tasks[next++] : undefined;
    while (mine) {
      const following = next < tasks.length ? tasks[next++] : undefined;
      if (following) check.prefetch(following);
      record(await check(mine));
      await keepUp();
      mine = following;
    }
  };
  // Each worker holds at most two photos: the one it is checking and the next, so it never waits for
  // the main thread between photos.
  const AHEAD = 2;
  const threads: Worker[] = [];
  const worker = () => new Promise<void>((resolve, reject) => {
    const thread = new Worker(new URL('./worker.js', import.meta.url), { workerData: setup, env: options.env ?? process.env });
    threads.push(thread);
    const holding: Task[] = [];
    let finished = false;
    const send = () => {
      while (holding.length < AHEAD && next < tasks.length) {
        const task = tasks[next++];
        thread.postMessage(task);
        holding.push(task);
      }
      if (holding.length === 0) {
        finished = true;
        void thread.terminate().then(() => resolve());
      }
    };
    thread.on('message', async (message: TaskResult | { ready: true } | { index: number; crash: string }) => {
      if ('ready' in message) { send(); return; }
      if ('crash' in message) { reject(new PoolError(`checking ${tasks[message.index].target.path} failed: ${message.crash}`)); return; }
      holding.splice(holding.findIndex((task) => task.index === message.index), 1);
      record(message);
      await keepUp();
      send();
    });
    thread.on('error', reject);
    // A thread that ends by itself would leave its photos unchecked and the run waiting for them forever.
    // (--rule modules run in a sandbox thread of their own: their process.exit does not end this one.)
    thread.on('exit', (code) => {
      if (finished) return;
      const at = holding[0] ? ` while checking ${holding[0].target.path}` : '';
      reject(new PoolError(`a checking thread stopped (exit code ${code})${at}`));
    });
  });
  if (workers === 0) await mainThread();
  else {
    setFlagsFromString(WORKER_HEAP_FLAGS);
    await Promise.all(Array.from({ length: workers }, worker)).catch(async (error: unknown) => {
      await Promise.all(threads.map((thread) => thread.terminate())); // the others stop too: the run has failed
      throw error;
    });
  }
  await delivering;
  if (failed) throw failed.error;
  return { results, pictures, warnings, threads: workers };
}

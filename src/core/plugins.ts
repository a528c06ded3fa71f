import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describeThrown } from '../contract/rule.js';
import type { Photo, Rule, RuleContext, RuleMeta } from '../contract/types.js';

/**
 * How long a --rule module's check may take on one photo, by default, before its thread is stopped and
 * the rule is reported as not run. The built-in rules take 30–70 ms a photo together; 5 s is a hundred
 * times that, and a rule that needs it would still make a 3,000-photo class take over 4 hours. A centre
 * whose rule runs a model of its own on a slow laptop sets more (--rule-time-limit); at most MAX.
 */
export const RULE_TIME_LIMIT_MS = 5000;
/** The most --rule-time-limit gives (the CLI checks the flag against it before any module loads). */
export const MAX_RULE_TIME_LIMIT_MS = 600_000;

/** "5 s", "0.5 s", "2 min": a time limit as a person reads it. */
const seconds = (ms: number) => (ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);
/** How long importing the --rule modules may take (their top-level code runs then). */
const LOAD_TIME_LIMIT_MS = 30_000;
/** The heap of the thread --rule modules run in: a rule that allocates without end stops there, not the run. */
const SANDBOX_HEAP_MB = 512;

/** A --rule module that cannot be used: the message names the file and what is wrong. */
export class RuleModuleError extends Error {}

/** A rule as its module describes it: plain data, so it crosses threads. */
export interface RuleDescription { id: string; meta: RuleMeta<Record<string, unknown>> }

export type ToSandbox =
  | { kind: 'photo'; photo: Omit<Photo, 'cache'> }
  | { kind: 'check'; call: number; rule: number; options: unknown; frame: { width: number; height: number } };
export type FromSandbox =
  | { kind: 'loaded'; rules: string }
  | { kind: 'loadFailed'; message: string }
  | { kind: 'result'; call: number; json?: string; error?: string };

/** What of a photo a rule module sees: everything but the cache of analyses, which holds promises. */
function plainPhoto(photo: Photo): Omit<Photo, 'cache'> {
  const { cache: _cache, ...plain } = photo;
  return plain;
}

/**
 * The thread --rule modules are imported and run in. A module's code is not gradphoto's: it may call
 * process.exit, loop forever, never settle, throw anything or return anything. In a worker thread of its
 * own, process.exit ends only that thread, a loop or a hang is stopped by terminating the thread after
 * RULE_TIME_LIMIT_MS, and what comes back is JSON text of bounded size. A dead or stopped thread is
 * started again for the next photo. What it prints goes to stderr, so it cannot corrupt a JSON report.
 */
class Sandbox {
  private worker?: Worker;
  private loading?: Promise<RuleDescription[]>;
  private sentPhoto?: Photo;
  private calls = 0;
  private pending = new Map<number, { resolve: (json: string) => void; reject: (error: Error) => void }>();

  constructor(private readonly paths: string[], private readonly timeLimitMs: number) {}

  /** Stop the thread for good (the run is over). */
  close(): void {
    if (this.worker) this.stop(this.worker, 'the run is over');
  }

  /** Start the thread (if it is not running) and import the modules; resolves to what they export. */
  start(): Promise<RuleDescription[]> {
    if (this.loading) return this.loading;
    const worker = new Worker(new URL('./plugin-worker.js', import.meta.url), {
      workerData: { modules: this.paths.map((path) => ({ path, url: pathToFileURL(resolve(path)).href })) },
      resourceLimits: { maxOldGenerationSizeMb: SANDBOX_HEAP_MB },
    });
    this.worker = worker;
    this.sentPhoto = undefined;
    let loaded = false;
    this.loading = new Promise<RuleDescription[]>((resolveLoad, rejectLoad) => {
      const timer = setTimeout(() => {
        this.stop(worker, `it did not finish within ${LOAD_TIME_LIMIT_MS / 1000} s`);
        rejectLoad(new RuleModuleError(`the --rule modules did not finish loading within ${LOAD_TIME_LIMIT_MS / 1000} s`));
      }, LOAD_TIME_LIMIT_MS);
      const died = (reason: string) => {
        clearTimeout(timer);
        if (!loaded) rejectLoad(new RuleModuleError(`loading the --rule modules failed: ${reason}`));
        this.stop(worker, reason);
      };
      worker.on('message', (message: FromSandbox) => {
        if (message.kind === 'loaded') {
          clearTimeout(timer);
          loaded = true;
          resolveLoad(JSON.parse(message.rules) as RuleDescription[]);
        } else if (message.kind === 'loadFailed') {
          clearTimeout(timer);
          this.stop(worker, message.message);
          rejectLoad(new RuleModuleError(message.message));
        } else {
          const call = this.pending.get(message.call);
          this.pending.delete(message.call);
          if (message.error !== undefined) call?.reject(new Error(message.error));
          else call?.resolve(message.json ?? 'null');
        }
      });
      worker.on('error', (error) => died(describeThrown(error)));
      worker.on('exit', (code) => died(`it ended its thread (exit code ${code})`));
      // After the listeners, which would ref it again: a waiting call's timer keeps the process alive, an idle sandbox must not.
      worker.unref();
    });
    this.loading.catch(() => undefined); // the caller sees the rejection; never an unhandled one
    return this.loading;
  }

  /** Stop the thread (if it is still this one) and fail what waits on it; the next check starts a new one. */
  private stop(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.loading = undefined;
    this.sentPhoto = undefined;
    void worker.terminate();
    for (const call of this.pending.values()) call.reject(new Error(reason));
    this.pending.clear();
  }

  /** Run rule `rule` of the modules on a photo: its findings as JSON text, or an Error saying why not. */
  async check(rule: number, context: RuleContext<unknown>): Promise<string> {
    await this.start();
    const worker = this.worker!;
    if (this.sentPhoto !== context.photo) {
      worker.postMessage({ kind: 'photo', photo: plainPhoto(context.photo) } satisfies ToSandbox);
      this.sentPhoto = context.photo;
    }
    const call = ++this.calls;
    return new Promise<string>((resolveCall, rejectCall) => {
      const timer = setTimeout(() => this.stop(worker, `it did not finish within ${seconds(this.timeLimitMs)}`), this.timeLimitMs);
      this.pending.set(call, {
        resolve: (json) => { clearTimeout(timer); resolveCall(json); },
        reject: (error) => { clearTimeout(timer); rejectCall(error); },
      });
      worker.postMessage({ kind: 'check', call, rule, options: context.options, frame: context.frame } satisfies ToSandbox);
    });
  }
}

const loaded = new Map<string, Promise<Rule<any>[]>>();
const sandboxes = new Set<Sandbox>();

/**
 * Stop every --rule sandbox thread of this thread and forget the modules: a later run (main() called
 * again in the same process) imports them afresh, as a new process would.
 */
export function closeRuleModules(): void {
  for (const sandbox of sandboxes) sandbox.close();
  sandboxes.clear();
  loaded.clear();
}

/**
 * Load extra rule modules (`--rule ./my-rule.js`). A module's default export is a rule or an
 * array of rules; each needs an id, meta.messageIds, meta.messages and a check function. The modules
 * are imported and run in a sandbox thread (see Sandbox); the rules returned here hand each check to
 * it, each check stopped after `timeLimitMs` (RULE_TIME_LIMIT_MS unless given). Loaded once per thread,
 * list of paths and time limit.
 */
export function loadRuleModules(paths: string[], timeLimitMs = RULE_TIME_LIMIT_MS): Promise<Rule<any>[]> {
  if (paths.length === 0) return Promise.resolve([]);
  const key = [...paths.map((path) => resolve(path)), timeLimitMs].join('\0');
  let rules = loaded.get(key);
  if (!rules) {
    const sandbox = new Sandbox(paths, timeLimitMs);
    sandboxes.add(sandbox);
    rules = sandbox.start().then((described) => described.map(({ id, meta }, index): Rule<any> => ({
      id,
      meta: { ...meta, defaultOptions: meta.defaultOptions ?? {} },
      check: async (context) => JSON.parse(await sandbox.check(index, context)),
    })));
    rules.catch(() => loaded.delete(key));
    loaded.set(key, rules);
  }
  return rules;
}

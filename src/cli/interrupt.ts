import { abandonWrites } from '../fix/write.js';

export interface Interruption {
  /** Aborted on the first Ctrl-C: hand out no more photos, finish the ones under way. */
  signal: AbortSignal;
  /** Stop listening (the run is over). */
  off(): void;
}

/**
 * While a run is under way, the first Ctrl-C (SIGINT) stops it after the photos under way: stopping a
 * thread in the middle of decoding aborts the whole process (Napi::Error, exit 134). The caller then says
 * what was done (`summary`) and exits 130, as shells expect. A second Ctrl-C stops at once, saying the
 * same. Either way the temporary files of writes under way are removed: only complete outputs are left.
 */
export function onInterrupt(summary: () => string, stopping: string, stderr: { write(text: string): unknown } = process.stderr): Interruption {
  const controller = new AbortController();
  const handler = () => {
    if (!controller.signal.aborted) {
      stderr.write(`\ngradphoto: ${stopping}\n`);
      controller.abort();
      return;
    }
    abandonWrites();
    stderr.write(`gradphoto: ${summary()}\n`);
    process.exit(130);
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, off: () => process.off('SIGINT', handler) };
}

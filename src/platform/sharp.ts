import { createRequire } from 'node:module';
import type Sharp from 'sharp';

let loaded: typeof Sharp | undefined;
/**
 * sharp(...), with sharp loaded on first use. Its native library takes 110–160 ms to load, and a
 * batch's main thread, which only hands photos to worker threads, never decodes one: importing it up
 * front delayed the workers' start by that much. Loaded with require (sharp ships a CommonJS build):
 * its ES module build imports CommonJS packages, which Node first scans for export names, compiling
 * its scanner in every thread.
 */
export function sharp(...args: Parameters<typeof Sharp>): ReturnType<typeof Sharp> {
  loaded ??= createRequire(import.meta.url)('sharp') as typeof Sharp;
  return loaded(...args);
}

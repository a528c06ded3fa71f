import type Sharp from 'sharp';

let loading: Promise<typeof Sharp> | undefined;
/**
 * sharp, imported on first use. Its native library takes 110–160 ms to load, and a batch's main thread,
 * which only hands photos to worker threads, never decodes one: importing it up front delayed the
 * workers' start by that much.
 */
export function loadSharp(): Promise<typeof Sharp> {
  loading ??= import('sharp').then((module) => module.default);
  return loading;
}

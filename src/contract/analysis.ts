import type { Photo } from './types.js';

/** An expensive measurement shared by several rules: computed on first use, once per photo. */
export interface Analysis<T> {
  id: string;
  compute(photo: Photo): Promise<T>;
}

export function defineAnalysis<T>(id: string, compute: (photo: Photo) => Promise<T>): Analysis<T> {
  return { id, compute };
}

export function analyse<T>(photo: Photo, analysis: Analysis<T>): Promise<T> {
  let pending = photo.cache.get(analysis.id) as Promise<T> | undefined;
  if (!pending) {
    pending = analysis.compute(photo);
    photo.cache.set(analysis.id, pending);
  }
  return pending;
}

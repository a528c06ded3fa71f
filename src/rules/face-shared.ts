import { faces, type Face, type FaceAnalysis } from '../analysis/face.js';
import { skip } from '../contract/rule.js';
import type { Finding, Photo } from '../contract/types.js';

/** The single face the geometry rules measure, or the skip finding that says why there is none. */
export async function singleFace(photo: Photo): Promise<{ face: Face; analysis: FaceAnalysis } | Finding> {
  const analysis = await faces(photo);
  if (!analysis.main) return skip('noSingleFace', { data: { count: analysis.faces.length } });
  return { face: analysis.main, analysis };
}

export const isFinding = (value: unknown): value is Finding => typeof value === 'object' && value !== null && 'status' in value;

/** Working-pixel lengths -> pixels of the standard frame (the photo scaled to the frame's width). */
export const frameScale = (photo: Photo, frame: { width: number }): number => frame.width / photo.pixels.width;

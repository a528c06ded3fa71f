import { analyse, defineAnalysis } from '../core/analysis.js';
import type { Photo } from '../core/types.js';
import { background, onBackground } from './background.js';
import { faces } from './face.js';
import { boxMean, focusMatte, personMatte, type Matte, type MatteQuality } from './matte.js';

/** The subject as the person matte sees it, for check (fix mattes its own output frame). */
export interface PersonAnalysis {
  matte: Matte;
  quality: MatteQuality;
  /**
   * Share of the frame that is neither the person nor plain backdrop: pixels the matte calls backdrop
   * (away from the person's edge) that the backdrop's colour surface does not explain. Objects,
   * lettering, logos and patches left behind in a background.
   */
  objects: number;
}

/** The matte is worked out at most this many pixels on the long side, unrefined: enough for the backdrop and the head's outline. */
const MATTE_SIDE = 320;

export const personAnalysis = defineAnalysis<PersonAnalysis | undefined>('person', async (photo: Photo) => {
  const found = await faces(photo);
  if (!found.main) return undefined;
  const { pixels } = photo;
  const k = Math.min(1, MATTE_SIDE / Math.max(pixels.width, pixels.height));
  const matte = await personMatte(pixels, undefined, Math.max(1, Math.round(pixels.width * k)), Math.max(1, Math.round(pixels.height * k)), { refine: false });
  const quality = focusMatte(matte, found.main.mesh);
  const bg = await background(photo);
  const { width, height, alpha } = matte;
  // Pixels near the person are left out: the backdrop's flood fill stops short of soft edges.
  const near = new Float32Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) near[i] = alpha[i] > 0.05 ? 1 : 0;
  const band = boxMean(near, width, height, Math.max(2, Math.round(Math.min(width, height) / 60)));
  let objects = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = y * width + x;
    if (band[i] > 0) continue;
    const sx = matte.left + (x + 0.5) * matte.step; const sy = matte.top + (y + 0.5) * matte.step;
    if (!onBackground(bg, sx, sy, pixels.width, pixels.height)) objects++;
  }
  return { matte, quality, objects: objects / alpha.length };
});

export const person = (photo: Photo): Promise<PersonAnalysis | undefined> => analyse(photo, personAnalysis);

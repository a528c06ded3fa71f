import { analyse, defineAnalysis } from '../contract/analysis.js';
import type { Photo } from '../contract/types.js';
import { background, onBackground } from './background.js';
import { faces, type FaceAnalysis } from './face.js';
import type { HeadTop } from './head-top.js';
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
  /** The top of the head (hair included) from the matte, in the photo's working pixels; undefined when unclear. */
  headTop?: HeadTop;
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
  return { matte, quality, objects: objects / alpha.length, headTop: matteHeadTop(matte, found) };
});

/**
 * The head top from the matte: in columns over the middle of the face, the first row from the top
 * where the person begins (alpha ≥ 0.5 for two rows). The median over the columns is the crown, not a
 * stray strand; the head is cut when most columns start inside the person.
 */
function matteHeadTop(matte: Matte, found: FaceAnalysis): HeadTop | undefined {
  const face = found.main!;
  const { width, height, alpha, step, left, top } = matte;
  const columns = 9;
  const half = face.faceWidth * 0.22;
  const edges: number[] = []; let cut = 0;
  const limit = Math.min(height - 2, Math.floor((face.foreheadY - top) / step));
  for (let c = 0; c < columns; c++) {
    const x = Math.round((face.centreX - half + (2 * half * c) / (columns - 1) - left) / step);
    if (x < 0 || x >= width) continue;
    let found: number | undefined;
    for (let y = 0; y <= limit; y++) {
      if (alpha[y * width + x] >= 0.5 && alpha[(y + 1) * width + x] >= 0.5) { found = y; break; }
    }
    if (found === undefined) continue;
    if (found === 0) { cut++; continue; }
    edges.push(top + found * step);
  }
  if (cut > columns / 2) return { y: 0, cut: true, confidence: cut / columns, columns: [] };
  if (edges.length < 3) return undefined;
  edges.sort((a, b) => a - b);
  const y = edges[Math.floor((edges.length - 1) / 2)];
  // The crown is well above the forehead landmark; a top at the landmark means the matte missed the hair.
  if (face.foreheadY - y < 0.1 * (face.chinY - face.foreheadY)) return undefined;
  return { y, cut: false, confidence: edges.length / columns, columns: edges };
}

/**
 * The head top the geometry rules and fix use. The colour edge (head-top.ts) is the more precise on
 * a plain backdrop (the unrefined matte's 0.5 level sits 0–12 px inside the hair there), so it stands
 * when the two agree; the matte's is taken when the colour edge found nothing, called the head cut
 * where the matte sees backdrop above the hair (a gradient ID photo), or lies far above the matte's
 * (an edge of the backdrop's clutter, not the hair).
 */
export async function headTopOf(photo: Photo): Promise<HeadTop | undefined> {
  const found = await faces(photo);
  const colour = found.headTop;
  const matte = (await person(photo))?.headTop;
  if (!matte || matte.cut) return colour ?? matte;
  if (!colour || colour.cut) return matte.confidence >= 5 / 9 ? matte : colour;
  const face = found.main!;
  return matte.y - colour.y > 0.15 * (face.chinY - face.foreheadY) ? matte : colour;
}

export const person = (photo: Photo): Promise<PersonAnalysis | undefined> => analyse(photo, personAnalysis);

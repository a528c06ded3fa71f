import type { Rgb } from '../analysis/colour.js';
import { busyBeside, edgeColour, focusMatte, personMatte, protectFace, refineEdges, type EdgeColours, type Matte, type MatteQuality } from '../analysis/matte.js';
import type { RawImage } from './encode.js';

/**
 * Put the person on a flat `colour` along the matte, with the edge colours decontaminated: where
 * alpha is between 0 and 1 the observed colour is a mix of the person's and the old backdrop's, so
 * the old backdrop's share (estimated from the nearest pure-backdrop pixels) is taken out before the
 * new one is mixed in (refineEdges estimated both). Faint strands keep the hair colour spread from nearby.
 */
export function composite(image: RawImage, matte: Matte, edges: EdgeColours, colour: Rgb): RawImage {
  const { width, height, data } = image;
  if (matte.width !== width || matte.height !== height) throw new Error('the matte and the image differ in size');
  const n = width * height;
  const alpha = matte.alpha;
  const out = Buffer.alloc(n * 3);
  for (let i = 0; i < n; i++) {
    const a = alpha[i];
    const o = i * 3;
    if (a >= 0.98) { out[o] = data[o]; out[o + 1] = data[o + 1]; out[o + 2] = data[o + 2]; continue; }
    if (a <= 0.02) { out[o] = colour[0]; out[o + 1] = colour[1]; out[o + 2] = colour[2]; continue; }
    // F = (I - (1 - a) B) / a is exact for a true mix but amplifies noise at small alpha: there lean on
    // the solid foreground's colour nearby.
    const trust = Math.min(1, Math.max(0, (a - 0.15) / 0.45));
    for (let c = 0; c < 3; c++) {
      const x = i % width; const y = (i - x) / width;
      const unmixed = Math.min(255, Math.max(0, (data[o + c] - (1 - a) * edgeColour(edges.back, edges, x, y, c)) / a));
      const f = trust * unmixed + (1 - trust) * edgeColour(edges.fore, edges, x, y, c);
      out[o + c] = Math.max(0, Math.min(255, Math.round(a * f + (1 - a) * colour[c])));
    }
  }
  return { data: out, width, height };
}

/** The person of `image` (the face whose mesh is given, in the image's pixels) on a flat `colour`, with the matte's quality. */
export async function onNewBackground(image: RawImage, mesh: [number, number, number][], colour: Rgb, second?: Float32Array): Promise<{ image: RawImage; matte: Matte; quality: MatteQuality }> {
  const matte = await personMatte(image, undefined, undefined, undefined, { second, mirrored: true });
  const quality = focusMatte(matte, mesh);
  const edges = refineEdges(image, matte);
  protectFace(matte, mesh);
  quality.busyBeside = busyBeside(image, matte);
  return { image: composite(image, matte, edges, colour), matte, quality };
}

import type { Pixels } from '../contract/types.js';
import { rgbDistance } from './colour.js';

export interface HeadTop {
  /** Row of the top of the hair, in pixel coordinates; 0 when the head touches the top edge. */
  y: number;
  /** The head reaches the top edge: its real top is outside the picture. */
  cut: boolean;
  /** How many of the sampled columns found a clear background-to-hair edge. */
  confidence: number;
  /** The edge row found in each sampled column, sorted. */
  columns: number[];
}

/** Mean colour of a small horizontal strip, in a rough perceptual space (weighted RGB). */
function stripColour(pixels: Pixels, x0: number, x1: number, y: number): [number, number, number] {
  const { data, width } = pixels;
  let r = 0; let g = 0; let b = 0; let n = 0;
  for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
    const i = (y * width + x) * 3;
    r += data[i]; g += data[i + 1]; b += data[i + 2]; n++;
  }
  return n === 0 ? [0, 0, 0] : [r / n, g / n, b / n];
}

const distance = (a: number[], b: number[]): number => rgbDistance(a[0], a[1], a[2], b[0], b[1], b[2]);

/**
 * The top of the head (hair), found from the background above the face: in columns over the face
 * centre, walk down from the top edge while the colour stays that of the background just above,
 * and stop at the first lasting change. The hair's highest point is the topmost such edge.
 */
export function findHeadTop(pixels: Pixels, centreX: number, faceWidth: number, foreheadY: number, chinY: number): HeadTop | undefined {
  const half = Math.max(2, Math.round(faceWidth * 0.22));
  const strip = Math.max(1, Math.round(faceWidth / 60));
  const columns = 9;
  const limit = Math.min(pixels.height - 1, Math.round(foreheadY));
  const threshold = 14;
  const edges: number[] = [];
  const atTop: boolean[] = [];
  // The scalp rises well above the forehead landmark: an "edge" this close to it is the hairline seen
  // from inside hair that starts at the top edge, i.e. the head is cut off.
  const minCrown = Math.max(4, 0.15 * (chinY - foreheadY));
  for (let c = 0; c < columns; c++) {
    const x = Math.round(centreX - half + (2 * half * c) / (columns - 1));
    let reference = stripColour(pixels, x - strip, x + strip + 1, 0);
    let found: number | undefined;
    let run = 0;
    for (let y = 1; y <= limit; y++) {
      const colour = stripColour(pixels, x - strip, x + strip + 1, y);
      if (distance(colour, reference) > threshold) {
        run++;
        // A real edge lasts: require a few rows that all differ from the background.
        if (run >= 3) { found = y - run + 1; break; }
      } else {
        run = 0;
        // Follow slow drifts (gradient backgrounds) but not the edge itself.
        reference = reference.map((v, i) => v * 0.8 + colour[i] * 0.2) as [number, number, number];
      }
    }
    const cutHere = found === undefined ? foreheadY < minCrown * 2 : found <= 2 || foreheadY - found < minCrown;
    atTop.push(cutHere);
    if (found !== undefined && !cutHere) edges.push(found);
  }
  const cut = atTop.filter(Boolean).length > columns / 2;
  if (cut) return { y: 0, cut: true, confidence: atTop.filter(Boolean).length / columns, columns: [] };
  if (edges.length < 3) return undefined;
  edges.sort((a, b) => a - b);
  // The median over the columns: the crown of the hair mass, not a single raised strand.
  const y = edges[Math.floor((edges.length - 1) / 2)];
  return { y, cut: false, confidence: edges.length / columns, columns: edges };
}

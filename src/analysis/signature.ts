import { analyse, defineAnalysis } from '../contract/analysis.js';
import type { Photo, Pixels } from '../contract/types.js';
import { luma } from './colour.js';
import { faces, type Face } from './face.js';

/** What identifies one picture of a face: a perceptual hash of the face and its landmark layout. */
export interface FaceSignature {
  /** 64-bit DCT hash of the eye-aligned face, as 16 hex digits. */
  hash: string;
  /** Landmarks relative to the eyes (eye midpoint at 0,0, eye distance 1), a fixed subset. */
  landmarks: number[];
}

// Points spread over the face: brows, eyes, nose, mouth, jaw.
const POINTS = [10, 152, 234, 454, 33, 133, 362, 263, 1, 4, 61, 291, 13, 14, 70, 300, 105, 334, 172, 397, 58, 288, 168, 6];
const SIZE = 32;
/** DCT basis: COS[k][x] = cos((2x + 1)kπ / 2·SIZE) for the 8 lowest frequencies (computed once, not per pixel). */
const COS = Array.from({ length: 8 }, (_, k) => Float64Array.from({ length: SIZE }, (_, x) => Math.cos(((2 * x + 1) * k * Math.PI) / (2 * SIZE))));

function grey(pixels: Pixels, x: number, y: number): number {
  const xi = Math.max(0, Math.min(pixels.width - 1, Math.round(x)));
  const yi = Math.max(0, Math.min(pixels.height - 1, Math.round(y)));
  const o = (yi * pixels.width + xi) * 3;
  return luma(pixels.data, o);
}

export function faceSignature(pixels: Pixels, face: Face): FaceSignature {
  const mid = { x: (face.irisLeft.x + face.irisRight.x) / 2, y: (face.irisLeft.y + face.irisRight.y) / 2 };
  const d = Math.max(1, Math.hypot(face.irisLeft.x - face.irisRight.x, face.irisLeft.y - face.irisRight.y));
  // A square of 2.4 eye distances, from above the brows to below the mouth, averaged into 32x32.
  const side = 2.4 * d;
  const x0 = mid.x - side / 2; const y0 = mid.y - 0.7 * d;
  const cell = side / SIZE;
  const img = new Float64Array(SIZE * SIZE);
  for (let v = 0; v < SIZE; v++) for (let u = 0; u < SIZE; u++) {
    let sum = 0;
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) sum += grey(pixels, x0 + (u + (i + 0.5) / 3) * cell, y0 + (v + (j + 0.5) / 3) * cell);
    img[v * SIZE + u] = sum / 9;
  }
  // 2-D DCT, keep the 8x8 lowest frequencies but the DC term, threshold at their median.
  const coefficients: number[] = [];
  for (let ky = 0; ky < 8; ky++) for (let kx = 0; kx < 8; kx++) {
    if (kx === 0 && ky === 0) continue;
    let sum = 0;
    const cosX = COS[kx];
    for (let y = 0; y < SIZE; y++) {
      const cy = COS[ky][y];
      for (let x = 0; x < SIZE; x++) sum += img[y * SIZE + x] * cy * cosX[x];
    }
    coefficients.push(sum);
  }
  const median = [...coefficients].sort((a, b) => a - b)[coefficients.length >> 1];
  let bits = '';
  for (const c of coefficients) bits += c > median ? '1' : '0';
  bits += '0';
  let hash = '';
  for (let i = 0; i < 64; i += 4) hash += parseInt(bits.slice(i, i + 4), 2).toString(16);
  const landmarks = POINTS.flatMap((index) => [(face.mesh[index][0] - mid.x) / d, (face.mesh[index][1] - mid.y) / d]);
  return { hash, landmarks };
}

export function hammingDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    let x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
    while (x) { distance += x & 1; x >>= 1; }
  }
  return distance;
}

/** Root-mean-square difference of two landmark layouts, in eye distances. */
export function landmarkDistance(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum / Math.max(1, Math.min(a.length, b.length) / 2));
}

export const signatureAnalysis = defineAnalysis<FaceSignature | undefined>('signature', async (photo: Photo) => {
  const face = (await faces(photo)).main;
  return face ? faceSignature(photo.pixels, face) : undefined;
});

export const signature = (photo: Photo): Promise<FaceSignature | undefined> => analyse(photo, signatureAnalysis);

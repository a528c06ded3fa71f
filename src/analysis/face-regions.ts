import { analyse, defineAnalysis } from '../contract/analysis.js';
import type { Photo, Pixels } from '../contract/types.js';
import { background, onBackground, type BackgroundAnalysis } from './background.js';
import { lightness, luma, rgbDistance, rgbToLab, type Rgb } from './colour.js';
import { faces, MESH, type Face } from './face.js';
import { alphaAt, polygonCrossings, type Matte } from './matte.js';
import { headTopOf, person } from './person.js';

/** Measurements of regions defined by the face mesh: glasses, forehead, ears, focus, light, skin. */
export interface FaceRegions {
  /** Horizontal-edge strength across the nose bridge relative to the nose (frames make a strong edge there). */
  glassesBridge: number;
  /** Edge strength of the ring around each eye relative to the cheek (frames around the lenses). */
  glassesRims: number;
  /** Strongest horizontal edge under each eye (a lens's lower rim) relative to the same on the cheek below. */
  glassesLowerRim: number;
  /** Mean lightness of the eye regions relative to the cheeks (tinted lenses darken them). */
  lensDarkness: number;
  /** Share of the forehead (brows up to the forehead landmark) whose colour is not skin. */
  foreheadCovered: number;
  /** Chroma (CIELAB) of the lips above the cheeks' skin: lipstick raises it (see face.makeup). */
  lipChromaExcess: number;
  /** Lightness L* that 1% of the picture's pixels exceed: whether anything in the scene is bright. */
  sceneBright: number;
  /** Share of skin-coloured pixels in the region beside each cheek where the ears are: [picture left, picture right]. */
  earSkin: [number, number];
  /**
   * With the person matte: beside each cheek (where the ear is), the share of the region that is the
   * person, and the share of those person pixels that have the face's skin colour (chroma within 12
   * CIELAB units of the cheeks', lightness from 45% of theirs: ears are often in shadow). Hair hanging
   * over an ear fills the region with person that is not skin; a visible ear is skin, or shows the
   * backdrop around its outline.
   */
  ears?: { person: [number, number]; skin: [number, number] };
  /**
   * Share of the forehead region whose colour is nearer the person's own hair (sampled on the crown,
   * between the head top and the forehead) than the cheeks' skin, in CIELAB with lightness at half
   * weight. Undefined when no hair sample could be taken or the hair is too like the skin (blond, bald).
   */
  foreheadHair?: number;
  /** Variance of the Laplacian of the face's luma, with the face scaled to 240 px wide (focus). */
  sharpness: number;
  /** Mean CIELAB lightness of the face skin, share of clipped pixels, and left-right half difference. */
  faceLightness: number;
  clipped: number;
  sideDifference: number;
  /** Fine texture of the cheeks (luma high-pass energy) relative to the eye region's: beauty filters flatten skin. */
  skinTexture: number;
  /** Share of skin beside the neck just under the jaw: a collar covers it, a T-shirt neckline leaves it bare. Undefined when the picture ends there. */
  neckSideSkin?: number;
  /** Median colour under the chin (the clothes). */
  clothes: Rgb;
  skin: Rgb;
}

// The luma plane of the picture being measured, shared by the region measurements below, filled row by
// row as they ask: they look near the face, and the whole plane cost about 2 ms a photo. One buffer is
// reused from photo to photo (measureRegions runs synchronously): a fresh 1 MB array per photo kept the
// garbage collector busy in batches.
let plane = new Float32Array(0);
let rowReady = new Uint8Array(0);
let planeOf: Buffer | undefined;
/** The luma plane with at least rows y0 to y1 (inclusive, clipped to the picture) filled in. */
function lumaRows(pixels: Pixels, y0: number, y1: number): Float32Array {
  const { width, height } = pixels;
  if (planeOf !== pixels.data || plane.length < width * height || rowReady.length < height) {
    if (plane.length < width * height) plane = new Float32Array(width * height);
    if (rowReady.length < height) rowReady = new Uint8Array(height);
    rowReady.fill(0);
    planeOf = pixels.data;
  }
  const d = pixels.data;
  for (let y = Math.max(0, Math.floor(y0)); y <= Math.min(height - 1, Math.ceil(y1)); y++) {
    if (rowReady[y]) continue;
    for (let i = y * width, o = i * 3, end = i + width; i < end; i++, o += 3) plane[i] = luma(d, o);
    rowReady[y] = 1;
  }
  return plane;
}

function meanColour(pixels: Pixels, x0: number, y0: number, x1: number, y1: number): Rgb {
  const acc = [0, 0, 0]; let n = 0;
  for (let y = Math.max(0, Math.round(y0)); y < Math.min(pixels.height, Math.round(y1)); y++) {
    for (let x = Math.max(0, Math.round(x0)); x < Math.min(pixels.width, Math.round(x1)); x++) {
      const o = (y * pixels.width + x) * 3;
      acc[0] += pixels.data[o]; acc[1] += pixels.data[o + 1]; acc[2] += pixels.data[o + 2]; n++;
    }
  }
  return n ? (acc.map((v) => v / n) as Rgb) : [0, 0, 0];
}

function medianColour(pixels: Pixels, x0: number, y0: number, x1: number, y1: number): Rgb {
  // Per-channel median from 256-bin histograms: linear time, no sorting.
  const histograms = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
  let n = 0;
  for (let y = Math.max(0, Math.round(y0)); y < Math.min(pixels.height, Math.round(y1)); y += 2) {
    for (let x = Math.max(0, Math.round(x0)); x < Math.min(pixels.width, Math.round(x1)); x += 2) {
      const o = (y * pixels.width + x) * 3;
      histograms[0][pixels.data[o]]++; histograms[1][pixels.data[o + 1]]++; histograms[2][pixels.data[o + 2]]++;
      n++;
    }
  }
  if (n === 0) return [0, 0, 0];
  return histograms.map((histogram) => {
    let seen = 0;
    for (let v = 0; v < 256; v++) { seen += histogram[v]; if (seen * 2 > n) return v; }
    return 255;
  }) as Rgb;
}

/** Mean |vertical luma gradient| of each row of a rectangle; returns the strongest row's mean. */
function strongestRowEdge(pixels: Pixels, x0: number, y0: number, x1: number, y1: number): number {
  let best = 0;
  const L = lumaRows(pixels, Math.round(y0) - 1, Math.round(y1) + 1); const w = pixels.width;
  for (let y = Math.max(1, Math.round(y0)); y < Math.min(pixels.height - 1, Math.round(y1)); y++) {
    let sum = 0; let n = 0;
    for (let x = Math.max(0, Math.round(x0)); x < Math.min(pixels.width, Math.round(x1)); x++) {
      sum += Math.abs(L[(y + 1) * w + x] - L[(y - 1) * w + x]); n++;
    }
    if (n) best = Math.max(best, sum / n);
  }
  return best;
}

/** Mean gradient magnitude over a rectangle. */
function meanGradient(pixels: Pixels, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0; let n = 0;
  const L = lumaRows(pixels, Math.round(y0) - 1, Math.round(y1) + 1); const w = pixels.width;
  for (let y = Math.max(1, Math.round(y0)); y < Math.min(pixels.height - 1, Math.round(y1)); y++) {
    for (let x = Math.max(1, Math.round(x0)); x < Math.min(pixels.width - 1, Math.round(x1)); x++) {
      const i = y * w + x;
      const gx = L[i + 1] - L[i - 1];
      const gy = L[i + w] - L[i - w];
      sum += Math.sqrt(gx * gx + gy * gy); n++;
    }
  }
  return n ? sum / n : 0;
}

/** Energy of the luma after removing a 3x3 mean (fine texture). */
function highPass(pixels: Pixels, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0; let n = 0;
  const L = lumaRows(pixels, Math.round(y0) - 1, Math.round(y1) + 1); const w = pixels.width;
  for (let y = Math.max(1, Math.round(y0)); y < Math.min(pixels.height - 1, Math.round(y1)); y++) {
    for (let x = Math.max(1, Math.round(x0)); x < Math.min(pixels.width - 1, Math.round(x1)); x++) {
      const i = y * w + x;
      const mean = L[i - w - 1] + L[i - w] + L[i - w + 1] + L[i - 1] + L[i] + L[i + 1] + L[i + w - 1] + L[i + w] + L[i + w + 1];
      const d = L[i] - mean / 9;
      sum += d * d; n++;
    }
  }
  return n ? sum / n : 0;
}

// The per-pixel loops of measureRegions, each a small function of its own so the JIT optimises them
// one by one: written inline, measureRegions was compiled 5 times in a thread's first 40 photos, at
// about 75 ms of compile time each.

/** Share of the pixels in [x0, x1) x [y0, y1) (inside the picture) farther than `tolerance` from `skin`. */
function notSkinShare(pixels: Pixels, x0: number, x1: number, y0: number, y1: number, skin: Rgb, tolerance: number): number {
  const { data, width, height } = pixels;
  let covered = 0; let total = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const o = (y * width + x) * 3;
      total++;
      if (rgbDistance(data[o], data[o + 1], data[o + 2], skin[0], skin[1], skin[2]) > tolerance) covered++;
    }
  }
  return total ? covered / total : 0;
}

/**
 * Share of [x0, x1) x [y0, y1) within `tolerance` of `skin`, counting pixels outside the picture and
 * background pixels as not skin.
 */
function skinShare(pixels: Pixels, bg: BackgroundAnalysis | undefined, x0: number, x1: number, y0: number, y1: number, skin: Rgb, tolerance: number): number {
  const { data, width, height } = pixels;
  let skinCount = 0; let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    if (x < 0 || y < 0 || x >= width || y >= height) { n++; continue; }
    const o = (y * width + x) * 3;
    n++;
    if (bg && onBackground(bg, x, y, width, height)) continue;
    if (rgbDistance(data[o], data[o + 1], data[o + 2], skin[0], skin[1], skin[2]) < tolerance) skinCount++;
  }
  return n ? skinCount / n : 0;
}

/**
 * Variance of the luma Laplacian over `box`, sampled every `step` pixels at rounded positions. The
 * rounded columns are the same on every row, so they are worked out once (the same positions, summed
 * in the same order, as rounding each sample where it is read).
 */
function laplacianVariance(pixels: Pixels, box: Face['box'], step: number): number {
  const { width, height } = pixels;
  let lapSum = 0; let lapSq = 0; let lapN = 0;
  const plane = lumaRows(pixels, box.y - 1, box.y + box.height + 1);
  const left: number[] = []; const centre: number[] = []; const right: number[] = [];
  for (let x = box.x + step; x < box.x + box.width - step; x += step) {
    if (x < step || x >= width - step) continue;
    left.push(Math.round(x - step)); centre.push(Math.round(x)); right.push(Math.round(x + step));
  }
  const columns = centre.length;
  for (let y = box.y + step; y < box.y + box.height - step; y += step) {
    if (y < step || y >= height - step) continue;
    const up = Math.round(y - step) * width; const mid = Math.round(y) * width; const down = Math.round(y + step) * width;
    for (let k = 0; k < columns; k++) {
      const c = centre[k];
      const lap = plane[mid + left[k]] + plane[mid + right[k]] + plane[up + c] + plane[down + c] - 4 * plane[mid + c];
      lapSum += lap; lapSq += lap * lap; lapN++;
    }
  }
  return lapN ? lapSq / lapN - (lapSum / lapN) ** 2 : 0;
}

/** Mean CIELAB lightness of the middle of the face box, its clipped share and left-right difference. */
function faceLight(pixels: Pixels, box: Face['box'], centreX: number): { faceLightness: number; clipped: number; sideDifference: number } {
  const { data, width, height } = pixels;
  let lightSum = 0; let clippedCount = 0; let lightN = 0; let leftSum = 0; let leftN = 0; let rightSum = 0; let rightN = 0;
  const fx0 = box.x + box.width * 0.15; const fx1 = box.x + box.width * 0.85;
  const fy0 = box.y + box.height * 0.1; const fy1 = box.y + box.height * 0.9;
  for (let y = Math.max(0, Math.round(fy0)); y < Math.min(height, Math.round(fy1)); y += 2) {
    for (let x = Math.max(0, Math.round(fx0)); x < Math.min(width, Math.round(fx1)); x += 2) {
      const o = (y * width + x) * 3;
      const l = lightness(data[o], data[o + 1], data[o + 2]);
      lightSum += l; lightN++;
      // Blown is near white (L* ≥ 97), not one channel at its top: fair skin in good light often reads R 250+.
      if (l >= 97) clippedCount++;
      if (x < centreX) { leftSum += l; leftN++; } else { rightSum += l; rightN++; }
    }
  }
  return {
    faceLightness: lightN ? lightSum / lightN : 0,
    clipped: lightN ? clippedCount / lightN : 0,
    sideDifference: leftN && rightN ? Math.abs(leftSum / leftN - rightSum / rightN) : 0,
  };
}

/** Skin beside the neck: every other row of [y0, y1), 0.2 to 0.5 face widths either side of the centre line. */
function neckSkin(pixels: Pixels, bg: BackgroundAnalysis | undefined, centreX: number, faceWidth: number, y0: number, y1: number, skin: Rgb, tolerance: number): { skin: number; total: number } {
  const { data, width, height } = pixels;
  let skinCount = 0; let total = 0;
  for (let y = y0; y < y1; y += 2) {
    if (y >= height) break;
    for (const side of [-1, 1]) for (let d = 0.2 * faceWidth; d < 0.5 * faceWidth; d += 2) {
      const x = Math.round(centreX + side * d);
      if (x < 0 || x >= width) continue;
      const o = (y * width + x) * 3;
      total++;
      // Background showing beside a slim neck is not bare skin.
      if (bg && onBackground(bg, x, y, width, height)) continue;
      if (rgbDistance(data[o], data[o + 1], data[o + 2], skin[0], skin[1], skin[2]) < tolerance) skinCount++;
    }
  }
  return { skin: skinCount, total };
}

/** Person share and skin share of the person in a region, by the matte (see FaceRegions.ears). */
function earRegion(pixels: Pixels, matte: Matte, x0: number, x1: number, y0: number, y1: number, skinLab: number[], hair?: number[]): [number, number] {
  const { data, width, height } = pixels;
  const [L, A, B] = skinLab;
  // About 40 samples across the region's width are plenty for a share.
  const step = Math.max(1, Math.round((x1 - x0) / 40));
  let n = 0; let personN = 0; let skinN = 0;
  for (let y = y0; y < y1; y += step) for (let x = x0; x < x1; x += step) {
    n++;
    if (x < 0 || y < 0 || x >= width || y >= height || alphaAt(matte, x, y) < 0.5) continue;
    personN++;
    const o = (y * width + x) * 3;
    const lab = rgbToLab([data[o], data[o + 1], data[o + 2]]);
    const [l, a, b] = lab;
    // Skin-coloured, and (when her hair colour is known) nearer the skin than the hair: light brown
    // or blond hair shares the skin's hue.
    if (Math.hypot(a - A, b - B) < 12 && l > L * 0.45 && l < L + 20 && (!hair || labDistance(lab, skinLab) <= labDistance(lab, hair))) skinN++;
  }
  return [n ? personN / n : 0, personN ? skinN / personN : 0];
}

/** MediaPipe mesh lip contours: outer edge of the lips and the mouth opening. */
export const LIPS_OUTER = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146];
export const LIPS_INNER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95];


const insideRanges = (ranges: number[], x: number) => {
  for (let k = 0; k + 1 < ranges.length; k += 2) if (x >= ranges[k] && x < ranges[k + 1]) return true;
  return false;
};

/** Mean CIELAB colour of the lips (between the outer contour and the mouth opening), row by row. */
function lipColour(pixels: Pixels, mesh: Face['mesh']): number[] {
  const outer = LIPS_OUTER.map((i) => [mesh[i][0], mesh[i][1]] as [number, number]);
  const inner = LIPS_INNER.map((i) => [mesh[i][0], mesh[i][1]] as [number, number]);
  const { data, width, height } = pixels;
  const ys = outer.map((p) => p[1]);
  const step = Math.max(1, Math.round((Math.max(...ys) - Math.min(...ys)) / 24)); // about 24 rows of the lips suffice
  const sum = [0, 0, 0]; let n = 0;
  for (let y = Math.max(0, Math.floor(Math.min(...ys))); y <= Math.min(height - 1, Math.max(...ys)); y += step) {
    const out = polygonCrossings(outer, y + 0.5); const hole = polygonCrossings(inner, y + 0.5);
    for (let k = 0; k + 1 < out.length; k += 2) {
      for (let x = Math.max(0, Math.ceil(out[k] - 0.5)); x <= Math.min(width - 1, Math.floor(out[k + 1] - 0.5)); x += step) {
        if (insideRanges(hole, x + 0.5)) continue;
        const o = (y * width + x) * 3;
        const lab = rgbToLab([data[o], data[o + 1], data[o + 2]]);
        sum[0] += lab[0]; sum[1] += lab[1]; sum[2] += lab[2]; n++;
      }
    }
  }
  return n ? sum.map((v) => v / n) : [0, 0, 0];
}

/** L* exceeded by 1% of the pixels (about 20,000 pixels sampled, into a 101-bin histogram). */
function brightest(pixels: Pixels): number {
  const { data } = pixels;
  const bins = new Uint32Array(101);
  let n = 0;
  const stride = 3 * Math.max(1, Math.floor(data.length / 3 / 20000)) + 3; // odd-ish stride: not in step with rows
  for (let o = 0; o < data.length; o += stride) { bins[Math.round(lightness(data[o], data[o + 1], data[o + 2]))]++; n++; }
  for (let l = 100, above = 0; l >= 0; l--) { above += bins[l]; if (above >= n * 0.01) return l; }
  return 0;
}

/** CIELAB distance with lightness at half weight: hair and skin differ in colour more reliably than in light. */
const labDistance = (a: number[], b: number[]) => Math.hypot(0.5 * (a[0] - b[0]), a[1] - b[1], a[2] - b[2]);

/**
 * The person's hair colour (CIELAB), sampled on the crown between the head top and the forehead;
 * undefined when there is no room to sample or it is too like the skin to tell apart (blond, bald).
 */
function hairColour(pixels: Pixels, face: Face, headTopY: number, skinLab: number[]): number[] | undefined {
  const { data, width, height } = pixels;
  const span = face.foreheadY - headTopY;
  if (span < 4) return undefined;
  const sum = [0, 0, 0]; let n = 0;
  const step = Math.max(1, Math.round(face.faceWidth / 150));
  for (let y = Math.max(0, Math.round(headTopY + 0.15 * span)); y < Math.min(height, Math.round(headTopY + 0.45 * span)); y += step) {
    for (let x = Math.max(0, Math.round(face.centreX - 0.2 * face.faceWidth)); x < Math.min(width, face.centreX + 0.2 * face.faceWidth); x += step) {
      const o = (y * width + x) * 3;
      const lab = rgbToLab([data[o], data[o + 1], data[o + 2]]); sum[0] += lab[0]; sum[1] += lab[1]; sum[2] += lab[2]; n++;
    }
  }
  if (n < 10) return undefined;
  const hair = sum.map((v) => v / n);
  return labDistance(hair, skinLab) < 12 ? undefined : hair;
}

/** The share of a region's pixels nearer the hair colour than the skin's (see FaceRegions.foreheadHair). */
function hairShare(pixels: Pixels, hair: number[], skinLab: number[], x0: number, x1: number, y0: number, y1: number): number | undefined {
  const { data, width, height } = pixels;
  let hairCount = 0; let total = 0;
  const step = Math.max(1, Math.round((x1 - x0) / 60));
  for (let y = Math.max(0, y0); y < Math.min(height, y1); y += step) for (let x = Math.max(0, x0); x < Math.min(width, x1); x += step) {
    total++;
    const o = (y * width + x) * 3;
    const lab = rgbToLab([data[o], data[o + 1], data[o + 2]]);
    if (labDistance(lab, hair) < labDistance(lab, skinLab)) hairCount++;
  }
  return total ? hairCount / total : undefined;
}

export function measureRegions(pixels: Pixels, face: Face, bg: BackgroundAnalysis | undefined, matte?: Matte, headTopY?: number): FaceRegions {
  const m = face.mesh;
  const P = (i: number) => ({ x: m[i][0], y: m[i][1] });
  const w = face.faceWidth;
  const eyeWidth = Math.abs(P(MESH.eyeInnerRight).x - P(MESH.eyeOuterRight).x);
  const bridge = P(MESH.noseBridge);
  const innerA = P(MESH.eyeInnerRight); const innerB = P(MESH.eyeInnerLeft);
  const [innerLeft, innerRight] = innerA.x < innerB.x ? [innerA, innerB] : [innerB, innerA];
  const inset = eyeWidth * 0.25;
  const band = eyeWidth * 0.25;
  const nose = P(MESH.noseTip);
  const bridgeEdge = strongestRowEdge(pixels, innerLeft.x + inset, bridge.y - band, innerRight.x - inset, bridge.y + band);
  const noseEdge = strongestRowEdge(pixels, nose.x - eyeWidth * 0.3, nose.y - eyeWidth * 0.8, nose.x + eyeWidth * 0.3, nose.y - eyeWidth * 0.3);
  // Skin reference: the cheeks below the eyes.
  const cheekL = P(50); const cheekR = P(280);
  const r = w * 0.05;
  const skinA = meanColour(pixels, cheekL.x - r, cheekL.y - r, cheekL.x + r, cheekL.y + r);
  const skinB = meanColour(pixels, cheekR.x - r, cheekR.y - r, cheekR.x + r, cheekR.y + r);
  const skin = skinA.map((v, i) => (v + skinB[i]) / 2) as Rgb;
  // Rims: the gradient in a ring around each eye (frames) against the cheek's own gradient.
  const eyeBox = (outer: number, inner: number) => {
    const a = P(outer); const b = P(inner);
    return { x0: Math.min(a.x, b.x) - eyeWidth * 0.35, x1: Math.max(a.x, b.x) + eyeWidth * 0.35, y0: (a.y + b.y) / 2 - eyeWidth * 0.55, y1: (a.y + b.y) / 2 + eyeWidth * 0.6 };
  };
  const boxes = [eyeBox(MESH.eyeOuterRight, MESH.eyeInnerRight), eyeBox(MESH.eyeOuterLeft, MESH.eyeInnerLeft)];
  const ringGradient = boxes.reduce((sum, b) => sum + meanGradient(pixels, b.x0, b.y0, b.x1, b.y1), 0) / 2;
  const cheekGradient = (meanGradient(pixels, cheekL.x - r * 2, cheekL.y - r, cheekL.x + r * 2, cheekL.y + r * 2)
    + meanGradient(pixels, cheekR.x - r * 2, cheekR.y - r, cheekR.x + r * 2, cheekR.y + r * 2)) / 2;
  // Lower rims: under the lower lid, where a face without glasses has smooth skin.
  const lowerRim = ([outer, inner, lower]: readonly [number, number, number]) => {
    const a = P(outer); const b = P(inner); const lid = P(lower).y;
    const x0 = Math.min(a.x, b.x); const x1 = Math.max(a.x, b.x);
    const width = x1 - x0; // each eye's own width: the two can differ on a turned head
    const rim = strongestRowEdge(pixels, x0, lid + 0.25 * width, x1, lid + 0.9 * width);
    const below = strongestRowEdge(pixels, x0, lid + 1.1 * width, x1, lid + 1.6 * width);
    return rim / (below + 1);
  };
  const glassesLowerRim = (lowerRim([MESH.eyeOuterRight, MESH.eyeInnerRight, MESH.lidBottomRight]) + lowerRim([MESH.eyeOuterLeft, MESH.eyeInnerLeft, MESH.lidBottomLeft])) / 2;
  const eyeColour = boxes.map((b) => meanColour(pixels, b.x0, b.y0 + eyeWidth * 0.3, b.x1, b.y1 - eyeWidth * 0.2));
  const lensDarkness = (rgbToLab(skin)[0] - (rgbToLab(eyeColour[0])[0] + rgbToLab(eyeColour[1])[0]) / 2);

  // Forehead: from just above the brows to the forehead landmark, between the brows' outer ends.
  const browTop = Math.min(P(105).y, P(334).y, P(66).y, P(296).y);
  const top = P(MESH.foreheadTop).y;
  const foreheadX0 = Math.min(P(105).x, P(334).x); const foreheadX1 = Math.max(P(105).x, P(334).x);
  const skinTolerance = 38;
  const foreheadBox = [Math.round(foreheadX0), Math.round(foreheadX1), Math.round(top + (browTop - top) * 0.15), Math.round(browTop - (browTop - top) * 0.1)] as const;
  const foreheadCovered = notSkinShare(pixels, ...foreheadBox, skin, skinTolerance);
  const skinLab = rgbToLab(skin);
  const hair = headTopY === undefined ? undefined : hairColour(pixels, face, headTopY, skinLab);
  const foreheadHair = hair ? hairShare(pixels, hair, skinLab, ...foreheadBox) : undefined;

  // Ears: beside each cheek landmark, from the eye line down to the nose tip.
  const earSkin = ([[MESH.cheekRight, -1], [MESH.cheekLeft, 1]] as const).map(([index, side]) => {
    const cheek = P(index);
    const [xa, xb] = side < 0 ? [cheek.x - w * 0.16, cheek.x - w * 0.02] : [cheek.x + w * 0.02, cheek.x + w * 0.16];
    const x0 = Math.min(xa, xb); const x1 = Math.max(xa, xb);
    return skinShare(pixels, bg, Math.round(x0), Math.round(x1), Math.round(face.eyeLineY), Math.round(nose.y), skin, skinTolerance * 1.2);
  }) as [number, number];

  const earsByMatte = matte ? ([[MESH.cheekRight, -1], [MESH.cheekLeft, 1]] as const).map(([index, side]) => {
    const cx = P(index).x;
    const [x0, x1] = side < 0 ? [cx - w * 0.18, cx] : [cx, cx + w * 0.18];
    return earRegion(pixels, matte, Math.round(x0), Math.round(x1), Math.round(face.eyeLineY), Math.round(nose.y + 0.1 * w), skinLab, hair);
  }) : undefined;
  const ears = earsByMatte
    ? { person: [earsByMatte[0][0], earsByMatte[1][0]] as [number, number], skin: [earsByMatte[0][1], earsByMatte[1][1]] as [number, number] }
    : undefined;

  // Focus: Laplacian variance over the face box, measured as if the face were 240 px wide.
  const box = face.box;
  const sharpness = laplacianVariance(pixels, box, Math.max(1, w / 240));
  // Light: the skin of the cheeks, forehead and chin area inside the face box.
  const light = faceLight(pixels, box, face.centreX);
  const eyesRegion = boxes.reduce((sum, b) => sum + highPass(pixels, b.x0, b.y0, b.x1, b.y1), 0) / 2;
  const cheeksRegion = (highPass(pixels, cheekL.x - r * 2, cheekL.y - r, cheekL.x + r * 2, cheekL.y + r * 2)
    + highPass(pixels, cheekR.x - r * 2, cheekR.y - r, cheekR.x + r * 2, cheekR.y + r * 2)) / 2;
  const chin = P(MESH.chin);
  const faceHeight = chin.y - P(MESH.foreheadTop).y;
  const neck = neckSkin(pixels, bg, face.centreX, w, Math.round(chin.y + 0.3 * faceHeight), Math.round(chin.y + 0.55 * faceHeight), skin, skinTolerance * 1.05);
  const clothes = medianColour(pixels, face.centreX - w * 0.9, Math.max(chin.y + w * 0.35, pixels.height * 0.88), face.centreX + w * 0.9, pixels.height);
  return {
    sceneBright: brightest(pixels),
    lipChromaExcess: (() => { const lip = lipColour(pixels, m); return Math.hypot(lip[1], lip[2]) - Math.hypot(skinLab[1], skinLab[2]); })(),
    glassesBridge: bridgeEdge / (noseEdge + 1),
    glassesRims: ringGradient / (cheekGradient + 1),
    glassesLowerRim,
    lensDarkness,
    foreheadCovered,
    earSkin,
    ...(ears ? { ears } : {}),
    ...(foreheadHair === undefined ? {} : { foreheadHair }),
    sharpness,
    ...light,
    skinTexture: cheeksRegion / (eyesRegion + 1),
    neckSideSkin: neck.total > 40 ? neck.skin / neck.total : undefined,
    clothes, skin,
  };
}

export const faceRegionsAnalysis = defineAnalysis<FaceRegions | undefined>('face-regions', async (photo: Photo) => {
  const face = (await faces(photo)).main;
  if (!face) return undefined;
  // The hair is sampled only below a head top that is in the picture: where the head is cut, the top
  // rows may as well be forehead (a fringe photo and a bare one, cut, were both judged wrong so).
  const top = await headTopOf(photo);
  return measureRegions(photo.pixels, face, await background(photo), (await person(photo))?.matte, top && !top.cut ? top.y : undefined);
});

export const faceRegions = (photo: Photo): Promise<FaceRegions | undefined> => analyse(photo, faceRegionsAnalysis);

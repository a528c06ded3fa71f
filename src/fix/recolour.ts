import { evalFit, measureBackground, touches, type BackgroundAnalysis } from '../analysis/background.js';
import { rgbDistance, type Rgb } from '../analysis/colour.js';
import type { Face } from '../analysis/face.js';
import type { RawImage } from './encode.js';

export interface RecolourResult {
  image: RawImage;
  before: BackgroundAnalysis;
}

/**
 * Replace a plain background with `colour` along a soft mask. Each pixel near the background moves
 * by (1 - alpha) times the difference between the new colour and the old background there, which
 * is the same as un-mixing the old background out of hair edges and mixing the new one in: no halo.
 */
/** The part of the picture that is not background and is connected to the face: the person. */
function personRegion(bg: BackgroundAnalysis, face: Face | undefined, imageWidth: number): Uint8Array {
  const { mask, width, height } = bg;
  const person = new Uint8Array(mask.length);
  const scale = width / imageWidth;
  const seedX = Math.min(width - 1, Math.max(0, Math.round((face ? face.centreX : imageWidth / 2) * scale)));
  const seedY = Math.min(height - 1, Math.max(0, Math.round((face ? face.eyeLineY : 0.45 * height / scale) * scale)));
  const stack = [seedY * width + seedX];
  if (mask[stack[0]]) return person.fill(1); // no person where the face should be: keep everything
  person[stack[0]] = 1;
  while (stack.length > 0) {
    const index = stack.pop()!;
    const x = index % width;
    for (const next of [index - width, index + width, x > 0 ? index - 1 : -1, x < width - 1 ? index + 1 : -1]) {
      if (next < 0 || next >= mask.length || person[next] || mask[next]) continue;
      person[next] = 1;
      stack.push(next);
    }
  }
  return person;
}

export function replaceBackground(image: RawImage, face: Face | undefined, colour: Rgb): RecolourResult {
  const before = measureBackground({ data: image.data, width: image.width, height: image.height, scale: 1 }, face);
  const { width, height } = image;
  const maskW = before.width;
  const maskH = before.height;
  const alpha = new Float32Array(width * height);
  const t = before.threshold;
  const person = personRegion(before, face, width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      // Reachable: the background mask (at its lower resolution) or a pixel next to it.
      const mx = Math.min(maskW - 1, Math.floor((x * maskW) / width));
      const my = Math.min(maskH - 1, Math.floor((y * maskH) / height));
      if (!touches(before.mask, maskW, maskH, mx, my)) { alpha[i] = 1; continue; }
      // Specks and objects that do not touch the person (texture of the old backdrop, a prop) go entirely.
      if (!touches(person, maskW, maskH, mx, my)) { alpha[i] = 0; continue; }
      const [r, g, b] = evalFit(before.fit, x / width, y / height);
      const o = i * 3;
      const d = rgbDistance(image.data[o], image.data[o + 1], image.data[o + 2], r, g, b);
      const k = Math.min(1, Math.max(0, (d - 0.35 * t) / (0.9 * t)));
      alpha[i] = k * k * (3 - 2 * k); // smoothstep
    }
  }
  // Soften the mask by one pixel so the new edge is as soft as the camera's.
  const soft = new Float32Array(alpha.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    let sum = 0; let n = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const nx = x + dx; const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      sum += alpha[ny * width + nx]; n++;
    }
    soft[y * width + x] = sum / n;
  }
  const out = Buffer.alloc(image.data.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = y * width + x;
    const o = i * 3;
    const a = soft[i];
    if (a >= 0.999) { out[o] = image.data[o]; out[o + 1] = image.data[o + 1]; out[o + 2] = image.data[o + 2]; continue; }
    const old = evalFit(before.fit, x / width, y / height);
    // Where the pixel is clearly background, drop the old backdrop's texture too: the new one is flat.
    const k = Math.min(1, a / 0.35);
    const keep = k * k * (3 - 2 * k);
    for (let c = 0; c < 3; c++) {
      const unmixed = image.data[o + c] + (1 - a) * (colour[c] - old[c]);
      out[o + c] = Math.max(0, Math.min(255, Math.round(keep * unmixed + (1 - keep) * colour[c])));
    }
  }
  return { image: { data: out, width, height }, before };
}

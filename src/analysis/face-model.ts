/**
 * Faces: MediaPipe's BlazeFace detectors and FaceMesh (468 landmarks), run through the model runtime
 * (models/engine.ts) on upright RGB pixels.
 *
 * The pre- and post-processing follows Human 3.3.6's pipeline (anchors, 1.4x box, crop, mesh
 * transform, angles) but is done here in plain JS on the decoded pixels: it keeps sub-pixel mesh
 * coordinates (Human truncates them) and needs no copy of Human's bundle.
 */
import type { Pixels } from '../contract/types.js';
import { engine, model, type Engine } from '../models/engine.js';

/** One face as the model sees it, in the coordinates of the pixels it was given. */
export interface RawFace {
  /** The mesh's face confidence (0–1). */
  score: number;
  boxScore: number;
  faceScore: number;
  /** 468 mesh points [x, y, z] (z in the model's own units). */
  mesh: [number, number, number][];
  /** Degrees, from the mesh's axes (Human's method). */
  roll: number;
  yaw: number;
  pitch: number;
}

/** Short-range (ID photos: a face filling much of the picture) and full-range (groups, small faces) detectors. */
export type DetectorRange = 'short' | 'full';

/** Load every model the face analysis uses (a warm-up for benchmarks and workers). */
export async function faceModel(): Promise<Engine> {
  await Promise.all((['short', 'mesh', 'iris'] as const).map((name) => model(name)));
  return engine();
}

/**
 * A square of the picture a model looks at: centred on (cx, cy), `size` picture pixels wide, turned by
 * `angle` radians (clockwise, y down), mirrored left to right when `mirror` is set.
 */
export interface SquareCrop { cx: number; cy: number; size: number; angle: number; mirror?: boolean }

/** A crop's picture-space axes for a side x side input: one input pixel's step, turned by the crop's angle. */
function squareAxes(crop: SquareCrop, side: number): { cos: number; sin: number; half: number } {
  const step = crop.size / side;
  return { cos: Math.cos(crop.angle) * step, sin: Math.sin(crop.angle) * step, half: side / 2 };
}

/**
 * Where a point (u, v) of a side x side model input made from `crop` lies in the picture: how model
 * outputs are mapped back. sampleSquare samples through the same mapping.
 */
export function fromSquare(crop: SquareCrop, side: number): (u: number, v: number) => [number, number] {
  const { cos, sin, half } = squareAxes(crop, side);
  return (u, v) => {
    const du = (crop.mirror ? side - u : u) - half;
    const dv = v - half;
    return [crop.cx + cos * du - sin * dv, crop.cy + sin * du + cos * dv];
  };
}

/**
 * Sample `crop` into a side x side RGB float input at `into[at]`, bilinearly. Values are
 * v * scale + offset; outside the picture is black.
 */
export function sampleSquare(pixels: Pixels, crop: SquareCrop, side: number, into: Float32Array, at: number, scale: number, offset: number): void {
  const { data, width, height } = pixels;
  const { cos, sin, half } = squareAxes(crop, side);
  const stride = width * 3;
  // fromSquare at each pixel centre (u + 0.5, v + 0.5), written out: this runs ~45 000 times a photo.
  // Along a row the picture point moves by one step of the turned axes, so it is advanced, not recomputed.
  const first = (crop.mirror ? side - 1 : 0) + 0.5 - half;
  const stepX = crop.mirror ? -cos : cos;
  const stepY = crop.mirror ? -sin : sin;
  let o = at;
  for (let v = 0; v < side; v++) {
    const dv = v + 0.5 - half;
    let x = crop.cx + cos * first - sin * dv - 0.5;
    let y = crop.cy + sin * first + cos * dv - 0.5;
    for (let u = 0; u < side; u++, o += 3, x += stepX, y += stepY) {
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      let r = 0; let g = 0; let b = 0;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
        // Across, then down: six lerps instead of four weights and twelve products.
        const p = y0 * stride + x0 * 3;
        const q = p + stride;
        const r0 = data[p] + (data[p + 3] - data[p]) * fx; const r1 = data[q] + (data[q + 3] - data[q]) * fx;
        const g0 = data[p + 1] + (data[p + 4] - data[p + 1]) * fx; const g1 = data[q + 1] + (data[q + 4] - data[q + 1]) * fx;
        const b0 = data[p + 2] + (data[p + 5] - data[p + 2]) * fx; const b1 = data[q + 2] + (data[q + 5] - data[q + 2]) * fx;
        r = r0 + (r1 - r0) * fy; g = g0 + (g1 - g0) * fy; b = b0 + (b1 - b0) * fy;
      } else {
        for (let dy = 0; dy < 2; dy++) {
          const yy = y0 + dy;
          if (yy < 0 || yy >= height) continue;
          for (let dx = 0; dx < 2; dx++) {
            const xx = x0 + dx;
            if (xx < 0 || xx >= width) continue;
            const w = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
            const p = (yy * width + xx) * 3;
            r += data[p] * w; g += data[p + 1] * w; b += data[p + 2] * w;
          }
        }
      }
      into[o] = r * scale + offset; into[o + 1] = g * scale + offset; into[o + 2] = b * scale + offset;
    }
  }
}

// ---------------------------------------------------------------- detector

/** A face the detector found, as the square the mesh model will look at (its angle: the face's lean,
 * from the detector's nose and mouth points, when large; else 0). */
interface Detection extends SquareCrop {
  score: number;
}

/** BlazeFace anchors (MediaPipe's SSD anchors: strides of input/16 and input/8 with 2 and 6 anchors). */
const anchorCache = new Map<number, Float32Array>();
function anchors(inputSize: number): Float32Array {
  let cached = anchorCache.get(inputSize);
  if (!cached) {
    const out: number[] = [];
    for (const [stride, count] of [[inputSize / 16, 2], [inputSize / 8, 6]]) {
      const cells = Math.floor((inputSize + stride - 1) / stride);
      for (let y = 0; y < cells; y++) for (let x = 0; x < cells; x++) for (let n = 0; n < count; n++) out.push(stride * (x + 0.5), stride * (y + 0.5));
    }
    cached = Float32Array.from(out);
    anchorCache.set(inputSize, cached);
  }
  return cached;
}

/** Resize the whole picture to size x size (stretched, as the detector was run in Human), scaled to -1..1. */
function detectorInput(pixels: Pixels, size: number, input: Float32Array): void {
  const { data, width, height } = pixels;
  const sx = width / size; const sy = height / size;
  // The columns' source offsets and weights are the same on every row.
  const left = new Int32Array(size); const right = new Int32Array(size); const across = new Float64Array(size);
  for (let u = 0; u < size; u++) {
    const x = u * sx; const x0 = Math.floor(x);
    left[u] = x0 * 3; right[u] = Math.min(width - 1, x0 + 1) * 3; across[u] = x - x0;
  }
  let o = 0;
  for (let v = 0; v < size; v++) {
    const y = v * sy; const y0 = Math.floor(y); const y1 = Math.min(height - 1, y0 + 1); const fy = y - y0;
    const top = y0 * width * 3; const bottom = y1 * width * 3;
    for (let u = 0; u < size; u++, o += 3) {
      const fx = across[u];
      const p00 = top + left[u]; const p10 = top + right[u]; const p01 = bottom + left[u]; const p11 = bottom + right[u];
      for (let c = 0; c < 3; c++) {
        const upper = data[p00 + c] + (data[p10 + c] - data[p00 + c]) * fx;
        const lower = data[p01 + c] + (data[p11 + c] - data[p01 + c]) * fx;
        input[o + c] = (upper + (lower - upper) * fy) / 127.5 - 1;
      }
    }
  }
}

const MIN_SCORE = 0.5;
const IOU_LIMIT = 0.1;
const MAX_FACES = 20;
/** The detector's box is enlarged this much for the mesh crop (Human's default). */
const BOX_SCALE = 1.4;
/** Lean (radians) beyond which the mesh crop is turned upright first (Human's rule: about 11.5°). */
const ROTATE_ABOVE = 0.2;

async function detect(range: DetectorRange, pixels: Pixels): Promise<Detection[]> {
  const net = await model(range);
  const size = net.inputSize;
  const outputs = await net.run([1, size, size, 3], (input) => detectorInput(pixels, size, input));
  const raw = detectorRows(outputs);
  const count = raw.length / 17;
  const anchor = anchors(size);
  const found: { score: number; box: [number, number, number, number]; i: number }[] = [];
  for (let i = 0; i < count; i++) {
    const score = 1 / (1 + Math.exp(-raw[i * 17]));
    if (score <= MIN_SCORE) continue;
    const cx = raw[i * 17 + 1] + anchor[i * 2]; const cy = raw[i * 17 + 2] + anchor[i * 2 + 1];
    const w = raw[i * 17 + 3]; const h = raw[i * 17 + 4];
    found.push({ score, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], i });
  }
  found.sort((a, b) => b.score - a.score);
  const kept: typeof found = [];
  for (const candidate of found) {
    if (kept.length >= MAX_FACES) break;
    if (kept.every((other) => iou(candidate.box, other.box) <= IOU_LIMIT)) kept.push(candidate);
  }
  const fx = pixels.width / size; const fy = pixels.height / size;
  return kept.map(({ score, box, i }) => {
    const [x0, y0, x1, y1] = [box[0] * fx, box[1] * fy, box[2] * fx, box[3] * fy];
    // Keypoints 2 (nose) and 3 (mouth) give the face's up direction.
    const point = (k: number) => [(raw[i * 17 + 5 + k * 2] + anchor[i * 2]) * fx, (raw[i * 17 + 6 + k * 2] + anchor[i * 2 + 1]) * fy];
    const [nx, ny] = point(2); const [mx, my] = point(3);
    const lean = Math.atan2(nx - mx, my - ny);
    return {
      cx: (x0 + x1) / 2, cy: (y0 + y1) / 2,
      size: BOX_SCALE * Math.max(x1 - x0, y1 - y0),
      angle: Math.abs(lean) > ROTATE_ABOVE ? lean : 0,
      score,
    };
  });
}

/**
 * The detector's answer as rows of 17 per anchor: a score logit, box centre offset and size, and 6
 * keypoint offsets. The models ship it as one [896, 17] tensor or, as these (PINTO-converted) ones
 * do, as scores and regressors per anchor grid: 512 + 384 anchors, the finer grid first.
 */
function detectorRows(outputs: Float32Array[]): Float32Array {
  if (outputs.length === 1) return outputs[0];
  const [scores384, scores512, boxes384, boxes512] = [...outputs].sort((a, b) => a.length - b.length);
  if (scores384?.length !== 384 || scores512.length !== 512 || boxes384.length !== 384 * 16 || boxes512.length !== 512 * 16) {
    throw new Error('the face detector returned unexpected outputs');
  }
  const rows = new Float32Array(896 * 17);
  const put = (scores: Float32Array, boxes: Float32Array, first: number) => {
    for (let i = 0; i < scores.length; i++) {
      rows[(first + i) * 17] = scores[i];
      rows.set(boxes.subarray(i * 16, i * 16 + 16), (first + i) * 17 + 1);
    }
  };
  put(scores512, boxes512, 0);
  put(scores384, boxes384, 512);
  return rows;
}

function iou(a: [number, number, number, number], b: [number, number, number, number]): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

// ---------------------------------------------------------------- mesh

const MESH_SIZE = 192;

async function meshFor(pixels: Pixels, found: Detection): Promise<RawFace | undefined> {
  const net = await model('mesh');
  const outputs = await net.run([1, MESH_SIZE, MESH_SIZE, 3], (input) => sampleSquare(pixels, found, MESH_SIZE, input, 0, 1 / 255, 0));
  const flag = outputs.find((values) => values.length === 1);
  const points = outputs.find((values) => values.length === 1404);
  if (!flag || !points) throw new Error('the face mesh model returned unexpected outputs');
  const faceScore = flag[0];
  if (faceScore < MIN_SCORE) return undefined; // the detector's box holds no face the mesh believes in
  const toPicture = fromSquare(found, MESH_SIZE);
  const mesh: RawFace['mesh'] = [];
  for (let k = 0; k < 468; k++) mesh.push([...toPicture(points[k * 3], points[k * 3 + 1]), points[k * 3 + 2]]);
  return { score: faceScore, boxScore: found.score, faceScore, mesh, ...faceAngles(mesh, found.size) };
}

/**
 * Roll, yaw and pitch in degrees from the mesh's forehead-chin and cheek-cheek axes, exactly as
 * Human computes them (x and y in units of the detector box / 1.5, z in the mesh's units / 192), so
 * the profile's calibrated pose limits still hold.
 */
function faceAngles(mesh: RawFace['mesh'], side: number): { roll: number; yaw: number; pitch: number } {
  // Human: size = max(box w, box h) / 1.5, its box being the squared detector box with the 1.4x enlargement.
  const scale = side / 1.5;
  const p = (i: number): [number, number, number] => [mesh[i][0] / scale, mesh[i][1] / scale, Math.trunc(mesh[i][2]) / MESH_SIZE];
  const sub = (a: number[], b: number[]): [number, number, number] => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  const norm = (v: [number, number, number]): [number, number, number] => { const l = Math.hypot(...v) || 1; return [v[0] / l, v[1] / l, v[2] / l]; };
  const cross = (a: number[], b: number[]): [number, number, number] => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const yAxis = norm(sub(p(152), p(10)));
  let xAxis = norm(sub(p(454), p(234)));
  const zAxis = norm(cross(xAxis, yAxis));
  xAxis = cross(yAxis, zAxis);
  const [r00, , , r10, r11, r12, r20] = [...xAxis, ...yAxis, ...zAxis];
  const thetaZ = Math.atan2(r10, Math.sqrt(r00 * r00 + r20 * r20));
  const thetaY = Math.atan2(-r20, r00);
  const thetaX = Math.atan2(-r12, r11);
  const degrees = (radians: number) => (Number.isFinite(radians) ? (-radians * 180) / Math.PI : 0);
  return { pitch: degrees(thetaX), yaw: degrees(thetaY), roll: degrees(thetaZ) };
}

// ---------------------------------------------------------------- both

/** A face at least this share of the picture's width is a portrait's subject: the short-range detector's domain. */
const PORTRAIT_FACE_SHARE = 0.15;

/**
 * Detection and mesh on upright RGB pixels. The short-range detector answers for portraits
 * (exactly one face, large in the frame); anything else (no face, several, a small one) is looked at
 * again with the full-range detector, so groups and people far behind are still counted.
 */
export async function detectFaces(pixels: Pixels): Promise<RawFace[]> {
  const quick = await facesWith('short', pixels);
  if (quick.length === 1) {
    const width = Math.hypot(quick[0].mesh[454][0] - quick[0].mesh[234][0], quick[0].mesh[454][1] - quick[0].mesh[234][1]);
    if (width >= pixels.width * PORTRAIT_FACE_SHARE) return quick;
  }
  return facesWith('full', pixels);
}

async function facesWith(range: DetectorRange, pixels: Pixels): Promise<RawFace[]> {
  const faces: RawFace[] = [];
  for (const found of await detect(range, pixels)) {
    const face = await meshFor(pixels, found);
    if (face) faces.push(face);
  }
  return faces;
}

// ---------------------------------------------------------------- faces cut by the frame's side

/** How far (share of its width) a mirrored face's centre may lie from the mirror line to be a face cut by the edge. */
const EDGE_CENTRE_TOLERANCE = 0.2;

export interface EdgeFace {
  side: 'left' | 'right';
  /** The whole (mirrored) face's width in picture pixels; about half of it lies inside the picture. */
  width: number;
  boxScore: number;
  faceScore: number;
  /** The face centre's distance from the edge, as a share of its width (0: cut through the middle). */
  offset: number;
  /** Forehead-to-chin span in picture rows. */
  top: number;
  bottom: number;
  /** How much of the mirrored face's width lies inside the picture, in pixels (half its width). */
  inside: number;
}

/** Each side's strip is this share of the picture's height (capped at half its width): room for half a face. */
const EDGE_STRIP = 0.3;

/**
 * Faces cut by the left or right edge. A face cut near its middle is half a face to a detector, and
 * none is found; mirrored about the edge it is whole again. Both sides' strips, each beside its own
 * mirror image, go to the detector in one picture: [left mirrored | left | right | right mirrored].
 * A face found centred on one of the two mirror lines is a face that edge cuts.
 */
export async function edgeFaces(pixels: Pixels): Promise<EdgeFace[]> {
  const { data, width, height } = pixels;
  const strip = Math.min(Math.round(height * EDGE_STRIP), width >> 1);
  if (strip < 16) return [];
  const across = strip * 4;
  const source = new Int32Array(across);
  for (let u = 0; u < strip; u++) {
    source[u] = strip - 1 - u; // left edge mirrored
    source[strip + u] = u; // left edge as it is
    source[2 * strip + u] = width - strip + u; // right edge as it is
    source[3 * strip + u] = width - 1 - u; // right edge mirrored
  }
  const out = Buffer.alloc(across * height * 3);
  for (let y = 0, to = 0; y < height; y++) {
    const row = y * width;
    for (let u = 0; u < across; u++, to += 3) {
      const from = (row + source[u]) * 3;
      out[to] = data[from]; out[to + 1] = data[from + 1]; out[to + 2] = data[from + 2];
    }
  }
  const joined: Pixels = { data: out, width: across, height, scale: pixels.scale };
  const found: EdgeFace[] = [];
  for (const detection of await detect('short', joined)) {
    const side = detection.cx < 2 * strip ? 'left' : 'right';
    const line = side === 'left' ? strip : 3 * strip;
    // The detector's box (1.4x enlarged in size) must already straddle the line: the mesh costs more.
    if (Math.abs(detection.cx - line) > (EDGE_CENTRE_TOLERANCE * 1.5 * detection.size) / BOX_SCALE) continue;
    const face = await meshFor(joined, detection);
    if (!face) continue;
    const faceWidth = Math.hypot(face.mesh[454][0] - face.mesh[234][0], face.mesh[454][1] - face.mesh[234][1]);
    const offset = Math.abs((face.mesh[454][0] + face.mesh[234][0]) / 2 - line) / Math.max(1, faceWidth);
    if (offset > EDGE_CENTRE_TOLERANCE) continue;
    const rows = [face.mesh[10][1], face.mesh[152][1]];
    found.push({ side, width: faceWidth, boxScore: face.boxScore, faceScore: face.faceScore, offset, top: Math.min(...rows), bottom: Math.max(...rows), inside: faceWidth / 2 });
  }
  return found;
}

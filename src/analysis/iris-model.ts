/**
 * MediaPipe's iris landmark model (models/iris.json inside @vladmandic/human), run by us on the two
 * eyes of one face. It is the most expensive of the three face models (about half of their time),
 * and only borderline eye measurements need it, so it is not part of every detection.
 *
 * Human's own iris step flips both eye crops but un-flips only one eye's coordinates, which
 * mirrors the other iris about its crop's centre; this module crops, flips and maps back itself.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Pixels } from '../core/types.js';
import { faceModel, offlineFetch } from './face-model.js';

const require = createRequire(import.meta.url);

/** The model's input side, and how much wider than the corner-to-corner distance the crop is (MediaPipe's 2.3). */
const INPUT = 64;
const CROP_SCALE = 2.3;
/** Output: 71 eye-region points, then 5 iris points (centre first), x y z each. */
const CONTOUR_POINTS = 71;
const POINTS = 76;

type Mesh = [number, number, number][];

/**
 * Mesh contour indices per eye (MediaPipe face mesh, the subject's right eye = the picture's left)
 * and, for each, the iris model's output index that refines it (MediaPipe's iris-to-mesh map).
 */
const EYES = {
  right: {
    corners: [33, 133] as const,
    contours: {
      upper0: [[246, 161, 160, 159, 158, 157, 173], [9, 10, 11, 12, 13, 14, 15]],
      lower0: [[33, 7, 163, 144, 145, 153, 154, 155, 133], [0, 1, 2, 3, 4, 5, 6, 7, 8]],
      upper1: [[247, 30, 29, 27, 28, 56, 190], [25, 26, 27, 28, 29, 30, 31]],
      lower1: [[130, 25, 110, 24, 23, 22, 26, 112, 243], [16, 17, 18, 19, 20, 21, 22, 23, 24]],
    },
    /** Where the refined iris points go in a 478-point mesh. */
    irisAt: 468,
  },
  left: {
    corners: [362, 263] as const,
    contours: {
      upper0: [[466, 388, 387, 386, 385, 384, 398], [9, 10, 11, 12, 13, 14, 15]],
      lower0: [[263, 249, 390, 373, 374, 380, 381, 382, 362], [0, 1, 2, 3, 4, 5, 6, 7, 8]],
      upper1: [[467, 260, 259, 257, 258, 286, 414], [25, 26, 27, 28, 29, 30, 31]],
      lower1: [[359, 255, 339, 254, 253, 252, 256, 341, 463], [16, 17, 18, 19, 20, 21, 22, 23, 24]],
    },
    irisAt: 473,
  },
} as const;

/** The model was trained on one eye's orientation: MediaPipe mirrors the subject's left eye into it. */
const FLIPPED: Record<keyof typeof EYES, boolean> = { right: false, left: true };

let loading: Promise<GraphModel> | undefined;

function irisModel(): Promise<GraphModel> {
  loading ??= (async () => {
    const human = await faceModel('short');
    const dist = path.dirname(require.resolve('@vladmandic/human'));
    const url = pathToFileURL(path.join(dist, '..', 'models', 'iris.json')).href;
    const tf = human.tf as typeof import('@tensorflow/tfjs-converter');
    return tf.loadGraphModel(url, { fetchFunc: offlineFetch });
  })().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

interface EyeCrop { x0: number; y0: number; side: number; flip: boolean }

function eyeCrop(mesh: Mesh, eye: keyof typeof EYES): EyeCrop {
  const [a, b] = EYES[eye].corners;
  const cx = (mesh[a][0] + mesh[b][0]) / 2;
  const cy = (mesh[a][1] + mesh[b][1]) / 2;
  const side = CROP_SCALE * Math.max(Math.abs(mesh[a][0] - mesh[b][0]), Math.abs(mesh[a][1] - mesh[b][1]), 1);
  return { x0: cx - side / 2, y0: cy - side / 2, side, flip: FLIPPED[eye] };
}

/** Bilinear 64x64 crop, scaled to 0..1, mirrored when the eye needs it; pixels outside the picture are black. */
function sample(pixels: Pixels, crop: EyeCrop, into: Float32Array, offset: number): void {
  const { data, width, height } = pixels; // RGB, 3 bytes a pixel
  const step = crop.side / INPUT;
  for (let v = 0; v < INPUT; v++) {
    const y = crop.y0 + (v + 0.5) * step - 0.5;
    const y0 = Math.floor(y);
    const fy = y - y0;
    for (let u = 0; u < INPUT; u++) {
      const x = crop.x0 + ((crop.flip ? INPUT - 1 - u : u) + 0.5) * step - 0.5;
      const x0 = Math.floor(x);
      const fx = x - x0;
      const out = offset + (v * INPUT + u) * 3;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < 2; dy++) {
          const yy = y0 + dy;
          if (yy < 0 || yy >= height) continue;
          const wy = dy ? fy : 1 - fy;
          for (let dx = 0; dx < 2; dx++) {
            const xx = x0 + dx;
            if (xx < 0 || xx >= width) continue;
            sum += wy * (dx ? fx : 1 - fx) * data[(yy * width + xx) * 3 + c];
          }
        }
        into[out + c] = sum / 255;
      }
    }
  }
}

/**
 * The face's mesh with both eyes refined by the iris model: the lid contours replaced by the iris
 * model's and the iris points appended (468–472 the subject's right iris, 473–477 the left; the
 * first of each is the centre), 478 points in all.
 */
export async function refineEyes(pixels: Pixels, mesh: Mesh): Promise<Mesh> {
  const model = await irisModel();
  const human = await faceModel('short');
  const tf = human.tf as typeof import('@tensorflow/tfjs-core');
  const eyes = ['right', 'left'] as const;
  const crops = eyes.map((eye) => eyeCrop(mesh, eye));
  const input = new Float32Array(2 * INPUT * INPUT * 3);
  crops.forEach((crop, i) => sample(pixels, crop, input, i * INPUT * INPUT * 3));
  const batch = tf.tensor4d(input, [2, INPUT, INPUT, 3]);
  let values: Float32Array;
  try {
    const output = model.execute(batch) as import('@tensorflow/tfjs-core').Tensor;
    values = (await output.data()) as Float32Array;
    output.dispose();
  } finally {
    batch.dispose();
  }
  const refined: Mesh = mesh.slice(0, 468).map((p) => [p[0], p[1], p[2]]);
  eyes.forEach((eye, i) => {
    const crop = crops[i];
    const point = (k: number): [number, number, number] => {
      const at = (i * POINTS + k) * 3;
      const u = values[at] / INPUT;
      return [crop.x0 + (crop.flip ? 1 - u : u) * crop.side, crop.y0 + (values[at + 1] / INPUT) * crop.side, values[at + 2]];
    };
    for (const [meshIndices, modelIndices] of Object.values(EYES[eye].contours) as (readonly (readonly number[])[])[]) {
      meshIndices.forEach((m: number, j: number) => {
        const p = point(modelIndices[j]);
        refined[m] = [p[0], p[1], (p[2] + mesh[m][2]) / 2];
      });
    }
    for (let k = 0; k < 5; k++) refined[EYES[eye].irisAt + k] = point(CONTOUR_POINTS + k);
  });
  return refined;
}

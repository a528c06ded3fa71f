/**
 * MediaPipe's iris landmark model (models/iris.json inside @vladmandic/human) on the two eyes of the
 * face the rules measure. It is the most expensive of the three face models (about half of their
 * time), so it runs for the main face only, not for every face found.
 *
 * Human 3.3.6's own iris step mirrors both eye crops but un-mirrors only one eye's output, which
 * reflects the other iris about its crop's centre; here each crop is mirrored only for the eye the
 * model expects mirrored (MediaPipe's left eye), and mapped back the same way.
 */
import type { Pixels } from '../contract/types.js';
import { model } from '../models/engine.js';
import { fromSquare, sampleSquare, type SquareCrop } from './face-model.js';

/** The model's input side, and how much wider than the corner-to-corner distance the crop is (MediaPipe's 2.3). */
const INPUT = 64;
const CROP_SCALE = 2.3;
/** Output: 71 eye-region points, then 5 iris points (centre first), x y z each. */
const CONTOUR_POINTS = 71;
const POINTS = 76;

type Mesh = [number, number, number][];

/**
 * The iris model's output points that refine each lid contour (MediaPipe's iris-to-mesh map). They are
 * the same for both eyes: the model sees the subject's left eye mirrored into the right eye's place.
 */
const MODEL_CONTOURS = {
  upper0: [9, 10, 11, 12, 13, 14, 15],
  lower0: [0, 1, 2, 3, 4, 5, 6, 7, 8],
  upper1: [25, 26, 27, 28, 29, 30, 31],
  lower1: [16, 17, 18, 19, 20, 21, 22, 23, 24],
} as const;
type ContourName = keyof typeof MODEL_CONTOURS;

/**
 * Per eye (MediaPipe face mesh; the subject's right eye is the picture's left): its corners, the mesh
 * indices of each lid contour (in MODEL_CONTOURS's order), where its refined iris points go in a
 * 478-point mesh, and whether its crop is mirrored for the model (trained on one eye's orientation).
 */
const EYES = {
  right: {
    corners: [33, 133],
    contours: {
      upper0: [246, 161, 160, 159, 158, 157, 173],
      lower0: [33, 7, 163, 144, 145, 153, 154, 155, 133],
      upper1: [247, 30, 29, 27, 28, 56, 190],
      lower1: [130, 25, 110, 24, 23, 22, 26, 112, 243],
    },
    irisAt: 468,
    mirrored: false,
  },
  left: {
    corners: [362, 263],
    contours: {
      upper0: [466, 388, 387, 386, 385, 384, 398],
      lower0: [263, 249, 390, 373, 374, 380, 381, 382, 362],
      upper1: [467, 260, 259, 257, 258, 286, 414],
      lower1: [359, 255, 339, 254, 253, 252, 256, 341, 463],
    },
    irisAt: 473,
    mirrored: true,
  },
} as const;

/** Each eye's lid line (lower then upper contour), the subject's right eye first. */
export const LID_CONTOURS: readonly (readonly number[])[] = Object.values(EYES).map(({ contours }) => [...contours.lower0, ...contours.upper0]);

/** A square around one eye, turned to lie along the line through its corners (as MediaPipe crops it). */
function eyeCrop(mesh: Mesh, eye: keyof typeof EYES): SquareCrop {
  const [a, b] = EYES[eye].corners; // picture-left corner first
  const dx = mesh[b][0] - mesh[a][0];
  const dy = mesh[b][1] - mesh[a][1];
  return {
    cx: (mesh[a][0] + mesh[b][0]) / 2, cy: (mesh[a][1] + mesh[b][1]) / 2,
    size: CROP_SCALE * Math.max(Math.hypot(dx, dy), 1),
    angle: Math.atan2(dy, dx),
    mirror: EYES[eye].mirrored,
  };
}

/**
 * The face's mesh with both eyes refined by the iris model: the lid contours replaced by the iris
 * model's and the iris points appended (468–472 the subject's right iris, 473–477 the left; the
 * first of each is the centre), 478 points in all.
 */
export async function refineEyes(pixels: Pixels, mesh: Mesh): Promise<Mesh> {
  const net = await model('iris');
  const eyes = ['right', 'left'] as const;
  const crops = eyes.map((eye) => eyeCrop(mesh, eye));
  const [values] = await net.run([2, INPUT, INPUT, 3], (input) => {
    crops.forEach((crop, i) => { sampleSquare(pixels, crop, INPUT, input, i * INPUT * INPUT * 3, 1 / 255, 0); });
  });
  const refined: Mesh = mesh.slice(0, 468).map((p) => [p[0], p[1], p[2]]);
  eyes.forEach((eye, i) => {
    const toPicture = fromSquare(crops[i], INPUT);
    const point = (k: number): [number, number, number] => {
      const at = (i * POINTS + k) * 3;
      return [...toPicture(values[at], values[at + 1]), values[at + 2]];
    };
    for (const [contour, meshIndices] of Object.entries(EYES[eye].contours) as [ContourName, readonly number[]][]) {
      meshIndices.forEach((m, j) => {
        const p = point(MODEL_CONTOURS[contour][j]);
        refined[m] = [p[0], p[1], (p[2] + mesh[m][2]) / 2];
      });
    }
    for (let k = 0; k < 5; k++) refined[EYES[eye].irisAt + k] = point(CONTOUR_POINTS + k);
  });
  return refined;
}

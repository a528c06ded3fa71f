import { analyse, defineAnalysis } from '../contract/analysis.js';
import type { Photo } from '../contract/types.js';
import { detectFaces, edgeFaces, type EdgeFace, type RawFace } from './face-model.js';
import { findHeadTop, type HeadTop } from './head-top.js';
import { LID_CONTOURS, refineEyes } from './iris-model.js';

// MediaPipe face mesh indices (see ../shared/FACE.md).
export const MESH = {
  foreheadTop: 10, chin: 152, cheekRight: 234, cheekLeft: 454, noseBridge: 168, noseTip: 4,
  eyeOuterRight: 33, eyeInnerRight: 133, eyeInnerLeft: 362, eyeOuterLeft: 263,
  lidTopRight: 159, lidBottomRight: 145, lidTopLeft: 386, lidBottomLeft: 374,
  irisRight: 468, irisLeft: 473,
} as const;

type Point = { x: number; y: number };

/** One face, measured in the photo's working pixels (upright). */
export interface Face {
  /** What the face model returned, before the iris model refined the eyes. */
  raw: RawFace;
  score: number;
  mesh: [number, number, number][];
  /** Tight box around the mesh. */
  box: { x: number; y: number; width: number; height: number };
  /** Cheek to cheek (mesh 234–454). */
  faceWidth: number;
  centreX: number;
  /** Iris centre on the picture's left-hand side (the subject's right eye) and right-hand side:
   * from the iris model for the main face, else the middle of the lid contour. */
  irisRight: Point;
  irisLeft: Point;
  /** Mean height of the two iris centres. */
  eyeLineY: number;
  foreheadY: number;
  chinY: number;
  /** Degrees; roll from the pupil line (positive: the photo's right-hand eye is lower). */
  roll: number;
  yaw: number;
  pitch: number;
  /** Eye aspect ratios (lid gap / eye width) of the photo's left-hand and right-hand eye. */
  eyeOpenness: [number, number];
}

export interface FaceAnalysis {
  /** Faces large enough to count, largest first. */
  faces: Face[];
  /** A lone face the detector barely believes (an animal, a painting, a pattern): not counted. Its score. */
  unlikeHuman?: number;
  /** Faces found but far smaller than the main one or than a portrait's subject: not counted. */
  ignoredSmall: number;
  /**
   * Other people's faces cut by the left or right edge (about half of each visible), found beside
   * the counted faces. They make the count wrong but leave the main face measurable.
   */
  cutAtEdge: EdgeFace[];
  /** Width of the largest face found, counted or not (working pixels); 0 when none. */
  largestWidth: number;
  /** The face the geometry rules measure (the largest), when there is exactly one counted face. */
  main?: Face;
  headTop?: HeadTop;
  /** Time the model took, ms. */
  ms: number;
}

const pt = (p: [number, number, number]): Point => ({ x: p[0], y: p[1] });
const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

function eyeOpenness(mesh: RawFace['mesh'], top: number, bottom: number, outer: number, inner: number): number {
  return dist(pt(mesh[top]), pt(mesh[bottom])) / Math.max(1e-6, dist(pt(mesh[outer]), pt(mesh[inner])));
}

/** Measure one face from its mesh, or from `refined` (the mesh with the iris model's eyes) when given. */
export function measureFace(raw: RawFace, refined?: RawFace['mesh']): Face {
  const mesh = refined ?? raw.mesh;
  const xs = mesh.slice(0, 468).map((p) => p[0]);
  const ys = mesh.slice(0, 468).map((p) => p[1]);
  const box = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
  const cheekR = pt(mesh[MESH.cheekRight]);
  const cheekL = pt(mesh[MESH.cheekLeft]);
  const [irisA, irisB] = mesh.length >= 478
    ? [pt(mesh[MESH.irisRight]), pt(mesh[MESH.irisLeft])]
    // Without the iris model (faces other than the main one): the middle of each eye's lid line.
    : LID_CONTOURS.map((contour) => ({
      x: contour.reduce((sum, i) => sum + mesh[i][0], 0) / contour.length,
      y: contour.reduce((sum, i) => sum + mesh[i][1], 0) / contour.length,
    }));
  // Name the irises by where they are in the picture, whatever the mesh's convention.
  const [irisRight, irisLeft] = irisA.x <= irisB.x ? [irisA, irisB] : [irisB, irisA];
  // Positive roll: the pupil line drops towards the picture's right-hand side.
  const roll = (Math.atan2(irisLeft.y - irisRight.y, irisLeft.x - irisRight.x) * 180) / Math.PI;
  return {
    raw, score: raw.score, mesh, box,
    faceWidth: dist(cheekR, cheekL),
    centreX: (cheekR.x + cheekL.x) / 2,
    irisRight, irisLeft,
    eyeLineY: (irisRight.y + irisLeft.y) / 2,
    foreheadY: mesh[MESH.foreheadTop][1],
    chinY: mesh[MESH.chin][1],
    roll, yaw: raw.yaw, pitch: raw.pitch,
    eyeOpenness: [
      eyeOpenness(mesh, MESH.lidTopRight, MESH.lidBottomRight, MESH.eyeOuterRight, MESH.eyeInnerRight),
      eyeOpenness(mesh, MESH.lidTopLeft, MESH.lidBottomLeft, MESH.eyeOuterLeft, MESH.eyeInnerLeft),
    ],
  };
}

/** The detector's score below which a face found alone is not taken for a human one (see faceAnalysis). */
export const LONE_FACE_MIN_SCORE = 0.7;

/** Faces narrower than this share of the largest face are people far behind, not a second subject. */
export const SMALL_FACE_RATIO = 0.4;
/** A face narrower than this share of the picture's width is a person in a scene, not a portrait's subject
 * (the football photo's 28 px face in 548 px is 5%; group photos' faces measured 9–11%). */
export const MIN_FACE_SHARE = 0.06;

export const faceAnalysis = defineAnalysis<FaceAnalysis>('face', async (photo: Photo) => {
  const started = performance.now();
  const raw = await detectFaces(photo.pixels);
  const all = raw.map((face) => measureFace(face)).sort((a, b) => b.faceWidth - a.faceWidth);
  const largest = all[0]?.faceWidth ?? 0;
  const minimum = Math.max(largest * SMALL_FACE_RATIO, photo.pixels.width * MIN_FACE_SHARE);
  let faces = all.filter((f) => f.faceWidth >= minimum);
  // A lone face the detector scores low is not taken for a person: real faces alone in a photo scored
  // 0.81–0.99 on the corpus, two dogs 0.60 and a CMYK print with no face 0.50. In groups, faces at the
  // edges score lower (0.51–0.73) and the other faces vouch for the scene, so they all count.
  let unlikeHuman: number | undefined;
  if (faces.length === 1 && faces[0].raw.boxScore < LONE_FACE_MIN_SCORE) { unlikeHuman = faces[0].raw.boxScore; faces = []; }
  // Only the face the geometry rules measure needs pupils and exact lids: the iris model runs for it alone.
  if (faces.length === 1) faces[0] = measureFace(faces[0].raw, await refineEyes(photo.pixels, faces[0].raw.mesh));
  const main = faces.length === 1 ? faces[0] : undefined;
  const cutAtEdge = faces.length > 0 ? (await edgeFaces(photo.pixels)).filter((edge) => edge.boxScore >= LONE_FACE_MIN_SCORE && edge.width >= minimum && !faces.some((face) => overlaps(face, edge, photo.pixels.width))) : [];
  const ms = performance.now() - started;
  const headTop = main ? findHeadTop(photo.pixels, main.centreX, main.faceWidth, main.foreheadY, main.chinY) : undefined;
  return { faces, cutAtEdge, ignoredSmall: all.length - faces.length - (unlikeHuman === undefined ? 0 : 1), largestWidth: largest, main, headTop, ms, ...(unlikeHuman === undefined ? {} : { unlikeHuman }) };
});

/** Whether a counted face already covers the part of an edge face inside the picture (one face found twice). */
function overlaps(face: Face, edge: EdgeFace, width: number): boolean {
  const [x0, x1] = edge.side === 'left' ? [0, edge.inside] : [width - edge.inside, width];
  const across = Math.min(x1, face.centreX + face.faceWidth / 2) - Math.max(x0, face.centreX - face.faceWidth / 2);
  const down = Math.min(edge.bottom, face.chinY) - Math.max(edge.top, face.foreheadY);
  return across > 0 && down > 0;
}

export const faces = (photo: Photo): Promise<FaceAnalysis> => analyse(photo, faceAnalysis);

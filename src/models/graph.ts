/**
 * A lean runner for the face models' and the person matte's TF.js graphs. tfjs-converter's GraphExecutor spends about as
 * long dispatching each of a model's few hundred small ops (op executors, engine bookkeeping,
 * tensor tracking) as the WASM kernels spend computing them. These models use eleven op types, all
 * of them plain: this module resolves every node once at load (kernel, attributes, constant
 * inputs, when each intermediate can be freed) and then calls the WASM backend's kernels directly.
 *
 * The result is checked against GraphModel.execute in tests/face-model.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { platform } from '../platform/index.js';
import { graphOutputs, nodeName, spatial, strings, text, type GraphNode } from './graph-file.js';

export { offlineFetch } from '../platform/index.js';

/** What a WASM kernel takes and returns. */
interface TensorInfo { dataId: object; shape: number[]; dtype: 'float32' | 'int32' }
interface WasmBackend {
  write(values: Float32Array, shape: number[], dtype: 'float32'): object;
  readSync(dataId: object): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}
type KernelFunc = (args: { inputs: Record<string, TensorInfo | undefined>; backend: WasmBackend; attrs: Record<string, unknown> }) => TensorInfo | TensorInfo[];


/** One resolved step: which kernel, its named inputs (slots or weights), attributes, and which slots die after it. */
interface Step {
  kernel: KernelFunc;
  inputs: [string, number | TensorInfo][];
  /** Concat takes a list of tensors rather than named ones. */
  list: boolean;
  attrs: Record<string, unknown>;
  out: number;
  free: number[];
}

export interface CompiledGraph {
  run(input: Float32Array, shape: number[]): Float32Array[];
}

function kernel(name: string): KernelFunc {
  const found = tf.getKernel(name, 'wasm');
  if (!found) throw new Error(`the WASM backend has no ${name} kernel`);
  return found.kernelFunc as unknown as KernelFunc;
}

const padding = (node: GraphNode) => text(node.attr?.padding).toLowerCase() as 'same' | 'valid';
/** The attributes both convolution kernels take. */
const convAttrs = (node: GraphNode) => ({ strides: spatial(node.attr?.strides), pad: padding(node), dataFormat: 'NHWC', dilations: spatial(node.attr?.dilations) });

/**
 * Compile a loaded GraphModel (its weights stay where tfjs-converter put them) for direct runs.
 * Throws on any op this runner does not know, so a different model fails loudly at load.
 */
export function compile(graph: GraphModel, topology: { node: GraphNode[] }, outputNames: string[]): CompiledGraph {
  const weights = (graph as unknown as { weights: Record<string, tf.Tensor[]> }).weights;
  const nodes = topology.node;
  const slotOf = new Map<string, number>();
  let placeholder = '';
  const steps: Step[] = [];
  const weight = (name: string): TensorInfo => {
    const tensor = weights[name]?.[0];
    if (!tensor) throw new Error(`the model has no constant ${name}`);
    return tensor as unknown as TensorInfo;
  };
  const constValues = (input: string) => Array.from((weight(nodeName(input)) as unknown as tf.Tensor).dataSync() as Int32Array);
  const source = (input: string): number | TensorInfo => slotOf.get(nodeName(input)) ?? weight(nodeName(input));
  for (const node of nodes) {
    const inputs = (node.input ?? []).filter((name) => !name.startsWith('^'));
    const named = (...keys: string[]): [string, number | TensorInfo][] => keys.map((key, i) => [key, source(inputs[i])]);
    let step: Omit<Step, 'out' | 'free'> | undefined;
    switch (node.op) {
      case 'Const':
        continue;
      case 'Placeholder':
        placeholder = node.name;
        slotOf.set(node.name, 0);
        continue;
      case '_FusedConv2D': {
        const fused = strings(node.attr?.fused_ops);
        if (fused[0] !== 'BiasAdd' || fused.length > 2) throw new Error(`unsupported fused ops ${fused.join(',')}`);
        const activation = fused[1] === 'Relu' ? 'relu' : fused[1] === 'Prelu' ? 'prelu' : fused[1] === undefined ? 'linear' : '';
        if (!activation) throw new Error(`unsupported fused activation ${fused[1]}`);
        step = {
          kernel: kernel('FusedConv2D'), list: false,
          inputs: named('x', 'filter', 'bias', ...(activation === 'prelu' ? ['preluActivationWeights'] : [])),
          attrs: { ...convAttrs(node), activation },
        };
        break;
      }
      case 'DepthwiseConv2dNative':
        step = {
          kernel: kernel('DepthwiseConv2dNative'), list: false, inputs: named('x', 'filter'),
          attrs: convAttrs(node),
        };
        break;
      case 'AddV2':
      case 'Add':
        step = { kernel: kernel('Add'), list: false, inputs: named('a', 'b'), attrs: {} };
        break;
      case 'Mul':
        step = { kernel: kernel('Multiply'), list: false, inputs: named('a', 'b'), attrs: {} };
        break;
      case 'AddN':
        step = { kernel: kernel('AddN'), list: true, inputs: inputs.map((name, i) => [String(i), source(name)]), attrs: {} };
        break;
      case 'Conv2D':
        step = { kernel: kernel('Conv2D'), list: false, inputs: named('x', 'filter'), attrs: convAttrs(node) };
        break;
      case 'Conv2DBackpropInput':
        step = {
          kernel: kernel('Conv2DBackpropInput'), list: false,
          inputs: [['filter', source(inputs[1])], ['dy', source(inputs[2])]],
          attrs: { ...convAttrs(node), inputShape: constValues(inputs[0]) },
        };
        break;
      case 'ResizeBilinear':
        step = {
          kernel: kernel('ResizeBilinear'), list: false, inputs: named('images'),
          attrs: { size: constValues(inputs[1]), alignCorners: Boolean(node.attr?.align_corners?.b), halfPixelCenters: Boolean(node.attr?.half_pixel_centers?.b) },
        };
        break;
      case 'Relu':
      case 'Relu6':
      case 'Sigmoid':
        step = { kernel: kernel(node.op), list: false, inputs: named('x'), attrs: {} };
        break;
      case 'Prelu':
        step = { kernel: kernel('Prelu'), list: false, inputs: named('x', 'alpha'), attrs: {} };
        break;
      case 'MaxPool':
      case 'AvgPool':
        step = {
          kernel: kernel(node.op), list: false, inputs: named('x'),
          attrs: { filterSize: spatial(node.attr?.ksize), strides: spatial(node.attr?.strides), pad: padding(node) },
        };
        break;
      case 'Pad': {
        const flat = constValues(inputs[1]);
        const paddings = Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
        step = { kernel: kernel('PadV2'), list: false, inputs: named('x'), attrs: { paddings, constantValue: 0 } };
        break;
      }
      case 'Reshape':
        step = { kernel: kernel('Reshape'), list: false, inputs: named('x'), attrs: { shape: constValues(inputs[1]) } };
        break;
      case 'Identity': { // a name for the same values: no copy
        const from = source(inputs[0]);
        if (typeof from !== 'number') throw new Error(`unsupported Identity of a constant in ${node.name}`);
        slotOf.set(node.name, from);
        continue;
      }
      case 'ConcatV2': {
        const axis = constValues(inputs[inputs.length - 1])[0];
        step = { kernel: kernel('Concat'), list: true, inputs: inputs.slice(0, -1).map((name, i) => [String(i), source(name)]), attrs: { axis } };
        break;
      }
      default:
        throw new Error(`the face model uses the op ${node.op}, which gradphoto's runner does not know`);
    }
    const out = steps.length + 1; // slot 0 is the input
    slotOf.set(node.name, out);
    steps.push({ ...step, out, free: [] });
  }
  if (!placeholder) throw new Error('the model has no input');
  const outputs = outputNames.map((name) => {
    const slot = slotOf.get(nodeName(name));
    if (slot === undefined) throw new Error(`the model has no output ${name}`);
    return slot;
  });
  // Free each slot after the last step that reads it (outputs and the caller's input live on).
  const lastUse = new Map<number, number>();
  steps.forEach((step, i) => { for (const [, from] of step.inputs) if (typeof from === 'number') lastUse.set(from, i); });
  for (const [slot, i] of lastUse) if (slot !== 0 && !outputs.includes(slot)) steps[i].free.push(slot);

  return {
    run(input: Float32Array, shape: number[]): Float32Array[] {
      const backend = tf.backend() as unknown as WasmBackend;
      // Each slot holds one reference to its data (Reshape shares its input's data and counts one more).
      const slots: (TensorInfo | undefined)[] = new Array(steps.length + 1);
      slots[0] = { dataId: backend.write(input, shape, 'float32'), shape, dtype: 'float32' };
      try {
        for (const step of steps) {
          const args: Record<string, TensorInfo | undefined> = {};
          for (const [key, from] of step.inputs) args[key] = typeof from === 'number' ? slots[from] : from;
          const result = step.kernel({
            inputs: step.list ? (Object.values(args) as unknown as Record<string, TensorInfo>) : args,
            backend, attrs: step.attrs,
          });
          slots[step.out] = Array.isArray(result) ? result[0] : result;
          for (const slot of step.free) {
            backend.disposeData(slots[slot]!.dataId);
            slots[slot] = undefined;
          }
        }
        return outputs.map((slot) => Float32Array.from(backend.readSync(slots[slot]!.dataId)));
      } finally {
        for (const slot of new Set(slots)) if (slot) backend.disposeData(slot.dataId);
      }
    },
  };
}

let backend: Promise<void> | undefined;
/** The tfjs WASM backend, with its .wasm files read from node_modules (or served with the page). */
export function wasmBackend(): Promise<void> {
  backend ??= (async () => {
    setWasmPaths(platform.wasmPrefix());
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread per worker: the pool owns the cores
    if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs WASM backend failed to start');
    await tf.ready();
    tf.enableProdMode();
  })();
  return backend;
}

/** A model file loaded by tfjs-converter onto the WASM backend and compiled for direct runs. */
export async function loadWasmModel(file: string): Promise<CompiledGraph & { inputSize: number }> {
  await wasmBackend();
  const graph = await loadGraphModel(platform.modelUrl(file), { fetchFunc: platform.fetch });
  const { modelTopology } = JSON.parse(new TextDecoder().decode(await platform.readModelFile(file)));
  const compiled = compile(graph, modelTopology, graphOutputs(modelTopology.node));
  return { ...compiled, inputSize: graph.inputs[0].shape?.[2] ?? 0 };
}

/**
 * The face models as ONNX, for native inference with onnxruntime-node when it is installed.
 *
 * The models ship as TF.js graphs (NHWC). This module rewrites such a graph, as graph-file.ts reads
 * it, into an ONNX model (NCHW, opset 13) held in memory: nothing is downloaded or written to disk.
 * It knows the same eleven op types as graph.ts and throws on any other, so a changed model fails
 * loudly at load. The converted model's outputs match the WASM runner's to float rounding
 * (tests/onnx.test.ts); on the labelled corpus the JSON reports of the two engines are identical.
 *
 * Layout: the ONNX graph keeps the caller's NHWC input and outputs. It transposes the input to NCHW
 * once, runs every 4-D op in NCHW (weights transposed here), and transposes back to NHWC order
 * before each Reshape and each 4-D output, so every value the caller sees is ordered as in TF.js.
 * Two ops are written in other terms so that onnxruntime keeps its blocked channel layout (NCHWc)
 * from end to end: PReLU and channel padding (see prelu and the Pad case).
 */
import { platform } from '../platform/index.js';
import { nodeName, spatial, strings, text, type GraphFile, type GraphNode } from './graph-file.js';

// ---------------------------------------------------------------- protobuf writing

/** Just enough of the protobuf wire format for ONNX's ModelProto. */
class Proto {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private push(bytes: Uint8Array): this { this.chunks.push(bytes); this.length += bytes.length; return this; }
  private varint(value: number): this {
    const bytes: number[] = [];
    if (value >= 0 && value <= 0xffffffff) {
      // Most values (lengths, field keys, dims): plain arithmetic, the same bytes as the BigInt path below.
      let v = value;
      do {
        let byte = v % 128;
        v = Math.floor(v / 128);
        if (v) byte |= 0x80;
        bytes.push(byte);
      } while (v);
      return this.push(Uint8Array.from(bytes));
    }
    // int64 fields: negative values take ten bytes (two's complement), as protobuf writes them.
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v) byte |= 0x80;
      bytes.push(byte);
    } while (v);
    return this.push(Uint8Array.from(bytes));
  }
  private key(field: number, wire: number): this { return this.varint(field * 8 + wire); }
  int(field: number, value: number): this { return this.key(field, 0).varint(value); }
  ints(field: number, values: readonly number[]): this { for (const v of values) this.int(field, v); return this; }
  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.key(field, 5).push(bytes);
  }
  bytes(field: number, value: Uint8Array): this { return this.key(field, 2).varint(value.length).push(value); }
  string(field: number, value: string): this { return this.bytes(field, new TextEncoder().encode(value)); }
  message(field: number, value: Proto): this { return this.bytes(field, value.finish()); }
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) { out.set(chunk, at); at += chunk.length; }
    return out;
  }
}

/** The ONNX model's one input (NHWC, as the TF.js graph's). */
export const ONNX_INPUT = 'gradphoto:input';
const INPUT = ONNX_INPUT;

const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

type Attribute = number | string | readonly number[];

function attribute(name: string, value: Attribute): Proto {
  const proto = new Proto().string(1, name);
  if (typeof value === 'number') return proto.int(3, value).int(20, ATTR_INT);
  if (typeof value === 'string') return proto.string(4, value).int(20, ATTR_STRING);
  return proto.ints(8, value).int(20, ATTR_INTS);
}

function tensorProto(name: string, dims: readonly number[], values: Float32Array | BigInt64Array): Proto {
  const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return new Proto().ints(1, dims).int(2, values instanceof Float32Array ? FLOAT : INT64).string(8, name).bytes(9, raw);
}

/** A float tensor's name and type; the shape is given only where it is known (the input: batch free). */
function valueInfo(name: string, shape?: (number | string)[]): Proto {
  const tensorType = new Proto().int(1, FLOAT);
  if (shape) {
    const dims = new Proto();
    for (const d of shape) dims.message(1, typeof d === 'number' ? new Proto().int(1, d) : new Proto().string(2, d));
    tensorType.message(2, dims);
  }
  return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
}

// ---------------------------------------------------------------- conversion

/** TF's SAME pads the extra pixel at the end, which is ONNX's SAME_UPPER. */
function autoPad(node: GraphNode): string {
  const padding = text(node.attr?.padding);
  if (padding === 'SAME') return 'SAME_UPPER';
  if (padding === 'VALID') return 'VALID';
  throw new Error(`unsupported padding ${padding} in ${node.name}`);
}
/** An NHWC axis as the NCHW axis holding the same dimension. */
const NCHW_AXIS = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** The input's channel count (NHWC's last dimension), when the file gives it. */
function placeholderChannels(node: GraphNode): number | undefined {
  const size = Number(node.attr?.shape?.shape?.dim?.[3]?.size);
  return size > 0 ? size : undefined;
}

/** HWIO (TF conv filter) to OIHW (ONNX). */
function convWeights(values: Float32Array, [h, w, i, o]: number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < i; c++) for (let k = 0; k < o; k++) {
    out[((k * i + c) * h + y) * w + x] = values[((y * w + x) * i + c) * o + k];
  }
  return out;
}

/**
 * Convert a TF.js graph to an ONNX model. The ONNX outputs are the graph's outputs, named by
 * onnxOutputName, in NHWC order; the input is named ONNX_INPUT.
 */
export function toOnnx(graph: GraphFile): Uint8Array {
  const nodes: Proto[] = [];
  const initializers: Proto[] = [];
  /**
   * Each TF value: its ONNX name, whether it is a 4-D NCHW activation (else in TF order), and for
   * those its channel count.
   */
  const values = new Map<string, { name: string; nchw: boolean; channels?: number }>();
  const constant = (name: string) => {
    const weight = graph.weights.get(nodeName(name));
    if (!weight) throw new Error(`the model has no constant ${name}`);
    return weight;
  };
  let unique = 0;
  const fresh = (base: string) => `${base}__${unique++}`;
  const addNode = (op: string, inputs: string[], output: string, attrs: Record<string, Attribute> = {}) => {
    const node = new Proto();
    for (const input of inputs) node.string(1, input);
    node.string(2, output).string(3, output).string(4, op);
    for (const [name, value] of Object.entries(attrs)) node.message(5, attribute(name, value));
    nodes.push(node);
  };
  const addFloat = (base: string, dims: number[], data: Float32Array) => {
    const name = fresh(base);
    initializers.push(tensorProto(name, dims, data));
    return name;
  };
  const addInt64 = (base: string, data: number[]) => {
    const name = fresh(base);
    initializers.push(tensorProto(name, [data.length], BigInt64Array.from(data.map(BigInt))));
    return name;
  };
  const activation = (input: string) => {
    const value = values.get(nodeName(input));
    if (!value) throw new Error(`unknown input ${input}`);
    return value;
  };
  /** A per-channel scale as a 1x1 depthwise convolution (which onnxruntime keeps in its blocked layout). */
  const scaleConv = (x: string, scales: Float32Array, output: string) => {
    addNode('Conv', [x, addFloat(`${output}_s`, [scales.length, 1, 1, 1], scales)], output, { kernel_shape: [1, 1], group: scales.length });
  };
  /**
   * PReLU with per-channel slopes a, written as x + (1 - a)·relu(-x). onnxruntime runs convolutions in
   * a blocked channel layout (NCHWc) but not PReLU, so each PReLU cost a layout change there and back:
   * over half of the iris model's time. As two 1x1 depthwise convolutions (the first fused with its
   * ReLU) and an Add, everything stays blocked: iris 8.2-10.6 -> 5.2-7.1 ms, mesh 5.5-6.0 -> 4.2-4.3 ms
   * (same process, alternated); outputs differ from PReLU's by at most 3e-5.
   */
  const prelu = (x: string, slopesInput: string, output: string) => {
    const slopes = Float32Array.from(constant(slopesInput).values);
    const flipped = fresh(`${output}_flip`); const negative = fresh(`${output}_neg`); const scaled = fresh(`${output}_scaled`);
    scaleConv(x, new Float32Array(slopes.length).fill(-1), flipped);
    addNode('Relu', [flipped], negative);
    scaleConv(negative, slopes.map((a) => 1 - a), scaled);
    addNode('Add', [x, scaled], output);
  };

  let inputSeen = false;
  for (const node of graph.nodes) {
    const inputs = (node.input ?? []).filter((name) => !name.startsWith('^'));
    const out = node.name;
    switch (node.op) {
      case 'Const':
        continue;
      case 'Placeholder':
        inputSeen = true;
        addNode('Transpose', [INPUT], out, { perm: TO_NCHW });
        values.set(out, { name: out, nchw: true, channels: placeholderChannels(node) });
        continue;
      case 'Identity':
        values.set(out, activation(inputs[0]));
        continue;
      case '_FusedConv2D':
      case 'Conv2D':
      case 'DepthwiseConv2dNative': {
        const x = activation(inputs[0]);
        if (!x.nchw) throw new Error(`convolution of a non-image value in ${out}`);
        const filter = constant(inputs[1]);
        const [h, w, inC, m] = filter.shape;
        const depthwise = node.op === 'DepthwiseConv2dNative';
        // Depthwise [h, w, C, M] is a grouped convolution: group C, output channel c*M + m, one input channel each.
        const weightsOihw = convWeights(Float32Array.from(filter.values), depthwise ? [h, w, 1, inC * m] : [h, w, inC, m]);
        const convInputs = [x.name, addFloat(`${out}_w`, depthwise ? [inC * m, 1, h, w] : [m, inC, h, w], weightsOihw)];
        let fused: string[] = [];
        if (node.op === '_FusedConv2D') {
          fused = strings(node.attr?.fused_ops);
          if (fused[0] !== 'BiasAdd' || fused.length > 2) throw new Error(`unsupported fused ops ${fused.join(',')}`);
          const bias = constant(inputs[2]);
          convInputs.push(addFloat(`${out}_b`, [bias.values.length], Float32Array.from(bias.values)));
        }
        const after = fused[1];
        if (after !== undefined && after !== 'Relu' && after !== 'Prelu') throw new Error(`unsupported fused activation ${after}`);
        const conv = after ? fresh(`${out}_conv`) : out;
        addNode('Conv', convInputs, conv, {
          kernel_shape: [h, w], strides: spatial(node.attr?.strides), dilations: spatial(node.attr?.dilations),
          auto_pad: autoPad(node), group: depthwise ? inC : 1,
        });
        if (after === 'Relu') addNode('Relu', [conv], out);
        if (after === 'Prelu') prelu(conv, inputs[3], out);
        values.set(out, { name: out, nchw: true, channels: depthwise ? inC * m : m });
        continue;
      }
      case 'AddV2':
      case 'Add':
      case 'Mul': {
        // Either side may be a constant (a scalar, or one value per channel: broadcast over NCHW).
        const operand = (input: string) => {
          if (values.has(nodeName(input))) return activation(input);
          const c = constant(input);
          const data = Float32Array.from(c.values);
          const dims = data.length === 1 ? [1] : [1, data.length, 1, 1];
          return { name: addFloat(`${out}_k`, dims, data), nchw: true, constant: true, channels: undefined as number | undefined };
        };
        const [a, b] = inputs.map(operand);
        if (a.nchw !== b.nchw) throw new Error(`${node.op} of mixed layouts in ${out}`);
        addNode(node.op === 'Mul' ? 'Mul' : 'Add', [a.name, b.name], out);
        const image = 'constant' in a ? b : a;
        values.set(out, { name: out, nchw: image.nchw, channels: image.channels });
        continue;
      }
      case 'AddN': {
        const parts = inputs.map(activation);
        addNode('Sum', parts.map((p) => p.name), out);
        values.set(out, { ...parts[0], name: out });
        continue;
      }
      case 'Relu6': {
        const x = activation(inputs[0]);
        addNode('Clip', [x.name, addFloat(`${out}_min`, [], Float32Array.of(0)), addFloat(`${out}_max`, [], Float32Array.of(6))], out);
        values.set(out, { ...x, name: out });
        continue;
      }
      case 'ResizeBilinear': {
        const x = activation(inputs[0]);
        if (!x.nchw || !x.channels) throw new Error(`resize of a value of unknown channels in ${out}`);
        const [h, w] = Array.from(constant(inputs[1]).values);
        const mode = node.attr?.align_corners?.b ? 'align_corners' : node.attr?.half_pixel_centers?.b ? 'half_pixel' : 'asymmetric';
        addNode('Resize', [x.name, '', '', addInt64(`${out}_sizes`, [1, x.channels, h, w])], out, { mode: 'linear', coordinate_transformation_mode: mode });
        values.set(out, { ...x, name: out });
        continue;
      }
      case 'Conv2DBackpropInput': {
        // A transposed convolution; TF's filter is [h, w, out, in], ONNX's weight [in, out, h, w].
        const x = activation(inputs[2]);
        const filter = constant(inputs[1]);
        const [h, w, outC, inC] = filter.shape;
        const source = Float32Array.from(filter.values);
        const weight = new Float32Array(source.length);
        for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let o = 0; o < outC; o++) for (let i = 0; i < inC; i++) {
          weight[((i * outC + o) * h + y) * w + xx] = source[((y * w + xx) * outC + o) * inC + i];
        }
        const size = Array.from(constant(inputs[0]).values); // NHWC
        addNode('ConvTranspose', [x.name, addFloat(`${out}_w`, [inC, outC, h, w], weight)], out, {
          kernel_shape: [h, w], strides: spatial(node.attr?.strides), output_shape: [size[1], size[2]], auto_pad: autoPad(node),
        });
        values.set(out, { name: out, nchw: true, channels: outC });
        continue;
      }
      case 'Relu':
      case 'Sigmoid': {
        const x = activation(inputs[0]);
        addNode(node.op, [x.name], out);
        values.set(out, { ...x, name: out });
        continue;
      }
      case 'Prelu': {
        const x = activation(inputs[0]);
        if (!x.nchw) throw new Error(`PReLU of a non-image value in ${out}`);
        prelu(x.name, inputs[1], out);
        values.set(out, { ...x, name: out });
        continue;
      }
      case 'MaxPool':
      case 'AvgPool': {
        const x = activation(inputs[0]);
        addNode(node.op === 'MaxPool' ? 'MaxPool' : 'AveragePool', [x.name], out, { kernel_shape: spatial(node.attr?.ksize), strides: spatial(node.attr?.strides), auto_pad: autoPad(node) });
        values.set(out, { ...x, name: out });
        continue;
      }
      case 'Pad': {
        const x = activation(inputs[0]);
        if (!x.nchw) throw new Error(`Pad of a non-image value in ${out}`);
        const flat = Array.from(constant(inputs[1]).values);
        const begin = TO_NCHW.map((axis) => flat[axis * 2]);
        const end = TO_NCHW.map((axis) => flat[axis * 2 + 1]);
        // Zeros appended to the channels (BlazeFace's shortcut widening) as a 1x1 convolution with an
        // identity block: onnxruntime pads only in plain NCHW, so a Pad there cost two layout changes.
        // Measured alternated: mesh 3.7-4.4 -> 2.9-3.5 ms, iris 6.3-6.7 -> 5.6-5.9 ms.
        const channelsOnly = begin.every((b, i) => b === 0 && (i === 1 || end[i] === 0));
        if (channelsOnly && x.channels) {
          const inC = x.channels; const outC = inC + end[1];
          const identity = new Float32Array(outC * inC);
          for (let c = 0; c < inC; c++) identity[c * inC + c] = 1;
          addNode('Conv', [x.name, addFloat(`${out}_widen`, [outC, inC, 1, 1], identity)], out, { kernel_shape: [1, 1] });
          values.set(out, { name: out, nchw: true, channels: outC });
          continue;
        }
        addNode('Pad', [x.name, addInt64(`${out}_pads`, [...begin, ...end])], out, { mode: 'constant' });
        values.set(out, { name: out, nchw: true, channels: x.channels === undefined ? undefined : x.channels + begin[1] + end[1] });
        continue;
      }
      case 'Reshape': {
        const x = activation(inputs[0]);
        let source = x.name;
        if (x.nchw) { // reshape the values in TF's order
          source = fresh(`${out}_nhwc`);
          addNode('Transpose', [x.name], source, { perm: TO_NHWC });
        }
        addNode('Reshape', [source, addInt64(`${out}_shape`, Array.from(constant(inputs[1]).values))], out);
        values.set(out, { name: out, nchw: false });
        continue;
      }
      case 'ConcatV2': {
        const parts = inputs.slice(0, -1).map(activation);
        const nchw = parts[0].nchw;
        if (parts.some((p) => p.nchw !== nchw)) throw new Error(`Concat of mixed layouts in ${out}`);
        const axis = constant(inputs[inputs.length - 1]).values[0];
        const onnxAxis = nchw ? NCHW_AXIS[(axis + 4) % 4] : axis;
        addNode('Concat', parts.map((p) => p.name), out, { axis: onnxAxis });
        const channels = !nchw ? undefined : onnxAxis !== 1 ? parts[0].channels
          : parts.every((p) => p.channels) ? parts.reduce((sum, p) => sum + p.channels!, 0) : undefined;
        values.set(out, { name: out, nchw, channels });
        continue;
      }
      default:
        throw new Error(`the model uses the op ${node.op}, which gradphoto's ONNX conversion does not know`);
    }
  }
  if (!inputSeen) throw new Error('the model has no input');

  const outputs = graph.outputs.map((name) => {
    const value = activation(name);
    const exported = onnxOutputName(name);
    if (value.nchw) addNode('Transpose', [value.name], exported, { perm: TO_NHWC });
    else addNode('Identity', [value.name], exported);
    return exported;
  });
  const inputShape = graph.inputShape.map((d, i) => (i === 0 || d < 0 ? 'batch' : d));
  const graphProto = new Proto();
  for (const node of nodes) graphProto.message(1, node);
  graphProto.string(2, 'gradphoto');
  for (const init of initializers) graphProto.message(5, init);
  graphProto.message(11, valueInfo(INPUT, inputShape));
  for (const name of outputs) graphProto.message(12, valueInfo(name));
  return new Proto()
    .int(1, 7) // IR version 7 (ONNX 1.8): opset 13
    .string(2, 'gradphoto')
    .message(7, graphProto)
    .message(8, new Proto().string(1, '').int(2, 13))
    .finish();
}

/** The ONNX output name of a TF.js graph output. */
export const onnxOutputName = (name: string) => `out:${nodeName(name)}`;

// ---------------------------------------------------------------- running

/** The part of onnxruntime-node's API used here (it is an optional dependency, so no compile-time types). */
interface OrtTensor { data: Float32Array }
export interface OnnxRuntime {
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => OrtTensor;
  InferenceSession: {
    create(model: Uint8Array, options: Record<string, unknown>): Promise<{ run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> }>;
  };
}

/** onnxruntime-node if it is installed and its native library loads here (the Node platform); else undefined. */
export function onnxRuntime(): Promise<OnnxRuntime | undefined> {
  return platform.onnxRuntime() as Promise<OnnxRuntime | undefined>;
}

/**
 * A session for a converted model. One intra-op thread: gradphoto's worker pool already puts one
 * photo on each core. `run` takes and gives values in TF.js's NHWC order, outputs as `outputNames`.
 */
export async function onnxSession(ort: OnnxRuntime, model: Uint8Array, outputNames: string[]): Promise<{ run(input: Float32Array, shape: number[]): Promise<Float32Array[]> }> {
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all', logSeverityLevel: 3,
  });
  const names = outputNames.map(onnxOutputName);
  return {
    async run(input, shape) {
      // The session reads `input` on a later turn of the event loop: the caller keeps it untouched until this resolves.
      const results = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', input, shape) });
      return names.map((name) => results[name].data);
    },
  };
}

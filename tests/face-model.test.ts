import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { detectFaces } from '../src/analysis/face-model.js';
import { MODEL_FILES, model, type ModelName } from '../src/models/engine.js';
import { offlineFetch } from '../src/models/graph.js';
import { readGraphFile } from '../src/models/graph-file.js';
import { refineEyes } from '../src/analysis/iris-model.js';
import { faces } from '../src/analysis/face.js';
import { loadPhoto } from '../src/core/load.js';
import { EXAMPLE } from './helpers.js';

test('the lean graph runner gives what tfjs-converter gives, on every face model, and frees what it allocates', async () => {
  for (const name of Object.keys(MODEL_FILES) as ModelName[]) {
    const net = await model(name, 'wasm');
    const reference = await loadGraphModel(pathToFileURL(MODEL_FILES[name]).href, { fetchFunc: offlineFetch });
    // Both engines answer in file order (graphOutputs); it must name exactly tfjs-converter's outputs.
    const { outputs, weights } = await readGraphFile(MODEL_FILES[name]);
    assert.deepEqual([...outputs].sort(), reference.outputs.map((o) => o.name).sort(), `${name}: output names`);
    // The native engine's weights (graph-file.ts, float16 widened by hand) are tfjs-converter's, bit for bit.
    const theirs = (reference as unknown as { weights: Record<string, tf.Tensor[]> }).weights;
    assert.deepEqual([...weights.keys()].sort(), Object.keys(theirs).sort(), `${name}: weight names`);
    const bytes = (values: Float32Array | Int32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    for (const [key, weight] of weights) {
      assert.deepEqual(weight.shape, theirs[key][0].shape, `${name} ${key}: shape`);
      assert.ok(bytes(weight.values).equals(bytes(theirs[key][0].dataSync() as Float32Array | Int32Array)), `${name} ${key}: values`);
    }
    const batch = name === 'iris' ? 2 : 1;
    const shape = [batch, net.inputSize, net.inputSize, 3];
    let seed = 7;
    const input = new Float32Array(shape.reduce((a, b) => a * b)).map(() => ((seed = (seed * 16807) % 2147483647) / 2147483647));
    const expected = tf.tidy(() => {
      const out = reference.execute(tf.tensor(input, shape), outputs);
      return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
    });
    const before = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const got = await net.run(shape, (buffer) => buffer.set(input));
    assert.equal((tf.backend() as unknown as { numDataIds(): number }).numDataIds(), before, `${name}: every intermediate freed`);
    assert.equal(got.length, expected.length, `${name}: outputs`);
    expected.forEach((values, i) => {
      assert.equal(got[i].length, values.length, `${name} output ${i} size`);
      let worst = 0;
      values.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - got[i][j])); });
      assert.ok(worst < 1e-4, `${name} output ${i}: differs by ${worst}`);
    });
    reference.dispose();
  }
});

test('the face pipeline on the example: one face, its mesh on the face, an iris in each eye', async () => {
  const outcome = await loadPhoto(EXAMPLE);
  assert.equal(outcome.kind, 'photo');
  if (outcome.kind !== 'photo') return;
  const found = await faces(outcome.photo);
  assert.equal(found.faces.length, 1);
  const face = found.main!;
  assert.ok(face.score > 0.9, `mesh confidence ${face.score}`);
  assert.ok(face.faceWidth > 190 && face.faceWidth < 220, `face width ${face.faceWidth}`);
  assert.ok(face.irisRight.x > 170 && face.irisRight.x < 192 && face.irisLeft.x > 264 && face.irisLeft.x < 286, `${face.irisRight.x} ${face.irisLeft.x}`);
  assert.ok(Math.abs(face.irisRight.y - 262) < 6 && Math.abs(face.irisLeft.y - 262) < 6, `${face.irisRight.y} ${face.irisLeft.y}`);
  assert.ok(Math.abs(face.yaw) < 8 && Math.abs(face.pitch) < 15, `yaw ${face.yaw} pitch ${face.pitch}`);
});

test('the pupil line holds still when the eye crops move: 1 px or 3% of scale changes roll by under 0.6°', async () => {
  const outcome = await loadPhoto(EXAMPLE);
  if (outcome.kind !== 'photo') throw new Error('example did not decode');
  const [face] = await detectFaces(outcome.photo.pixels);
  const roll = (mesh: [number, number, number][]) => {
    const [a, b] = [mesh[468], mesh[473]].sort((p, q) => p[0] - q[0]);
    return (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI;
  };
  const base = roll(await refineEyes(outcome.photo.pixels, face.mesh));
  const [cx, cy] = face.mesh[1];
  for (const [dx, dy, s] of [[1, 0, 1], [-1, 0, 1], [0, 1, 1], [0, -1, 1], [0, 0, 1.03], [0, 0, 0.97]]) {
    const moved = face.mesh.map(([x, y, z]) => [cx + (x - cx) * s + dx, cy + (y - cy) * s + dy, z] as [number, number, number]);
    const r = roll(await refineEyes(outcome.photo.pixels, moved));
    assert.ok(Math.abs(r - base) < 0.6, `shift ${dx},${dy} scale ${s}: roll ${r.toFixed(2)} vs ${base.toFixed(2)}`);
  }
});

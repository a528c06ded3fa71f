import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MODEL_FILES, ONNX_DIR, model, type ModelName } from '../src/models/engine.js';
import { onnxRuntime } from '../src/models/onnx.js';

const installed = (await onnxRuntime()) !== undefined;
const skip = installed ? false : 'onnxruntime-node (an optional dependency) is not installed here';

test('the ONNX files in models/onnx are what a fresh conversion of the graphs gives (npm run models)', async () => {
  const { convertAll, manifestText } = await import('../tools/make-models.js');
  const converted = await convertAll();
  assert.deepEqual([...converted.keys()].sort(), Object.keys(MODEL_FILES).sort());
  const manifest: Record<string, unknown> = {};
  for (const [name, { bytes, entry }] of converted) {
    const committed = await readFile(path.join(ONNX_DIR, entry.file));
    assert.ok(Buffer.compare(committed, bytes) === 0, `${entry.file} differs from a fresh conversion: run npm run models`);
    manifest[name] = entry;
  }
  assert.equal(await readFile(path.join(ONNX_DIR, 'manifest.json'), 'utf8'), manifestText(manifest as never));
});

test('each face model converted to ONNX gives what the WASM runner gives, to float rounding', { skip }, async () => {
  for (const name of (Object.keys(MODEL_FILES) as ModelName[]).filter((n) => n !== 'selfie')) {
    const native = await model(name, 'onnxruntime');
    const wasm = await model(name, 'wasm');
    assert.equal(native.engine, 'onnxruntime');
    assert.equal(native.inputSize, wasm.inputSize);
    const batch = name === 'iris' ? 2 : 1;
    const shape = [batch, wasm.inputSize, wasm.inputSize, 3];
    let seed = 11;
    const input = new Float32Array(shape.reduce((a, b) => a * b)).map(() => ((seed = (seed * 16807) % 2147483647) / 2147483647));
    const [got, expected] = [await native.run(shape, (buffer) => buffer.set(input)), await wasm.run(shape, (buffer) => buffer.set(input))];
    assert.equal(got.length, expected.length, `${name}: outputs`);
    let largest = 0;
    expected.forEach((values, i) => {
      assert.equal(got[i].length, values.length, `${name} output ${i} size`);
      let worst = 0;
      values.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - got[i][j])); largest = Math.max(largest, Math.abs(v)); });
      // Values reach 50–160 (pixel coordinates, logits); a layout or weight mistake differs by whole units.
      assert.ok(worst < 2e-3, `${name} output ${i}: differs by ${worst}`);
    });
    assert.ok(largest > 1, `${name}: the test input gave a real answer (largest value ${largest})`);
  }
});

test('the person matte model converted to ONNX gives what the WASM runner gives, and on a photo', { skip }, async () => {
  const native = await model('selfie', 'onnxruntime');
  const wasm = await model('selfie', 'wasm');
  assert.equal(native.engine, 'onnxruntime');
  const sharp = (await import('sharp')).default;
  const { EXAMPLE } = await import('./helpers.js');
  // The example stretched to the model's 256x256, values 0..1, as matte.ts feeds it.
  const pixels = await sharp(EXAMPLE).resize(256, 256, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const input = Float32Array.from(pixels, (v) => v / 255);
  const [got] = await native.run([1, 256, 256, 3], (buffer) => buffer.set(input));
  const [expected] = await wasm.run([1, 256, 256, 3], (buffer) => buffer.set(input));
  assert.equal(got.length, 256 * 256);
  let worst = 0; let person = 0;
  expected.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - got[i])); if (v > 0.5) person++; });
  assert.ok(worst < 1e-4, `the engines differ by ${worst}`);
  // The example is a head-and-shoulders portrait: about half the frame is the person.
  assert.ok(person > 0.3 * 65536 && person < 0.8 * 65536, `person share ${person / 65536}`);
});

test('GRADPHOTO_ENGINE picks the engine; onnxruntime is the default where installed', { skip }, () => {
  const moduleUrl = new URL('../src/analysis/face-model.js', import.meta.url).href;
  const engineUrl = new URL('../src/models/engine.js', import.meta.url).href;
  const ask = (value?: string) => execFileSync(process.execPath, ['--input-type=module', '-e',
    `const { faceModel } = await import(${JSON.stringify(moduleUrl)}); console.log(await faceModel());`],
  { env: { ...process.env, GRADPHOTO_ENGINE: value ?? '' }, cwd: fileURLToPath(new URL('.', import.meta.url)) }).toString().trim();
  assert.equal(ask(), 'onnxruntime');
  assert.equal(ask('wasm'), 'wasm');
  assert.throws(() => execFileSync(process.execPath, ['--input-type=module', '-e',
    `const { engine } = await import(${JSON.stringify(engineUrl)}); await engine();`],
  { env: { ...process.env, GRADPHOTO_ENGINE: 'gpu' }, stdio: 'pipe' }), /use "onnxruntime" or "wasm"/);
});

test('runs that overlap in one thread each keep their own input', { skip }, async () => {
  const net = await model('mesh', 'onnxruntime');
  const shape = [1, net.inputSize, net.inputSize, 3];
  const inputs = [0.2, 0.7].map((level) => new Float32Array(shape.reduce((a, b) => a * b)).map((_, i) => level + 0.1 * Math.sin(i)));
  const alone: Float32Array[][] = [];
  for (const input of inputs) alone.push(await net.run(shape, (buffer) => buffer.set(input)));
  // Both filled before either runs (the session runs on a later turn): a shared buffer would give B's answer twice.
  const together = await Promise.all(inputs.map((input) => net.run(shape, (buffer) => buffer.set(input))));
  assert.notDeepEqual(alone[0][0], alone[1][0], 'the two inputs give different meshes');
  together.forEach((outputs, k) => { assert.deepEqual(outputs, alone[k], `run ${k}`); });
});

test('when onnxruntime-node cannot make a session, the models fall back to WASM, said once; not when it was asked for', { skip }, () => {
  const urls = ['../src/analysis/face-model.js', '../src/models/onnx.js', '../src/models/engine.js'].map((path) => JSON.stringify(new URL(path, import.meta.url).href));
  // A separate process, so no model is loaded yet; the session factory is made to fail as a broken install would.
  const script = `const { faceModel } = await import(${urls[0]}); const { onnxRuntime } = await import(${urls[1]}); const { model } = await import(${urls[2]});
    (await onnxRuntime()).InferenceSession.create = async () => { throw new Error('simulated: no CPU provider'); };
    const mesh = await model('mesh'); // falls back here, under onnxruntime's key
    console.log(await faceModel(), mesh.engine, mesh === await model('mesh'));`;
  const run = (engine: string) => spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, GRADPHOTO_ENGINE: engine }, encoding: 'utf8' });
  const fallback = run('');
  assert.equal(fallback.status, 0, fallback.stderr);
  // The fallen-back mesh model is the one later calls get (engine now wasm): not loaded a second time.
  assert.equal(fallback.stdout.trim(), 'wasm wasm true');
  assert.equal(fallback.stderr.match(/could not load the \w+ face model \(simulated: no CPU provider\); the face models run on WASM/g)?.length, 1, fallback.stderr);
  const asked = run('onnxruntime');
  assert.notEqual(asked.status, 0);
  assert.match(asked.stderr, /simulated: no CPU provider/);
});

/**
 * npm run models: make the ONNX files onnxruntime loads (models/onnx/*.onnx and manifest.json) from
 * the TF.js graphs in models/, with onnx.ts's converter. Run it after changing a graph or the
 * converter; tests/onnx.test.ts fails while the committed files differ from a fresh conversion.
 * `--check` only compares and exits 1 on a difference.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_FILES, ONNX_DIR, type ModelName, type OnnxManifestEntry } from '../src/models/engine.js';
import { readGraphFile } from '../src/models/graph-file.js';
import { toOnnx } from '../src/models/onnx.js';

/** Every model converted in memory, with its manifest entry. */
export async function convertAll(): Promise<Map<ModelName, { bytes: Uint8Array; entry: OnnxManifestEntry }>> {
  const out = new Map<ModelName, { bytes: Uint8Array; entry: OnnxManifestEntry }>();
  for (const name of Object.keys(MODEL_FILES) as ModelName[]) {
    const source = MODEL_FILES[name];
    const graph = await readGraphFile(source);
    const bytes = toOnnx(graph);
    const from = createHash('sha256').update(await readFile(source)).digest('hex').slice(0, 16);
    out.set(name, { bytes, entry: { file: `${name}.onnx`, inputShape: graph.inputShape, outputs: graph.outputs, from: `${path.basename(source)} sha256:${from}` } });
  }
  return out;
}

export const manifestText = (entries: Record<string, OnnxManifestEntry>) => `${JSON.stringify(entries, null, 2)}\n`;

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const converted = await convertAll();
  const manifest = Object.fromEntries([...converted].map(([name, { entry }]) => [name, entry]));
  const differ: string[] = [];
  const same = async (file: string, bytes: Uint8Array) => {
    try { return Buffer.compare(await readFile(file), bytes) === 0; } catch { return false; }
  };
  await mkdir(ONNX_DIR, { recursive: true });
  const write = async (file: string, bytes: Uint8Array) => {
    if (await same(file, bytes)) return;
    differ.push(path.basename(file));
    if (check) return;
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, file);
  };
  for (const [, { bytes, entry }] of converted) await write(path.join(ONNX_DIR, entry.file), bytes);
  await write(path.join(ONNX_DIR, 'manifest.json'), Buffer.from(manifestText(manifest)));
  const sizes = [...converted].map(([name, { bytes }]) => `${name} ${(bytes.length / 1024).toFixed(0)} KB`).join(', ');
  if (check) {
    console.log(differ.length ? `models/onnx differs from a fresh conversion: ${differ.join(', ')} (run npm run models)` : `models/onnx is up to date (${sizes})`);
    process.exitCode = differ.length ? 1 : 0;
  } else {
    console.log(differ.length ? `wrote ${differ.join(', ')} (${sizes})` : `models/onnx was already up to date (${sizes})`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

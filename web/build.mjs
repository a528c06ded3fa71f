// Builds the web page into dist/web: one bundle of the pipeline (src/, with web/src/platform.ts in place
// of the Node platform), the page, the TF.js model graphs, and the .wasm files the page runs. Run by
// `npm run build`; `node web/build.mjs` alone rebuilds only the page.
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
const require = createRequire(import.meta.url);
const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

/** The page's bundle: the Node platform swapped for the browser's, no node: module or sharp anywhere. */
const browserPlatform = {
  name: 'browser-platform',
  setup(build) {
    build.onResolve({ filter: /platform\/index\.js$/ }, () => ({ path: join(root, 'web', 'src', 'platform.ts') }));
    build.onResolve({ filter: /contract\/version\.js$/ }, () => ({ path: 'version', namespace: 'gradphoto' }));
    build.onLoad({ filter: /^version$/, namespace: 'gradphoto' }, () => ({
      contents: `export const TOOL_VERSION = ${JSON.stringify(version)}; export const REPORT_SCHEMA_VERSION = 1;`, loader: 'js',
    }));
    // libheif's WebAssembly build (its Emscripten loader; the .wasm is served from wasm/), not the Node entry.
    build.onResolve({ filter: /^libheif-js\/libheif-wasm\/libheif\.js$/ }, () => ({ path: require.resolve('libheif-js/libheif-wasm/libheif.js') }));
    build.onResolve({ filter: /^(node:|sharp$|libheif-js|onnxruntime-node)/ }, (args) => ({
      errors: [{ text: `${args.path} is imported by ${relative(root, args.importer)}: the page's pipeline must not reach Node or sharp` }],
    }));
  },
};

await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'models'), { recursive: true });
await mkdir(join(out, 'wasm'), { recursive: true });
const result = await esbuild.build({
  // The page (app.js) and its checking thread (worker.js, where the pipeline runs).
  entryPoints: { app: join(root, 'web', 'src', 'main.ts'), worker: join(root, 'web', 'src', 'worker.ts') },
  // Split: libheif's loader (imported when an HEIC photo turns up) and the code both scripts share are chunks of their own.
  bundle: true, splitting: true, chunkNames: 'chunks/[name]-[hash]', format: 'esm', platform: 'browser', target: 'chrome110', minify: true, sourcemap: false,
  outdir: out, metafile: true, legalComments: 'linked', logLevel: 'warning',
  inject: [join(root, 'web', 'src', 'buffer-global.ts')],
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [browserPlatform],
  // The Emscripten loader names Node's modules in a branch that runs only on Node.
  external: ['fs', 'path', 'crypto'],
});
// What went into the bundle, for tests/web-bundle.test.ts (kept beside the page, not in it).
await writeFile(join(root, 'dist', 'web-bundle.json'), JSON.stringify(result.metafile));
for (const file of ['index.html', 'style.css']) await copyFile(join(root, 'web', file), join(out, file));
// The TF.js graphs (not the ONNX copies: the page runs on tfjs-wasm).
for (const file of await readdir(join(root, 'models'))) {
  if (/\.(json|bin)$/.test(file)) await copyFile(join(root, 'models', file), join(out, 'models', file));
}
const tfjsWasm = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) await copyFile(join(tfjsWasm, file), join(out, 'wasm', file));
await copyFile(join(dirname(require.resolve('@jsquash/jpeg/package.json')), 'codec', 'enc', 'mozjpeg_enc.wasm'), join(out, 'wasm', 'mozjpeg_enc.wasm'));
await copyFile(require.resolve('libheif-js/libheif-wasm/libheif.wasm'), join(out, 'wasm', 'libheif.wasm'));

let bytes = 0;
for (const dir of ['', 'models', 'wasm']) {
  for (const file of await readdir(join(out, dir), { withFileTypes: true })) if (file.isFile()) bytes += (await stat(join(out, dir, file.name))).size;
}
if (!process.argv.includes('--quiet')) console.log(`web page built in ${relative(root, out)}: app.js ${((await stat(join(out, 'app.js'))).size / 1024).toFixed(0)} KB, ${(bytes / 1048576).toFixed(1)} MB in all`);

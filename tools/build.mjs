// `npm run build`: dist/ made afresh, then its three parts at once, as each is one core's work: the
// compile of src/, tests/, bench/ and tools/ (tsc), the page's type check (tsc, no output) and the page's
// bundle (web/build.mjs, esbuild, into dist/web). They share no output. Fails when any of them fails.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const steps = [
  [tsc, '-p', 'tsconfig.json'],
  [tsc, '-p', 'web/tsconfig.json'],
  ['web/build.mjs', '--quiet'],
];
const codes = await Promise.all(steps.map((args) => new Promise((done) => {
  spawn(process.execPath, args, { cwd: root, stdio: 'inherit' }).on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
})));
const failed = steps.filter((_, i) => codes[i] !== 0);
for (const args of failed) console.error(`build: ${args.join(' ')} failed`);
process.exitCode = failed.length > 0 ? 1 : 0;

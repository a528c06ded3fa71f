import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from './helpers.js';

/**
 * The package as npm would publish it (npm pack, without running scripts: dist is already built),
 * unpacked into a temporary project's node_modules with its dependencies linked from ours: no network,
 * but the files list, `exports` and `types` are exactly what a user gets.
 */
async function installPacked(): Promise<string> {
  const project = await tempDir();
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
  const files = packed[0].files.map((f) => f.path);
  assert.ok(files.includes('dist/src/index.js') && files.includes('dist/src/index.d.ts'), 'the entry and its types are packed');
  assert.ok(files.includes('models/onnx/mesh.onnx') && files.includes('models/facemesh.bin') && files.includes('LICENSE'), 'models and licence are packed');
  assert.ok(files.includes('dist/web/index.html') && files.includes('dist/web/app.js') && files.includes('dist/web/wasm/mozjpeg_enc.wasm') && files.includes('dist/web/models/facemesh.json'), 'the web page ships, for gradphoto serve');
  assert.ok(files.includes('schema/profile.schema.json') && files.includes('profiles/example-school.json'), 'the profile schema and the example profile file ship');
  assert.ok(!files.some((f) => f.startsWith('dist/tests/') || f.startsWith('tests/') || f.startsWith('src/')), 'no tests or sources in the package');
  const target = join(project, 'node_modules', 'gradphoto');
  await mkdir(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(project, packed[0].filename), '-C', target, '--strip-components=1']);
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; optionalDependencies?: Record<string, string> };
  const installed = new Set(await readdir(join(ROOT, 'node_modules')));
  for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.optionalDependencies ?? {})]) {
    if (!installed.has(name.split('/')[0])) continue; // an optional dependency not installed here
    const link = join(project, 'node_modules', name);
    await mkdir(dirname(link), { recursive: true });
    await symlink(join(ROOT, 'node_modules', name), link, 'dir');
  }
  await writeFile(join(project, 'package.json'), '{ "name": "portal", "private": true, "type": "module" }\n');
  return project;
}

test('the packed package: the README\'s library example runs in a fresh project, and its types check', async () => {
  const project = await installPacked();
  // The README's example, as written there.
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it from JavaScript'));
  const example = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(example?.includes("from 'gradphoto'"), 'the README has a library example');
  await writeFile(join(project, 'check-upload.mjs'), example!);
  const out = execFileSync(process.execPath, ['check-upload.mjs'], { cwd: project, encoding: 'utf8' }).trim().split('\n');
  // The example photo fails on its grey background (and its fringe and softness); fix puts it on blue.
  assert.match(out[0], /^fail \[.*'background\.color'.*\]$/);
  assert.match(out[1], /^fixed \[ 'upright', 'new background', 'encode' \]/);
  const written = await readFile(join(project, 'upload-fixed.jpg'));
  assert.ok(written.length >= 30720 && written.length <= 40000, `fixed photo ${written.length} bytes`);

  // The README's rule module and its rule-tester example, through gradphoto/testing.
  const writing = readme.slice(readme.indexOf('## Writing a rule'));
  const blocks = [...writing.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks[0]?.includes('export default') && blocks[1]?.includes("from 'gradphoto/testing'"), 'the README has a rule and a rule test');
  await writeFile(join(project, 'my-rule.js'), blocks[0]);
  await writeFile(join(project, 'my-rule.test.mjs'), `${blocks[1]}\nconsole.log('rule tests passed');\n`);
  assert.equal(execFileSync(process.execPath, ['my-rule.test.mjs'], { cwd: project, encoding: 'utf8' }).trim(), 'rule tests passed');

  // A TypeScript user: the published types accept a typed rule and the results' fields, and reject a wrong status.
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['use.ts', 'wrong.ts'] }));
  await writeFile(join(project, 'use.ts'), `import { check, defineRule, fail, pass, type FileResult } from 'gradphoto';
export const named = defineRule<{ pattern: string }>({
  id: 'local.named',
  meta: { description: { en: 'named', zh: '命名' }, messageIds: ['ok', 'bad'], defaultOptions: { pattern: '^\\\\d+$' },
    messages: { en: { ok: 'ok', bad: 'bad' }, zh: { ok: '好', bad: '坏' } } },
  check({ photo, options }) { return new RegExp(options.pattern).test(photo.path) ? pass('ok') : fail('bad'); },
});
export async function verdictOf(bytes: Uint8Array): Promise<FileResult['verdict']> { return (await check(bytes, { rules: [named], ruleOptions: { 'local.named': { pattern: '^x' } } })).verdict; }
// The options' type comes from defaultOptions: check() sees them typed, and a key the rule does not have is an error.
export const inferred = defineRule({
  id: 'local.inferred',
  meta: { description: { en: 'n', zh: 'n' }, messageIds: ['ok'], defaultOptions: { minLength: 3 } },
  check({ options }) {
    const length: number = options.minLength;
    // @ts-expect-error: not an option of this rule
    void options.maxLength;
    return length > 0 ? pass('ok') : fail('ok');
  },
});
`);
  await writeFile(join(project, 'wrong.ts'), `import { defineRule } from 'gradphoto';
export const wrong = defineRule({ id: 'x', meta: { description: { en: '', zh: '' }, messageIds: ['ok'], defaultOptions: {} },
  check() { return { status: 'failed', messageId: 'ok' }; } });
`);
  // One compiler run over both files (each run costs seconds): use.ts type-checks clean, wrong.ts's status is refused.
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const rejected = (() => {
    try { execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', stdio: 'pipe' }); return ''; } catch (error) { return String((error as { stdout?: string }).stdout); }
  })();
  assert.deepEqual(rejected.split('\n').filter((line) => /error TS/.test(line)).map((line) => line.replace(/\(.*/, '').split('/').pop()), ['wrong.ts'], rejected);
  assert.match(rejected, /wrong\.ts\(3,\d+\): error TS2322: .*status: "failed"/, rejected);
});

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.js';

/**
 * The floors of src/, bottom first (README, "Layout"). A module may import from its own floor or any
 * floor below, never above. Two folders on one floor do not import each other except where listed.
 */
export const FLOORS: string[][] = [
  ['contract'], // types, defineRule/defineAnalysis, the analysis cache, the tool's version
  ['platform'], // the machine: files, decoding, JPEG encoding, model files (Node here; web/src/platform.ts in the page)
  ['formats', 'models', 'i18n', 'profiles'], // bytes → facts; the model runtime; message catalogues; standards as data
  ['analysis'], // per-photo measurements
  ['rules'], // one pure rule per file
  ['core'], // load a photo, run rules over it
  ['fix', 'roster'], // make a photo that passes; match photos to a class list
  ['batch'], // discover files, pool of workers, tasks
  ['report'], // formatters, annotation, fix and rules listings
  ['cli', 'api'], // argument parsing; the library entry (src/index.ts, src/testing.ts)
];

const floorOf = (folder: string): number => FLOORS.findIndex((floor) => floor.includes(folder));

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await sources(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The folder under src/ a file lives in ('api' for the entry files at src/'s top). */
const folderOf = (file: string, src: string): string => {
  const parts = relative(src, file).split(/[\\/]/);
  return parts.length === 1 ? (parts[0] === 'version.ts' ? 'contract' : 'api') : parts[0];
};

test('floors: every import in src/ runs to the same floor or one below, never upward', async () => {
  const src = join(ROOT, 'src');
  const upward: string[] = [];
  for (const file of await sources(src)) {
    const from = folderOf(file, src);
    assert.notEqual(floorOf(from), -1, `${relative(ROOT, file)}: folder ${from} is on no floor`);
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), match[1]);
      const to = folderOf(target, src);
      if (to === from) continue;
      if (floorOf(to) >= floorOf(from)) upward.push(`${relative(ROOT, file)} imports ${match[1]} (${from} → ${to})`);
    }
  }
  assert.deepEqual(upward, [], upward.join('\n'));
});

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveRules } from '../src/core/run.js';
import { builtinCatalogues, pickLang } from '../src/i18n/index.js';
import { profiles } from '../src/profiles/index.js';
import { builtinRules } from '../src/rules/index.js';
import { ROOT } from './helpers.js';

test('every built-in rule has every message in both languages, and no stray ones', () => {
  for (const rule of builtinRules.values()) {
    for (const lang of ['en', 'zh'] as const) {
      const catalogue = builtinCatalogues[lang][rule.id];
      assert.ok(catalogue, `${lang} catalogue lacks ${rule.id}`);
      for (const id of rule.meta.messageIds) assert.ok(catalogue[id], `${lang} ${rule.id}/${id}`);
      // No stray ones: a message no messageId names is dead text (or a typo in the rule's list).
      const stray = Object.keys(catalogue).filter((id) => !rule.meta.messageIds.includes(id));
      assert.deepEqual(stray, [], `${lang} ${rule.id} has messages the rule never reports`);
      assert.ok(rule.meta.description[lang], `${rule.id} description ${lang}`);
    }
  }
  // And no catalogue entry for a rule that does not exist.
  for (const lang of ['en', 'zh'] as const) {
    const orphans = Object.keys(builtinCatalogues[lang]).filter((id) => /^[a-z]+\.[a-z-]+$/.test(id) && !builtinRules.has(id));
    assert.deepEqual(orphans, [], `${lang} catalogue entries without a rule`);
  }
});

test('each rule file in src/rules is named after the id of the rule it exports, and each is registered', async () => {
  const dir = join(ROOT, 'src', 'rules');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('-shared.ts'));
  assert.ok(files.length >= 20, `${files.length} rule files`);
  const seen = new Set<string>();
  for (const file of files) {
    const module = await import(new URL(`../src/rules/${file.replace(/\.ts$/, '.js')}`, import.meta.url).href) as { default?: { id?: string } };
    const id = module.default?.id;
    assert.ok(id, `${file} has no default-exported rule`);
    assert.equal(file, `${id.replace('.', '-')}.ts`, `${file} exports ${id}`);
    assert.equal(builtinRules.get(id), module.default, `${id} is registered in src/rules/index.ts`);
    seen.add(id);
  }
  assert.deepEqual([...builtinRules.keys()].filter((id) => !seen.has(id)), [], 'registered rules without a file of their own');
});

test('every rule in a profile exists', () => {
  for (const profile of profiles.values()) {
    assert.doesNotThrow(() => resolveRules(profile, builtinRules));
    for (const id of Object.keys(profile.rules)) assert.ok(builtinRules.has(id), id);
  }
});

test('language: --lang wins, LANG=en* picks English, anything else Chinese', () => {
  assert.equal(pickLang('en', { LANG: 'zh_CN.UTF-8' }), 'en');
  assert.equal(pickLang(undefined, { LANG: 'en_GB.UTF-8' }), 'en');
  assert.equal(pickLang(undefined, { LANG: 'C.UTF-8' }), 'zh');
  assert.equal(pickLang(undefined, {}), 'zh');
});

test('gradphoto rules lists every rule of the profile with its description and limits', async () => {
  const { runCliInProcess } = await import('./helpers.js');
  const run = await runCliInProcess(['rules', '--lang', 'en']);
  assert.equal(run.code, 0);
  for (const id of Object.keys(profiles.get('chsi-graduate')!.rules)) assert.match(run.stdout, new RegExp(`^${id.replace('.', '\\.')} `, 'm'));
  assert.match(run.stdout, /face\.size +face width \(cheek to cheek\) 180–300 px in the 480x640 frame\n +minWidth=180 maxWidth=300/);
  assert.match(run.stdout, /admission\.different .*\(off\)/);
});

test('Chinese reports carry no English words from rule data (directions, colour names)', async () => {
  const { runCliInProcess, EXAMPLE } = await import('./helpers.js');
  const report = JSON.parse((await runCliInProcess(['check', EXAMPLE, '--lang', 'zh', '--format', 'json'])).stdout);
  const messages = report.files[0].checks.map((c: { message: string }) => c.message).join('\n');
  assert.doesNotMatch(messages, /\b(left|right|up|down|grey|white|blue|red|dark|light|topBottom|leftRight)\b/);
  assert.match(messages, /背景为灰色/);
  assert.match(messages, /[左右]耳/);
});

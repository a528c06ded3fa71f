import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { checkFile, resolveRules } from '../src/core/run.js';
import type { Lang } from '../src/contract/types.js';
import { builtinCatalogues } from '../src/i18n/index.js';
import { check } from '../src/index.js';
import { defaultProfile, profileFromData } from '../src/profiles/index.js';
import type { Profile } from '../src/profiles/types.js';
import { checkMessage, localiseFile, ruleDescription, templateValues } from '../src/report/localise.js';
import { formatProfilesListing } from '../src/report/profiles-listing.js';
import { formatRulesListing } from '../src/report/rules-listing.js';
import { builtinRules } from '../src/rules/index.js';
import { tempDir, writeTemp } from './helpers.js';

/** The default profile with other numbers everywhere a standard has one: frame, byte window, colour, dpi, geometry, written as a profile file is. */
const other: Profile = profileFromData({
  id: 'test-other',
  name: { ...defaultProfile.description },
  sources: ['a test'],
  confidence: 'high',
  frame: { width: 358, height: 441 },
  bytes: { min: 14336, max: 30000, warnMin: 14000, warnMax: 30720 },
  background: { colours: [{ id: 'white', rgb: [255, 255, 255], name: { zh: '白色', en: 'white' } }] },
  dpi: 350,
  jpegQuality: 70,
  geometry: { unit: 'px', faceWidth: { min: 193, max: 221 }, headTop: { min: 7, max: 21 }, eyeLine: { min: 150, max: 190 }, maxCentreOffset: 18 },
  rules: { 'face.position': { options: { tolerance: 5 } } },
}, 'test-other');

// The default profile's numbers that must not show once a profile says otherwise (30720 and 30000 are in `other`'s warn bands and window).
const OLD = ['480', '640', '100,197,255', '40000', '40960', '180', '300 dpi', '50–110', '200–300'];

test('every message and description of every built-in rule names the profile\'s own numbers, none of the default\'s', () => {
  for (const lang of ['en', 'zh'] as Lang[]) {
    for (const [id, rule] of builtinRules) {
      const texts = [ruleDescription(rule, lang, other)];
      for (const [messageId, template] of Object.entries(builtinCatalogues[lang][id] ?? {})) {
        // What the check itself measures ({kb}, {width}...) comes from its data; the limits from the profile.
        const known = templateValues(other, id);
        const data = Object.fromEntries([...template.matchAll(/\{(\w+)\}/g)].filter(([, name]) => !(name in known)).map(([, name]) => [name, 'M']));
        texts.push(checkMessage({ rule: id, status: 'fail', messageId, data, measured: null, expected: null }, { lang, profile: other }));
      }
      for (const text of texts) {
        assert.doesNotMatch(text, /\{\w+\}/, `${lang} ${id}: a placeholder left unfilled in "${text}"`);
        for (const old of OLD) assert.ok(!text.includes(old), `${lang} ${id}: "${text}" still says ${old}`);
      }
    }
  }
  const en = (id: string, messageId: string, data: Record<string, string | number>) =>
    checkMessage({ rule: id, status: 'fail', messageId, data, measured: null, expected: null }, { lang: 'en', profile: other });
  assert.equal(en('background.color', 'otherColour', { name: 'grey', r: 1, g: 2, b: 3, distance: 40, target: 0 }),
    'Background is grey, RGB(1,2,3), not an allowed colour (white RGB(255,255,255); ΔE2000 40 from white). `gradphoto fix` replaces a plain background.');
  assert.match(en('face.size', 'tooSmall', { width: 150, min: 193 }), /^Face width 150 px in the 358x441 frame, below 193 px/);
  assert.match(en('file.size', 'nearLow', { kb: 13.8, bytes: 14100, min: 14336, max: 30000 }), /below 14336 bytes but at least 14000;/);
  assert.match(en('file.decode', 'decodeTimeout', { seconds: 20 }), /Export a 358x441 JPG from the original\./);
  assert.equal(ruleDescription(builtinRules.get('face.position')!, 'zh', other), '头顶距上边 7–21 像素，双眼距上边 150–190 像素，人像居中');
  assert.match(formatRulesListing(other, 'en'), /^image\.dimensions +pixel size 358x441 \(width x height\)$/m);
  // The allowed colours by name and RGB (they printed as [object Object]); limits wrapped to the width given.
  const listing = formatRulesListing(defaultProfile, 'en', [], 80);
  assert.match(listing, /^ {23}.*colours=blue\(100,197,255\)/m);
  assert.doesNotMatch(listing, /object Object/);
  assert.deepEqual(listing.split('\n').filter((line) => line.length > 80 && line.startsWith(' ')), []);
  // The default profile still reads as before.
  assert.equal(ruleDescription(builtinRules.get('file.size')!, 'en', defaultProfile), 'file size within 30720–40000 bytes');
});

test('core returns messageIds and data, no words; the report floor words them in either language', async () => {
  const dir = await tempDir();
  const empty = await writeTemp(dir, 'empty.jpg', Buffer.alloc(0));
  const result = await checkFile(empty, resolveRules(defaultProfile, builtinRules), { frame: defaultProfile.frame });
  assert.equal(result.verdict, 'error');
  assert.deepEqual(result.error, { rule: 'file.decode', messageId: 'empty', data: {} });
  for (const checked of result.checks) assert.equal('message' in checked, false, `core worded ${checked.rule}`);
  const en = localiseFile(result, { lang: 'en', profile: defaultProfile });
  const zh = localiseFile(result, { lang: 'zh', profile: defaultProfile });
  assert.equal(en.error?.message, 'The file is empty (0 bytes). Copy the photo again from where it came from.');
  assert.equal(zh.error?.message, '文件为空（0 字节）。请从原处重新复制照片。');
  assert.deepEqual(en.checks.map((c) => c.messageId), zh.checks.map((c) => c.messageId));
});

test('check() with a profile of another frame: the photo is judged and told in that profile\'s numbers', async () => {
  const jpeg = await sharp({ create: { width: 480, height: 640, channels: 3, background: { r: 100, g: 197, b: 255 } } }).jpeg().toBuffer();
  const result = await check(jpeg, { profile: other, lang: 'en', disable: ['face.count'] });
  const dimensions = result.checks.find((c) => c.rule === 'image.dimensions')!;
  assert.equal(dimensions.status, 'fail');
  assert.equal(dimensions.message, '480x640 px, not 358x441 (width x height), nor of that shape. Crop to 358:441 around the head and resize (`gradphoto fix` does both).');
  const size = result.checks.find((c) => c.rule === 'file.size')!;
  assert.equal(size.status, 'fail');
  assert.match(size.message, /is below 14336 bytes\. Save with higher quality/);
  const zh = await check(jpeg, { profile: other, lang: 'zh', disable: ['face.count'] });
  assert.match(zh.checks.find((c) => c.rule === 'file.size')!.message, /小于 14336 字节。/);
});

test('gradphoto profiles lists each profile with its own numbers, its sources and how sure they are', () => {
  const en = formatProfilesListing([defaultProfile, { ...other, sources: ['GA 461-2004 (copies: hybridbeedesign.com)'], confidence: 'medium' }], 'en', defaultProfile.id);
  const [first, second] = en.trimEnd().split('\n\n');
  assert.ok(first.startsWith('ouc-graduate (default)  Open University of China graduate photo'), first);
  assert.equal(first.split('\n')[1], '   frame 480x640 · bytes 30720–40000 · dpi 300 · no glasses · confidence high');
  assert.equal(first.split('\n')[2], '   background blue: light blue RGB(100,197,255)');
  assert.ok(first.split('\n')[3].startsWith('   sources: Open University of China'), first);
  assert.equal(second, [
    `test-other  ${other.description.en}`,
    '   frame 358x441 · bytes 14336–30000 · dpi 350 · no glasses · confidence medium',
    '   background white: white RGB(255,255,255)',
    '   sources: GA 461-2004 (copies: hybridbeedesign.com)',
  ].join('\n'));
  const zh = formatProfilesListing([defaultProfile], 'zh').split('\n');
  assert.ok(zh[0].startsWith('ouc-graduate  国家开放大学毕业生图像采集'), zh[0]);
  assert.equal(zh[1], '   尺寸 480×640 · 字节 30720–40000 · 分辨率 300 · 不可戴眼镜 · 可信度 高');
  assert.equal(zh[2], '   背景 blue: 浅蓝色 RGB(100,197,255)');
  assert.ok(zh[3].startsWith('   来源：'), zh[3]);
});

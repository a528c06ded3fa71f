import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import sharp from 'sharp';
import { builtinProfileData, defaultProfile, profileSchema, profiles, ProfileError, type Profile } from '../src/profiles/index.js';
import { profileFromText } from '../src/core/profile-file.js';
import { builtinRules, ruleOptions } from '../src/rules/index.js';
import { check, fix } from '../src/index.js';
import type { FileSizeOptions } from '../src/rules/file-size.js';
import type { BackgroundColorOptions } from '../src/rules/background-color.js';
import type { ReportFile } from '../src/contract/types.js';
import { ASTRONAUT, ROOT, padJpegTo, runCliInProcess, tempDir, writeTemp, type CliRun } from './helpers.js';

/** The CLI run in `cwd` (where gradphoto.config.json is looked for up to). */
const runIn = (cwd: string, args: string[]): Promise<CliRun> => runCliInProcess(args, { cwd });

const published = JSON.parse(await readFile(join(ROOT, 'schema', 'profile.schema.json'), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(published);
const status = (result: ReportFile, rule: string) => result.checks.filter((c) => c.rule === rule).map((c) => c.status);

test('schema/profile.schema.json is the schema gradphoto checks files with; every built-in profile is valid under it (ajv too)', () => {
  assert.deepEqual(published, JSON.parse(JSON.stringify(profileSchema)));
  assert.deepEqual([...profiles.keys()], ['ouc-graduate', 'chsi-graduate', 'id-card', 'social-security', 'passport', 'cet-ncre', 'yanzhao']);
  for (const data of builtinProfileData) {
    assert.ok(validate(data), `${data.id}: ${JSON.stringify(validate.errors)}`);
    // Every built-in says where each section's numbers come from.
    for (const section of ['frame', 'bytes', 'background', 'dpi', 'geometry', 'glasses'] as const) {
      if (data[section] !== undefined) assert.ok(data.notes?.[section], `${data.id}: no note for ${section}`);
    }
    assert.ok(data.sources.length > 0 && ['high', 'medium', 'low'].includes(data.confidence));
  }
  assert.equal(defaultProfile.id, 'ouc-graduate');
});

test('the shipped example school profile is valid and compiles over chsi-graduate with its own numbers', async () => {
  const text = await readFile(join(ROOT, 'profiles', 'example-school.json'), 'utf8');
  assert.ok(validate(JSON.parse(text)), JSON.stringify(validate.errors));
  const profile = profileFromText(text, 'example-school.json', builtinRules);
  assert.deepEqual(ruleOptions<FileSizeOptions>(profile, 'file.size'), { minBytes: 30720, maxBytes: 51200, warnMinBytes: 30000, warnMaxBytes: 52000 });
  assert.deepEqual(ruleOptions<BackgroundColorOptions>(profile, 'background.color').colours.map((c) => c.rgb), [[255, 255, 255]]);
  assert.equal(profile.rules['face.glasses'].level, 'warn');
  assert.equal(profile.rules['clothing.collar'].level, 'off');
  assert.deepEqual(profile.frame, { width: 480, height: 640 });
});

/** A profile file with mistakes: each is reported with its key's path and line, as the README documents. */
test('a profile file with mistakes: every mistake named with its key and line; ajv rejects the same file', () => {
  const text = [
    '{',                                                     // 1
    '  "id": "My School",',                                  // 2
    '  "name": { "zh": "某校" },',                            // 3
    '  "sources": [],',                                      // 4
    '  "confidence": "sure",',                               // 5
    '  "frame": { "width": 0, "height": 640 },',             // 6
    '  "bytes": { "min": 30720, "max": "40 KB" },',          // 7
    '  "background": { "colors": [] },',                     // 8
    '  "glasses": "off"',                                    // 9
    '}',
  ].join('\n');
  assert.equal(validate(JSON.parse(text)), false);
  assert.throws(() => profileFromText(text, 'school.json', builtinRules), (error: ProfileError) => {
    assert.ok(error instanceof ProfileError);
    assert.deepEqual(error.message.split('\n'), [
      'school.json:2: id: "My School" does not match ^[a-z0-9][a-z0-9.-]*$',
      'school.json:3: name: "en" is missing',
      'school.json:4: sources: needs at least 1 item, has 0',
      'school.json:5: confidence: must be one of high, medium, low, not "sure"',
      'school.json:6: frame.width: must be at least 1, not 0',
      'school.json:7: bytes.max: must be a whole number, not "40 KB"',
      'school.json:8: background: "colours" is missing',
      'school.json:8: background.colors: unknown key "colors" (background takes colours, tolerance, warnTolerance)',
      'school.json:9: glasses: must be one of allowed, warn, forbidden, not "off"',
    ]);
    return true;
  });
  // Syntax, rules and numbers that only make sense together.
  assert.throws(() => profileFromText('{\n  "id": "x",\n  "name": {"zh": "x", "en": "x"},\n}', 'bad.json', builtinRules), /^Error: bad\.json:4: not valid JSON/);
  const rules = JSON.stringify({ id: 'x', name: { zh: 'x', en: 'x' }, sources: ['s'], confidence: 'low', rules: { 'face.glases': 'off', 'face.pose': { options: { rollFial: 4, yawFail: 'ten' } } } }, null, 2);
  assert.throws(() => profileFromText(rules, 'rules.json', builtinRules), (error: Error) => {
    assert.deepEqual(error.message.split('\n'), [
      'rules.json:12: rules.face.glases: no built-in rule "face.glases" (gradphoto rules lists them)',
      'rules.json:15: rules.face.pose.options.rollFial: face.pose has no option "rollFial" (it takes rollWarn, rollFail, yawWarn, yawFail, pitchWarn, pitchFail)',
      'rules.json:16: rules.face.pose.options.yawFail: must be a number, not a string',
    ]);
    return true;
  });
  const ranges = JSON.stringify({ id: 'x', name: { zh: 'x', en: 'x' }, sources: ['s'], confidence: 'low', frame: { width: { min: 354, max: 480 }, height: { min: 472, max: 640 }, aspect: [3, 4] }, bytes: { min: 40000, max: 30000 }, geometry: { unit: 'fraction', faceWidth: { min: 0.4, max: 180 } } }, null, 2);
  assert.throws(() => profileFromText(ranges, 'ranges.json', builtinRules), (error: Error) => {
    assert.deepEqual(error.message.split('\n'), [
      'ranges.json:11: frame: a size range or minimum needs "target": the size fix makes and geometry is measured in',
      'ranges.json:26: bytes.min: 40000 is above max 30000',
      'ranges.json:33: geometry.faceWidth.max: 180 is not a fraction of the frame (unit is "fraction": 0–1)',
    ]);
    return true;
  });
  assert.throws(() => profileFromText(JSON.stringify({ id: 'x', extends: 'nope', name: { zh: 'x', en: 'x' }, sources: ['s'], confidence: 'low' }), 'e.json', builtinRules), /e\.json:1: extends: "nope" is not a built-in profile/);
});

/** The astronaut enlarged as a camera would frame it (1536x1632): what fix starts from. Made once for every profile's test. */
let portrait: Promise<Buffer> | undefined;
const largePortrait = () => (portrait ??= sharp(ASTRONAUT).removeAlpha().extend({ top: 32, extendWith: 'mirror' }).resize(1536, 1632).jpeg({ quality: 92 }).toBuffer());
const STANDARD_RULES = ['file.size', 'image.dimensions', 'background.color', 'face.size', 'face.position'];

for (const [id, profile] of profiles) {
  test(`${id}: fix makes a photo from a large portrait that passes its size, background and geometry; variants fail each`, async () => {
    const dir = await tempDir();
    const fixed = await fix(await largePortrait(), { profile: id, lang: 'en', name: 'large.jpg' });
    assert.equal(fixed.status, 'fixed', JSON.stringify(fixed.check?.checks.filter((c) => c.status === 'fail')));
    const jpeg = fixed.jpeg!;
    const size = ruleOptions<FileSizeOptions>(profile, 'file.size');
    assert.ok(jpeg.length >= size.minBytes && jpeg.length <= size.maxBytes, `${jpeg.length} bytes`);
    const meta = await sharp(jpeg).metadata();
    assert.deepEqual([meta.width, meta.height], [profile.frame.width, profile.frame.height]);
    if (profile.rules['image.dpi']?.level !== 'off') assert.equal(meta.density, ruleOptions<{ dpi: number }>(profile, 'image.dpi').dpi);
    const passing = await check(jpeg, { profile: id, lang: 'en', name: `${id}.jpg` });
    for (const rule of STANDARD_RULES) assert.deepEqual(status(passing, rule), ['pass'], `${rule}: ${JSON.stringify(passing.checks.find((c) => c.rule === rule))}`);
    const colour = passing.checks.find((c) => c.rule === 'background.color')!;
    const first = ruleOptions<BackgroundColorOptions>(profile, 'background.color').colours[0];
    assert.ok((colour.measured as { deltaE2000: number }).deltaE2000 < 3, colour.message);
    assert.ok(colour.message.includes(`${first.name.en} RGB(${first.rgb.join(',')})`), colour.message);

    // Bytes: padded past the window's outer band.
    const padded = padJpegTo(jpeg, Math.max(size.maxBytes, size.warnMaxBytes) + 1);
    const big = await check(padded, { profile: id, lang: 'en', name: 'big.jpg' });
    assert.deepEqual(status(big, 'file.size'), ['fail']);
    assert.match(big.checks.find((c) => c.rule === 'file.size')!.message, new RegExp(`${size.maxBytes}`));
    // Pixels: 3:2 instead of the frame's shape.
    const wide = await sharp(jpeg).resize(profile.frame.width, Math.round(profile.frame.width * 2 / 3), { fit: 'fill' }).jpeg().toBuffer();
    assert.deepEqual(status(await check(wide, { profile: id, lang: 'en' }), 'image.dimensions'), ['fail']);
    // Background: the same person on red, which no profile allows.
    const red = await fix(await largePortrait(), { profile: { ...profile, rules: { ...profile.rules, 'background.color': { options: { ...profile.rules['background.color'].options, colours: [{ id: 'red', rgb: [200, 40, 40], name: { zh: '红色', en: 'red' } }] } } } }, lang: 'en' });
    const onRed = await check(red.jpeg!, { profile: id, lang: 'en' });
    assert.deepEqual(onRed.checks.filter((c) => c.rule === 'background.color').map((c) => `${c.status}:${c.messageId}`), ['fail:otherColour']);
    // Geometry: the picture moved down by a quarter of its height (the frame's own colour above).
    const quarter = Math.round(profile.frame.height / 4);
    const lowered = await sharp(jpeg).extend({ top: quarter, extendWith: 'copy' }).extract({ left: 0, top: 0, width: profile.frame.width, height: profile.frame.height }).jpeg({ quality: 95 }).toBuffer();
    const low = await check(await writeTemp(dir, 'low.jpg', lowered), { profile: id, lang: 'en' });
    assert.ok(status(low, 'face.position').includes('fail'), JSON.stringify(low.checks.find((c) => c.rule === 'face.position')));
  });
}

test('fix --background picks among the profile\'s colours; one it does not allow is a usage error naming them', async () => {
  const dir = await tempDir();
  const input = await writeTemp(dir, 'large.jpg', await largePortrait());
  const white = await fix(input, { profile: 'chsi-graduate', background: 'white', lang: 'en' });
  assert.equal(white.status, 'fixed');
  const colour = white.check!.checks.find((c) => c.rule === 'background.color')!;
  assert.match(colour.message, /from the allowed white RGB\(255,255,255\)/);
  const run = await runCliInProcess(['fix', input, '-o', join(dir, 'out.jpg'), '--profile', 'id-card', '--background', 'blue', '--lang', 'en']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--background blue: profile id-card allows white \(or keep\)/);
});

test('gradphoto.config.json beside the photos sets the profile and disabled rules; --profile wins over it', async () => {
  const dir = await tempDir();
  const folder = join(dir, 'class', '甲班');
  await mkdir(folder, { recursive: true });
  const photo = await writeTemp(folder, 'a.jpg', await sharp({ create: { width: 358, height: 441, channels: 3, background: '#ffffff' } }).jpeg().toBuffer());
  await writeFile(join(dir, 'class', 'gradphoto.config.json'), JSON.stringify({ profile: 'school.json', disable: ['face.glasses'] }));
  await writeFile(join(dir, 'class', 'school.json'), JSON.stringify({ id: 'school', extends: 'id-card', name: { zh: '某校', en: 'A school' }, sources: ['its notice'], confidence: 'high', bytes: { min: 100, max: 50000 } }));
  const run = await runIn(dir, ['check', photo, '--format', 'json', '--lang', 'en']);
  const report = JSON.parse(run.stdout);
  assert.equal(report.profile, 'school');
  const checks = report.files[0].checks as { rule: string; status: string; message: string }[];
  assert.equal(checks.some((c) => c.rule === 'face.glasses'), false);
  assert.equal(checks.find((c) => c.rule === 'image.dimensions')!.status, 'pass');
  assert.match(checks.find((c) => c.rule === 'file.size')!.message, /within 100–50000 bytes/);
  const flagged = JSON.parse((await runIn(dir, ['check', photo, '--format', 'json', '--profile', 'passport', '--lang', 'en'])).stdout);
  assert.equal(flagged.profile, 'passport');
  // A broken profile file named by the config: a usage error (exit 2) naming the config, the file, the key and the line.
  await writeFile(join(dir, 'class', 'school.json'), '{\n  "id": "school",\n  "name": {"zh": "某校", "en": "A school"},\n  "sources": ["n"],\n  "confidence": "high",\n  "dpi": "300"\n}');
  const broken = await runIn(dir, ['check', photo, '--lang', 'en']);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /gradphoto\.config\.json: school\.json:6: dpi: must be a number or null, not "300"/);
});

test('switching --profile changes every number in the report: the ID card photo told in GA 461\'s numbers and Chinese name', async () => {
  const photo = await sharp({ create: { width: 480, height: 640, channels: 3, background: '#c8c8c8' } }).jpeg().toBuffer();
  const idCard = await check(photo, { profile: 'id-card', lang: 'zh', disable: ['face.count'] });
  const text = idCard.checks.map((c) => c.message).join('\n');
  assert.match(text, /不是 358×441/);
  assert.match(text, /白色 RGB\(255,255,255\)/);
  for (const old of ['480×640 像素。', '100,197,255', '30720', '40000']) assert.ok(!text.includes(old), `still says ${old}`);
  const dir = await tempDir();
  const run = await runCliInProcess(['check', await writeTemp(dir, 'grey.jpg', photo), '--profile', 'id-card']);
  assert.match(run.stdout, /标准 id-card（居民身份证照片（GA 461-2004））/);
});

export type { Profile };

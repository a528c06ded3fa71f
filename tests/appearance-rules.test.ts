import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import type { Rgb } from '../src/analysis/colour.js';
import { faces, type Face } from '../src/analysis/face.js';
import { LIPS_INNER, LIPS_OUTER } from '../src/analysis/face-regions.js';
import { loadPhoto } from '../src/core/load.js';
import type { ReportFile } from '../src/contract/types.js';
import { onNewBackground } from '../src/fix/composite.js';
import { interpolate, messageTemplate } from '../src/i18n/index.js';
import { defaultProfile } from '../src/profiles/index.js';
import { annotationSvg } from '../src/report/annotate.js';
import { builtinRules } from '../src/rules/index.js';
import { ASTRONAUT, EXAMPLE, check, only, statuses, tempDir, writeTemp } from './helpers.js';

const statusOf = (result: ReportFile, rule: string) => {
  const found = statuses(result, rule).map((s) => s.split(':')[0]);
  return found.includes('fail') ? 'fail' : found.includes('warn') ? 'warn' : found[0];
};

let cached: { face: Face; pixels: Buffer } | undefined;
async function exampleFace(): Promise<{ face: Face; pixels: Buffer }> {
  if (cached) return cached;
  const outcome = await loadPhoto(EXAMPLE);
  if (outcome.kind !== 'photo') throw new Error('example did not load');
  cached = { face: (await faces(outcome.photo)).main!, pixels: outcome.photo.pixels.data };
  return cached;
}

const raw = (data: Buffer) => sharp(data, { raw: { width: 480, height: 640, channels: 3 } });

/** The example on a flat colour, cut out by the person matte (as fix does). */
async function onColour(colour: Rgb): Promise<Buffer> {
  const { face, pixels } = await exampleFace();
  return (await onNewBackground({ data: pixels, width: 480, height: 640 }, face.mesh, colour)).image.data as Buffer;
}
const onBlue = () => onColour([100, 197, 255]);

async function save(dir: string, name: string, image: Sharp | Buffer): Promise<string> {
  const bytes = Buffer.isBuffer(image) ? await raw(image).jpeg({ quality: 92 }).toBuffer() : await image.jpeg({ quality: 92 }).toBuffer();
  return writeTemp(dir, name, bytes);
}

const point = (face: Face, index: number) => ({ x: face.mesh[index][0], y: face.mesh[index][1] });

test('background.color: grey fails and is named, the blue version passes, red fails as red', async () => {
  const dir = await tempDir();
  const grey = only(await check(EXAMPLE), 'background.color');
  assert.equal(grey.messageId, 'otherColour');
  assert.equal((grey.measured as { name: string }).name, 'grey');
  const blue = only(await check(await save(dir, 'blue.jpg', await onBlue())), 'background.color');
  assert.equal(blue.status, 'pass');
  assert.ok((blue.measured as { deltaE2000: number }).deltaE2000 < 3, JSON.stringify(blue.measured));
  const red = await onColour([200, 30, 30]);
  const redCheck = only(await check(await save(dir, 'red.jpg', red)), 'background.color');
  assert.equal(redCheck.status, 'fail');
  assert.equal((redCheck.measured as { name: string }).name, 'red');
});

test('background.uniform: a flat blue passes; the same with a top-to-bottom gradient fails', async () => {
  const dir = await tempDir();
  const blue = await onBlue();
  const flat = await check(await save(dir, 'flat.jpg', blue));
  assert.equal(statusOf(flat, 'background.uniform'), 'pass', JSON.stringify(flat.checks.filter((c) => c.rule === 'background.uniform')));
  const gradient = Buffer.from(blue);
  const { face } = await exampleFace();
  for (let y = 0; y < 640; y++) for (let x = 0; x < 480; x++) {
    const o = (y * 480 + x) * 3;
    // Only where the pixel is the new blue: darken towards the bottom, as a studio light falloff does.
    if (Math.abs(gradient[o] - 100) + Math.abs(gradient[o + 1] - 197) + Math.abs(gradient[o + 2] - 255) < 12 && !(y > face.box.y && Math.abs(x - face.centreX) < face.faceWidth * 0.6)) {
      const k = 1 - 0.45 * (y / 640);
      gradient[o] *= k; gradient[o + 1] *= k; gradient[o + 2] *= k;
    }
  }
  const result = await check(await save(dir, 'gradient.jpg', gradient));
  assert.ok(statuses(result, 'background.uniform').includes('fail:gradient'), statuses(result, 'background.uniform').join());
});

test('clothing.contrast: the orange suit passes; clothes painted the background colour fail', async () => {
  const dir = await tempDir();
  const ok = only(await check(EXAMPLE), 'clothing.contrast');
  assert.equal(ok.status, 'pass');
  assert.ok((ok.measured as { deltaE2000: number }).deltaE2000 > 30);
  const { face } = await exampleFace();
  const chin = point(face, 152).y;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640"><rect x="0" y="${chin + 40}" width="480" height="${640 - chin - 40}" fill="rgb(205,196,192)"/></svg>`;
  const painted = only(await check(await save(dir, 'same-colour.jpg', sharp(EXAMPLE).composite([{ input: Buffer.from(svg) }]))), 'clothing.contrast');
  assert.equal(painted.status, 'fail');
});

test('face.glasses: no glasses pass; drawn frames fail', async () => {
  const dir = await tempDir();
  const ok = only(await check(EXAMPLE), 'face.glasses');
  assert.equal(ok.status, 'pass');
  const { face } = await exampleFace();
  const rim = (outer: number, inner: number) => {
    const a = point(face, outer); const b = point(face, inner);
    const cx = (a.x + b.x) / 2; const cy = (a.y + b.y) / 2; const rx = Math.abs(a.x - b.x) * 0.8;
    return `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${rx * 0.7}" fill="none" stroke="#1a1a1a" stroke-width="4"/>`;
  };
  const r = point(face, 133); const l = point(face, 362); const bridge = point(face, 168);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640">${rim(33, 133)}${rim(263, 362)}`
    + `<path d="M ${Math.min(r.x, l.x) - 4} ${bridge.y} L ${Math.max(r.x, l.x) + 4} ${bridge.y}" stroke="#1a1a1a" stroke-width="4"/></svg>`;
  const result = only(await check(await save(dir, 'glasses.jpg', sharp(EXAMPLE).composite([{ input: Buffer.from(svg) }]))), 'face.glasses');
  assert.equal(result.status, 'fail', JSON.stringify(result.measured));
  assert.ok((result.measured as { bridgeEdge: number }).bridgeEdge > 2.4);
});

test('face.ears-visible: brown hair hung down over both ears fails, and the message says both', async () => {
  const dir = await tempDir();
  const { face, pixels } = await exampleFace();
  // Her own hair, cut from the crown above the forehead, darkened (as brown hair: her light hair is as
  // near her skin's colour as colour can tell, a limit of the measure) and hung down over each ear.
  const crownTop = Math.round(point(face, 10).y - 0.45 * face.faceWidth);
  const patch = await sharp(await save(dir, 'source.jpg', pixels)).extract({
    left: Math.round(face.centreX - 0.15 * face.faceWidth), top: crownTop, width: Math.round(0.3 * face.faceWidth), height: Math.round(0.3 * face.faceWidth),
  }).toBuffer();
  const width = Math.round(face.faceWidth * 0.3); const height = Math.round(face.faceWidth * 1.0);
  const curtain = await sharp(patch).resize(width, height, { fit: 'fill' }).modulate({ brightness: 0.45 }).toBuffer();
  const top = Math.round(face.eyeLineY - face.faceWidth * 0.45);
  const result = await check(await save(dir, 'curtains.jpg', raw(await onBlue()).composite([
    { input: curtain, left: Math.round(point(face, 234).x - face.faceWidth * 0.26), top },
    { input: curtain, left: Math.round(point(face, 454).x - face.faceWidth * 0.04), top },
  ])));
  const ears = only(result, 'face.ears-visible');
  assert.equal(ears.status, 'fail', JSON.stringify(ears.measured));
  assert.equal(ears.messageId, 'hiddenBoth');
});

test('face.forehead-visible and face.ears-visible: the fringe fails and the hair over the ears warns; skin painted over them passes', async () => {
  const dir = await tempDir();
  const original = await check(EXAMPLE);
  assert.equal(only(original, 'face.forehead-visible').status, 'fail');
  assert.ok((only(original, 'face.forehead-visible').measured as { coveredPercent: number }).coveredPercent > 60);
  // Her bob covers the ears with backdrop around it: flagged for a person to look at.
  assert.equal(statusOf(original, 'face.ears-visible'), 'warn');
  const { face, pixels } = await exampleFace();
  const cheek = point(face, 50);
  const o = (Math.round(cheek.y) * 480 + Math.round(cheek.x)) * 3;
  const skin = `rgb(${pixels[o]},${pixels[o + 1]},${pixels[o + 2]})`;
  const top = point(face, 10).y; const brow = Math.min(point(face, 105).y, point(face, 334).y);
  const x0 = Math.min(point(face, 105).x, point(face, 334).x) - 10; const x1 = Math.max(point(face, 105).x, point(face, 334).x) + 10;
  const ear = (index: number, side: number) => {
    const c = point(face, index);
    return `<ellipse cx="${c.x + side * face.faceWidth * 0.09}" cy="${(face.eyeLineY + point(face, 4).y) / 2}" rx="${face.faceWidth * 0.08}" ry="${face.faceWidth * 0.16}" fill="${skin}"/>`;
  };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640"><rect x="${x0}" y="${top - 6}" width="${x1 - x0}" height="${brow - top + 2}" fill="${skin}"/>${ear(234, -1)}${ear(454, 1)}</svg>`;
  // On the blue version: the beige backdrop is too close to skin to tell painted ears from it.
  const result = await check(await save(dir, 'uncovered.jpg', raw(await onBlue()).composite([{ input: Buffer.from(svg) }])));
  assert.equal(only(result, 'face.forehead-visible').status, 'pass', JSON.stringify(only(result, 'face.forehead-visible').measured));
  assert.equal(statusOf(result, 'face.ears-visible'), 'pass', JSON.stringify(only(result, 'face.ears-visible').measured));
});

test('image.sharpness: the enlarged example fails; a native-resolution crop passes; a blurred one fails', async () => {
  const dir = await tempDir();
  const blurred = only(await check(EXAMPLE), 'image.sharpness');
  assert.equal(blurred.status, 'fail');
  assert.ok((blurred.measured as number) < 40);
  const native = await sharp(ASTRONAUT).removeAlpha().extract({ left: 100, top: 0, width: 300, height: 400 }).jpeg({ quality: 95 }).toBuffer();
  const sharpCheck = only(await check(await writeTemp(dir, 'native.jpg', native)), 'image.sharpness');
  assert.equal(sharpCheck.status, 'pass');
  assert.ok((sharpCheck.measured as number) > 150, String(sharpCheck.measured));
  const soft = await sharp(native).blur(2.5).jpeg({ quality: 95 }).toBuffer();
  assert.equal(only(await check(await writeTemp(dir, 'soft.jpg', soft)), 'image.sharpness').status, 'fail');
});

test('image.exposure: the example passes; darkened fails dark; one side in shadow fails', async () => {
  const dir = await tempDir();
  assert.equal(statusOf(await check(EXAMPLE), 'image.exposure'), 'pass');
  const dark = await check(await save(dir, 'dark.jpg', sharp(EXAMPLE).modulate({ brightness: 0.35 })));
  assert.ok(statuses(dark, 'image.exposure').includes('fail:dark'), statuses(dark, 'image.exposure').join());
  const { face } = await exampleFace();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640"><rect x="0" y="0" width="${face.centreX}" height="640" fill="black" fill-opacity="0.55"/></svg>`;
  const shadow = await check(await save(dir, 'shadow.jpg', sharp(EXAMPLE).composite([{ input: Buffer.from(svg) }])));
  assert.ok(statuses(shadow, 'image.exposure').includes('fail:sides'), statuses(shadow, 'image.exposure').join());
});

test('image.exposure: the whole shot at a third of the light fails (face near L* 30, nothing bright); a face as dark on a bright blue backdrop only warns (deep skin)', async () => {
  const dir = await tempDir();
  const dim = await check(await save(dir, 'dim.jpg', sharp(EXAMPLE).linear(0.42, 0)));
  const measured = only(dim, 'image.exposure').measured as { lightness: number; sceneBright: number };
  assert.ok(measured.lightness > 25 && measured.lightness < 35, JSON.stringify(measured));
  assert.ok(statuses(dim, 'image.exposure').includes('fail:dark'), statuses(dim, 'image.exposure').join());
  // The person at the same light, the backdrop a bright standard blue.
  const { face, pixels } = await exampleFace();
  const { image, matte } = await onNewBackground({ data: pixels, width: 480, height: 640 }, face.mesh, [100, 197, 255]);
  const blue = Buffer.from(image.data);
  for (let i = 0; i < 480 * 640; i++) {
    const k = 0.42 * matte.alpha[i] + (1 - matte.alpha[i]);
    for (let c = 0; c < 3; c++) blue[i * 3 + c] = Math.round(blue[i * 3 + c] * k);
  }
  const deep = await check(await save(dir, 'deep.jpg', blue));
  const deepMeasured = only(deep, 'image.exposure').measured as { lightness: number; sceneBright: number };
  assert.ok(deepMeasured.lightness < 35 && deepMeasured.sceneBright > 75, JSON.stringify(deepMeasured));
  assert.deepEqual(statuses(deep, 'image.exposure'), ['warn:dark']);
});

test('image.retouch: the example passes; a beauty app in EXIF Software warns; airbrushed skin warns', async () => {
  const dir = await tempDir();
  const ok = only(await check(EXAMPLE), 'image.retouch');
  assert.equal(ok.status, 'pass');
  const tagged = await sharp(EXAMPLE).jpeg({ quality: 92 }).withExifMerge({ IFD0: { Software: 'Meitu 9.8' } }).toBuffer();
  const app = await check(await writeTemp(dir, 'meitu.jpg', tagged));
  assert.ok(statuses(app, 'image.retouch').includes('warn:app'));
  assert.equal(app.verdict === 'error', false);
  // A beauty filter smooths the skin and leaves the eyes sharp: blur the cheeks only.
  const { face } = await exampleFace();
  const patches = await Promise.all([50, 280].map(async (index) => {
    const c = point(face, index); const size = Math.round(face.faceWidth * 0.3);
    const left = Math.round(c.x - size / 2); const top = Math.round(c.y - size / 2);
    return { input: await sharp(EXAMPLE).extract({ left, top, width: size, height: size }).blur(8).toBuffer(), left, top };
  }));
  const smooth = await check(await save(dir, 'smooth.jpg', sharp(await readFile(EXAMPLE)).composite(patches)));
  assert.ok(statuses(smooth, 'image.retouch').includes('warn:smooth'), JSON.stringify(only(smooth, 'image.retouch').measured));
});

export type { Rgb };

test('clothing.collar: the suit ring covers the neck (pass); a bare neck painted in skin warns', async () => {
  const dir = await tempDir();
  const covered = only(await check(EXAMPLE), 'clothing.collar');
  assert.equal(covered.status, 'pass');
  assert.ok((covered.measured as { bareNeckPercent: number }).bareNeckPercent < 20);
  const { face, pixels } = await exampleFace();
  const cheek = point(face, 50);
  const o = (Math.round(cheek.y) * 480 + Math.round(cheek.x)) * 3;
  const skin = `rgb(${pixels[o]},${pixels[o + 1]},${pixels[o + 2]})`;
  const chin = point(face, 152).y; const faceHeight = chin - point(face, 10).y;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640"><rect x="${face.centreX - face.faceWidth * 0.55}" y="${chin + 0.25 * faceHeight}" width="${face.faceWidth * 1.1}" height="${0.35 * faceHeight}" fill="${skin}"/></svg>`;
  const bare = only(await check(await save(dir, 'bare-neck.jpg', raw(await onBlue()).composite([{ input: Buffer.from(svg) }]))), 'clothing.collar');
  assert.equal(bare.status, 'warn', JSON.stringify(bare.measured));
  assert.equal(bare.messageId, 'noCollar');
});

test('face.makeup: the example\'s natural lips pass; strong red lipstick painted on them warns', async () => {
  const dir = await tempDir();
  const plain = only(await check(EXAMPLE), 'face.makeup');
  assert.equal(plain.status, 'pass', JSON.stringify(plain.measured));
  const { face } = await exampleFace();
  const outer = LIPS_OUTER; const inner = LIPS_INNER;
  const path = (ids: number[]) => `${ids.map((i, k) => `${k ? 'L' : 'M'}${face.mesh[i][0].toFixed(1)},${face.mesh[i][1].toFixed(1)}`).join(' ')} Z`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640"><path d="${path(outer)} ${path(inner)}" fill="#c8102e" fill-rule="evenodd" fill-opacity="0.85"/></svg>`;
  const painted = only(await check(await save(dir, 'lipstick.jpg', sharp(EXAMPLE).composite([{ input: Buffer.from(svg) }]))), 'face.makeup');
  assert.equal(painted.status, 'warn', JSON.stringify(painted.measured));
  assert.equal(painted.messageId, 'lipstick');
});

test('clothing.collar: a collar seen is not called "covered" while saying how much is bare', () => {
  const collar = builtinRules.get('clothing.collar')!;
  const en = interpolate(messageTemplate('en', collar, 'ok')!, { bare: 47, max: 50 });
  assert.equal(en, 'A collar or lapels: 47% of the skin beside the neck is bare (a collar keeps it at most 50%).');
  const zh = interpolate(messageTemplate('zh', collar, 'ok')!, { bare: 47, max: 50 });
  assert.equal(zh, '有衣领或翻领：颈部两侧裸露皮肤 47%（有领时不超过 50%）。');
});

test('--annotate: labels in the report\'s language, in a legend under the photo, none over the face', async () => {
  const outcome = await loadPhoto(EXAMPLE);
  if (outcome.kind !== 'photo') throw new Error('example did not load');
  const result = await check(EXAMPLE, 'zh');
  const { svg, height, legendHeight } = await annotationSvg(outcome.photo, result, defaultProfile, 'zh');
  assert.equal(height, 640);
  assert.ok(legendHeight > 0);
  const texts = [...svg.matchAll(/<text [^>]*y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ y: Number(m[1]), text: m[2] }));
  assert.deepEqual(texts.map((t) => t.text.replace(/[\d.]+/g, 'N')), ['头顶 N（允许 N–N）', '双眼 N（允许 N–N）', '脸宽 N（允许 N–N）']);
  for (const { y } of texts) assert.ok(y > height, `a label at y=${y} is drawn over the photo`);
  assert.doesNotMatch(svg, /head top|eyes|face /);
});

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { test } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import { faces } from '../src/analysis/face.js';
import { loadPhoto } from '../src/core/load.js';
import { fixPhoto } from '../src/fix/index.js';
import { defaultProfile } from '../src/profiles/index.js';
import { ASTRONAUT, EXAMPLE, check, only, runCliInProcess, statuses, tempDir, writeTemp } from './helpers.js';

type Position = { headTop: number; eyeLine: number; centreOffset: number; headCut: boolean };
type Pose = { roll: number; yaw: number; pitch: number };

const between = (value: number, min: number, max: number, label: string) =>
  assert.ok(value >= min && value <= max, `${label}: ${value} not in ${min}–${max}`);

/** A 480x640 variant of the example made by a sharp pipeline. */
async function variant(dir: string, name: string, make: (image: Sharp) => Sharp): Promise<string> {
  const bytes = await make(sharp(await readFile(EXAMPLE))).jpeg({ quality: 90 }).toBuffer();
  return writeTemp(dir, name, bytes);
}

test('the compliant example: one face, every face rule passes with values inside the standard', async () => {
  const result = await check(EXAMPLE);
  for (const rule of ['face.count', 'face.size', 'face.position', 'face.pose', 'face.eyes-open']) {
    assert.deepEqual(statuses(result, rule), [`pass:ok`], rule);
  }
  between(only(result, 'face.size').measured as number, 190, 220, 'face width');
  const position = only(result, 'face.position').measured as Position;
  between(position.headTop, 60, 90, 'head top');
  between(position.eyeLine, 245, 280, 'eye line');
  between(position.centreOffset, -20, 20, 'centre offset');
  const pose = only(result, 'face.pose').measured as Pose;
  between(Math.abs(pose.roll), 0, 2, 'roll');
  const eyes = only(result, 'face.eyes-open').measured as { left: number; right: number };
  between(Math.min(eyes.left, eyes.right), 0.3, 0.5, 'eye openness');
});

test('zoomed out: the face is too small', async () => {
  const dir = await tempDir();
  const path = await writeTemp(dir, 'zoomed-out.jpg', await sharp(ASTRONAUT).removeAlpha().extract({ left: 0, top: 0, width: 384, height: 512 }).resize(480, 640).jpeg().toBuffer());
  const c = only(await check(path), 'face.size');
  assert.equal(c.messageId, 'tooSmall');
  between(c.measured as number, 100, 150, 'face width');
});

test('zoomed in: the face is too large and the eyes sit low', async () => {
  const dir = await tempDir();
  const path = await variant(dir, 'zoomed-in.jpg', (image) => image.extract({ left: 90, top: 40, width: 300, height: 400 }).resize(480, 640));
  const result = await check(path);
  const size = only(result, 'face.size');
  assert.equal(size.messageId, 'tooLarge');
  between(size.measured as number, 305, 350, 'face width');
  assert.ok(statuses(result, 'face.position').includes('fail:eyesTooLow'), statuses(result, 'face.position').join());
});

test('shifted up by 60 px: the head top is too close to the edge, the eyes too high', async () => {
  const dir = await tempDir();
  const path = await variant(dir, 'shifted-up.jpg', (image) => image.extract({ left: 0, top: 60, width: 480, height: 580 }).extend({ bottom: 60, extendWith: 'copy' }));
  const result = await check(path);
  const found = statuses(result, 'face.position');
  assert.ok(found.includes('fail:headTooHigh'), found.join());
  const position = result.checks.find((c) => c.rule === 'face.position')!.measured as Position;
  between(position.headTop, 5, 30, 'head top');
  between(position.eyeLine, 185, 215, 'eye line');
  // The face itself is unchanged.
  assert.deepEqual(statuses(result, 'face.size'), ['pass:ok']);
});

test('shifted sideways: the face is off centre', async () => {
  const dir = await tempDir();
  const path = await variant(dir, 'shifted-left.jpg', (image) => image.extract({ left: 70, top: 0, width: 410, height: 640 }).extend({ right: 70, extendWith: 'copy' }));
  const position = only(await check(path), 'face.position');
  assert.equal(position.messageId, 'offCentre');
  assert.equal(position.status, 'fail');
  between((position.measured as Position).centreOffset, -90, -55, 'centre offset');
});

test('rotated 8 degrees: the pupil line is not level', async () => {
  const dir = await tempDir();
  const rotated = await sharp(await readFile(EXAMPLE)).rotate(8, { background: '#888' }).toBuffer();
  const meta = await sharp(rotated).metadata();
  const path = await writeTemp(dir, 'rotated.jpg', await sharp(rotated)
    .extract({ left: Math.round((meta.width! - 480) / 2), top: Math.round((meta.height! - 640) / 2), width: 480, height: 640 }).jpeg().toBuffer());
  const pose = only(await check(path), 'face.pose');
  assert.equal(pose.messageId, 'roll');
  assert.equal(pose.status, 'fail');
  between((pose.measured as Pose).roll, 6.5, 9.5, 'roll');
});

test('mirrored: the geometry is measured the same, the roll changes sign', async () => {
  const dir = await tempDir();
  const original = await check(EXAMPLE);
  const mirrored = await check(await variant(dir, 'mirrored.jpg', (image) => image.flop()));
  const width = (r: typeof original) => only(r, 'face.size').measured as number;
  assert.ok(Math.abs(width(original) - width(mirrored)) < 4, `${width(original)} vs ${width(mirrored)}`);
  const a = only(original, 'face.position').measured as Position;
  const b = only(mirrored, 'face.position').measured as Position;
  assert.ok(Math.abs(a.eyeLine - b.eyeLine) < 3);
  assert.ok(Math.abs(a.centreOffset + b.centreOffset) < 4, `${a.centreOffset} vs ${b.centreOffset}`);
  assert.deepEqual(statuses(mirrored, 'face.pose'), ['pass:ok']);
});

test('the iris model runs on each eye the right way round: irises sit between the corners, lids agree with the mesh', async () => {
  const dir = await tempDir();
  for (const path of [EXAMPLE, await variant(dir, 'mirrored.jpg', (image) => image.flop())]) {
    const outcome = await loadPhoto(path);
    assert.equal(outcome.kind, 'photo');
    if (outcome.kind !== 'photo') return;
    const face = (await faces(outcome.photo)).main!;
    const mesh = face.mesh;
    assert.equal(mesh.length, 478, 'the main face carries refined iris points');
    const raw = face.raw.mesh; // the face mesh before the iris model replaced the lids
    for (const [outer, inner, top, bottom, iris] of [[33, 133, 159, 145, 468], [263, 362, 386, 374, 473]]) {
      // A crop fed the wrong way round puts the outer corner near the inner one, about 35 px away.
      assert.ok(Math.hypot(mesh[outer][0] - raw[outer][0], mesh[outer][1] - raw[outer][1]) < 8, `outer corner ${outer} moved`);
      const [minX, maxX] = [Math.min(mesh[outer][0], mesh[inner][0]), Math.max(mesh[outer][0], mesh[inner][0])];
      between(mesh[iris][0], minX + (maxX - minX) * 0.3, maxX - (maxX - minX) * 0.3, `iris ${iris} x`);
      between(mesh[iris][1], mesh[top][1], mesh[bottom][1], `iris ${iris} y`);
    }
  }
});

test('face.count: two people side by side fail; a picture with no person fails; a tiny face in a scene is not a subject', async () => {
  const dir = await tempDir();
  const half = await sharp(await readFile(EXAMPLE)).resize(240, 320).toBuffer();
  const pair = await sharp({ create: { width: 480, height: 640, channels: 3, background: '#c8c8c8' } })
    .composite([{ input: half, left: 0, top: 160 }, { input: half, left: 240, top: 160 }]).jpeg().toBuffer();
  const many = only(await check(await writeTemp(dir, 'pair.jpg', pair)), 'face.count');
  assert.equal(many.messageId, 'many');
  assert.deepEqual(many.measured, { faces: 2, ignoredSmall: 0 });

  const torso = await sharp(ASTRONAUT).removeAlpha().extract({ left: 100, top: 250, width: 300, height: 262 }).jpeg().toBuffer();
  const none = only(await check(await writeTemp(dir, 'torso.jpg', torso)), 'face.count');
  assert.equal(none.messageId, 'none');

  const tiny = await sharp(await readFile(EXAMPLE)).resize(48, 64).toBuffer();
  const scene = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#5a7' } })
    .composite([{ input: await sharp(await readFile(EXAMPLE)).resize(90, 120).toBuffer(), left: 700, top: 500 }, { input: tiny, left: 100, top: 100 }]).jpeg().toBuffer();
  const small = only(await check(await writeTemp(dir, 'scene.jpg', scene)), 'face.count');
  assert.equal(small.status, 'fail');
  // Not "no face": the 90x120 person's face was found, but too small to be a portrait's subject (the 48x64 one is below the detector's reach).
  assert.equal(small.messageId, 'onlySmall');
  assert.deepEqual(small.measured, { faces: 0, ignoredSmall: 1 });
  // Face rules that need one face say why they were not measured.
  const result = await check(await writeTemp(dir, 'pair2.jpg', pair));
  assert.deepEqual(statuses(result, 'face.size'), ['skip:noSingleFace']);
});

test('face.count: a second face cut in half by the frame edge is counted; a sliver of one (cheek and hair) is not; fix crops it out or refuses', async () => {
  const dir = await tempDir();
  const example = await readFile(EXAMPLE);
  const other = await sharp(example).resize(360, 480).toBuffer(); // its face: about 155 px wide, centred at x 180
  /** The example at the left of a picture `width` px wide, and a second face whose centre lies `centre` px left of the right edge. */
  const beside = async (name: string, centre: number, width = 720) => {
    const left = width - centre - 180;
    // From just left of its face (x 95) to the picture's edge, so it never covers the main face.
    const part = await sharp(other).extract({ left: 95, top: 0, width: width - left - 95, height: 480 }).toBuffer();
    const bytes = await sharp({ create: { width, height: 640, channels: 3, background: '#c8c8c8' } })
      .composite([{ input: example, left: 0, top: 0 }, { input: part, left: left + 95, top: 160 }]).jpeg({ quality: 90 }).toBuffer();
    const file = await writeTemp(dir, name, bytes);
    return Object.assign(only(await check(file), 'face.count'), { file });
  };
  // Cut through the nose: half the face inside the frame.
  const half = await beside('half.jpg', 0);
  assert.equal(half.messageId, 'cutAtEdge');
  assert.deepEqual(half.data, { count: 2, ignored: 0, side: 'right' });
  assert.deepEqual(half.measured, { faces: 2, ignoredSmall: 0, cutAtEdge: 1 });
  // Two thirds of it inside: still one person too many.
  assert.equal((await beside('most.jpg', 30)).status, 'fail');
  // Only the far cheek and hair inside (about 15% of the face): no face to count, the main one passes alone.
  const sliver = await beside('sliver.jpg', -55);
  assert.equal(sliver.status, 'pass');
  assert.deepEqual(sliver.measured, { faces: 1, ignoredSmall: 0 });

  // fix: the 480 px crop around the main face leaves the stranger out, and the re-check counts one face ...
  const fixed = await fixPhoto(half.file, { profile: defaultProfile, background: 'blue' });
  assert.ok('jpeg' in fixed, JSON.stringify(fixed));
  assert.equal(only(await check(await writeTemp(dir, 'half-fixed.jpg', fixed.jpeg)), 'face.count').status, 'pass');
  // ... but where the stranger stands inside the crop, it refuses rather than keep half of them.
  const near = await beside('near.jpg', 0, 500);
  assert.equal(near.messageId, 'cutAtEdge');
  assert.deepEqual(await fixPhoto(near.file, { profile: defaultProfile, background: 'blue' }), { messageId: 'otherPerson', data: { side: 'right' } });
});

test('face.eyes-open: eyes painted shut with skin colour fail', async () => {
  const dir = await tempDir();
  const outcome = await loadPhoto(EXAMPLE);
  assert.equal(outcome.kind, 'photo');
  const face = (await faces(outcome.photo)).main!;
  // Cover each eye (corner to corner, lid to lid, with a margin) with skin from the cheek, and draw a lash line.
  const cheek = face.mesh[50];
  const { data, width } = outcome.photo.pixels;
  const at = (Math.round(cheek[1]) * width + Math.round(cheek[0])) * 3;
  const skin = `rgb(${data[at]},${data[at + 1]},${data[at + 2]})`;
  const eye = (outer: number, inner: number, top: number, bottom: number) => {
    const [x0, x1] = [face.mesh[outer][0], face.mesh[inner][0]].sort((a, b) => a - b);
    const cy = (face.mesh[top][1] + face.mesh[bottom][1]) / 2;
    const rx = (x1 - x0) / 2 + 4;
    return `<ellipse cx="${(x0 + x1) / 2}" cy="${cy}" rx="${rx}" ry="${rx * 0.55}" fill="${skin}"/>`
      + `<path d="M ${x0 - 2} ${cy + 2} Q ${(x0 + x1) / 2} ${cy + 7} ${x1 + 2} ${cy + 2}" stroke="#3a2a20" stroke-width="2.5" fill="none"/>`;
  };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640">${eye(33, 133, 159, 145)}${eye(263, 362, 386, 374)}</svg>`;
  const closed = await sharp(await readFile(EXAMPLE)).composite([{ input: Buffer.from(svg) }]).jpeg({ quality: 90 }).toBuffer();
  const c = only(await check(await writeTemp(dir, 'closed.jpg', closed)), 'face.eyes-open');
  assert.notEqual(c.status, 'pass', JSON.stringify(c.measured));
  const measured = c.measured as { left: number; right: number };
  assert.ok(Math.min(measured.left, measured.right) < 0.2, JSON.stringify(measured));
});

test('--annotate writes one PNG per decoded photo, named after it, with the frame drawn over it', async () => {
  const dir = await tempDir();
  const out = `${dir}/annotated`;
  const copy = await writeTemp(dir, 'copy.jpg', await readFile(EXAMPLE));
  await writeTemp(dir, 'broken.jpg', Buffer.alloc(10));
  const run = await runCliInProcess(['check', EXAMPLE, copy, `${dir}/broken.jpg`, '--annotate', out, '--format', 'json']);
  assert.equal(JSON.parse(run.stdout).files.length, 3);
  const names = (await readdir(out)).sort();
  assert.deepEqual(names, ['copy.annotated.png', 'example.annotated.png']);
  const drawn = await sharp(`${out}/example.annotated.png`).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([drawn.info.width, drawn.info.height], [480, 640 + 3 * 18 + 8]); // the photo, then a three-line legend under it
  // The head-top band is tinted green over the backdrop: the picture differs from the plain photo there.
  const plain = await sharp(EXAMPLE).raw().toBuffer();
  let changed = 0;
  for (let y = 52; y < 108; y++) for (let x = 5; x < 60; x++) {
    const o = (y * 480 + x) * 3; const p = (y * 480 + x) * drawn.info.channels;
    if (Math.abs(drawn.data[p + 1] - plain[o + 1]) + Math.abs(drawn.data[p] - plain[o]) > 6) changed++;
  }
  assert.ok(changed > 1000, `${changed} pixels changed in the head-top band`);
});

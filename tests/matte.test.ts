import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { faces } from '../src/analysis/face.js';
import { boxMean, focusMatte, personMatte, type Matte } from '../src/analysis/matte.js';
import { loadPhoto } from '../src/core/load.js';
import type { FileResult } from '../src/contract/types.js';
import { onNewBackground } from '../src/fix/composite.js';
import { fixPhoto, MATTE_LIMITS, REVIEW_LIMITS, reviewAdvice, type FixOutcome } from '../src/fix/index.js';
import { judgeFix } from '../src/fix/verdict.js';
import { defaultProfile } from '../src/profiles/index.js';
import { readFile } from 'node:fs/promises';
import { fix as fixLibrary } from '../src/index.js';
import { ASTRONAUT, EXAMPLE, check, only, runCliInProcess, statuses, tempDir, writeTemp } from './helpers.js';

const BLUE = [100, 197, 255];

async function mainFace(path: string) {
  const outcome = await loadPhoto(path);
  if (outcome.kind !== 'photo') throw new Error(`${path} did not load`);
  return { photo: outcome.photo, face: (await faces(outcome.photo)).main! };
}

const notBlue = (data: Uint8Array, o: number, tolerance: number) =>
  Math.abs(data[o] - BLUE[0]) > tolerance || Math.abs(data[o + 1] - BLUE[1]) > tolerance || Math.abs(data[o + 2] - BLUE[2]) > tolerance;

function assertFixed(outcome: FixOutcome | { messageId: string }): asserts outcome is FixOutcome {
  assert.ok(!('messageId' in outcome), `refused: ${JSON.stringify(outcome)}`);
}

test('matte: the example (grey studio backdrop) is person in the face and hair, backdrop in the corners', async () => {
  const { photo, face } = await mainFace(EXAMPLE);
  const matte = await personMatte(photo.pixels);
  const at = (x: number, y: number) => matte.alpha[Math.round(y) * matte.width + Math.round(x)];
  assert.ok(at(face.centreX, face.eyeLineY) > 0.95, 'between the eyes');
  assert.ok(at(face.centreX, face.foreheadY - 0.3 * face.faceWidth) > 0.9, 'hair above the forehead');
  for (const [x, y] of [[10, 10], [470, 10], [10, 200], [470, 200]]) assert.ok(at(x, y) < 0.05, `corner ${x},${y}: ${at(x, y)}`);
  const quality = focusMatte(matte, face.mesh);
  assert.ok(quality.faceInside > 0.98, `face inside ${quality.faceInside}`);
  assert.ok(quality.detached < 0.01, `detached ${quality.detached}`);
  assert.ok(quality.person > 0.3 && quality.person < 0.8, `person share ${quality.person}`);
});

test('matte: focusMatte never lets the face go and drops pieces apart from the subject', async () => {
  const { photo, face } = await mainFace(EXAMPLE);
  const matte: Matte = await personMatte(photo.pixels);
  // Pretend the model lost the face (a backdrop the colour of skin) and saw a statue in a corner.
  const box = face.box;
  for (let y = Math.round(box.y); y < box.y + box.height; y++) for (let x = Math.round(box.x); x < box.x + box.width; x++) {
    matte.alpha[y * matte.width + x] = 0; matte.coarse[y * matte.width + x] = 0;
  }
  for (let y = 0; y < 60; y++) for (let x = 0; x < 60; x++) matte.alpha[y * matte.width + x] = 1;
  const quality = focusMatte(matte, face.mesh);
  assert.ok(quality.faceInside < 0.2, `faceInside ${quality.faceInside}: the loss is reported`);
  assert.ok(quality.detached > 0.01, `detached ${quality.detached}`);
  for (const i of [10, 151, 4, 152, 234, 454]) {
    const [x, y] = face.mesh[i];
    // The oval is pulled in 3%: its own outline points may sit on the soft edge; the inside is solid.
    if (i === 10 || i === 152 || i === 234 || i === 454) continue;
    assert.equal(matte.alpha[Math.round(y) * matte.width + Math.round(x)], 1, `mesh point ${i}`);
  }
  assert.equal(matte.alpha[30 * matte.width + 30], 0, 'the detached corner blob is dropped');
});

test('matte: a thick patch the model cannot decide counts as unsure (fix refuses it); its ordinary soft edge does not', async () => {
  const { photo, face } = await mainFace(EXAMPLE);
  const clean = await personMatte(photo.pixels);
  const before = focusMatte(clean, face.mesh).unsurePatches;
  assert.ok(before < MATTE_LIMITS.unsurePatches / 2, `the example's own soft edge: ${before}`);
  /** The example's matte with a 60x60 patch beside the head where the model says `model` and the colour models `colours`. */
  const patch = async (model: number, colours: number) => {
    const matte = await personMatte(photo.pixels);
    for (let y = 100; y < 160; y++) for (let x = 20; x < 80; x++) { matte.coarse[y * matte.width + x] = model; matte.prior![y * matte.width + x] = colours; }
    return focusMatte(matte, face.mesh).unsurePatches;
  };
  // Lettering the model half takes for the person, in colours both the person and the backdrop have.
  const after = await patch(0.5, 0.5);
  // The patch's inside (all but its 6 px rim, about 48x48 px) is 0.75% of the 480x640 frame.
  assert.ok(after - before > 0.006 && after - before < 0.009, `patch adds ${after - before}`);
  assert.ok(after > MATTE_LIMITS.unsurePatches);
  // The model unsure but the colours clearly the person's (clothes): decided, not counted.
  assert.equal(await patch(0.5, 0.97), before);
});

test('fix: the astronaut photo (mottled studio backdrop, flag and shuttle model) is put on blue; no backdrop is left', async () => {
  const dir = await tempDir();
  // 2x, so the face is large enough to need no enlargement beyond fix's limit.
  const input = await writeTemp(dir, 'astronaut.jpg', await sharp(ASTRONAUT).removeAlpha().resize(1024, 1024).jpeg({ quality: 92 }).toBuffer());
  const outcome = await fixPhoto(input, { profile: defaultProfile, background: 'blue' });
  assertFixed(outcome);
  assert.ok(outcome.steps.includes('background'));
  assert.ok(outcome.matte && outcome.matte.faceInside > 0.95, JSON.stringify(outcome.matte));
  const { data, info } = await sharp(outcome.jpeg).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [480, 640]);
  // The flag and the shuttle fall outside a 3:4 crop around the head; above the head top (at least 50
  // px down) and at the sides beside the hair the frame shows the mottled studio backdrop, which must be
  // wholly blue now.
  let onBackdrop = 0; let left = 0;
  for (let y = 0; y < 640; y++) for (let x = 0; x < 480; x++) {
    if (!(y < 40 || (y < 250 && (x < 25 || x >= 455)))) continue;
    onBackdrop++;
    if (notBlue(data, (y * 480 + x) * 3, 12)) left++;
  }
  assert.ok(left / onBackdrop < 0.002, `${left} of ${onBackdrop} backdrop pixels are not blue`);
  const output = await writeTemp(dir, 'fixed.jpg', outcome.jpeg);
  const result = await check(output);
  for (const rule of ['background.color', 'background.uniform', 'face.count', 'face.size', 'face.position', 'file.size']) {
    assert.ok(statuses(result, rule).every((s) => s.startsWith('pass') || s.startsWith('warn')), `${rule}: ${statuses(result, rule)}`);
  }
});

test('fix: replacing the background leaves the face where it was (mesh within 2 px)', async () => {
  const dir = await tempDir();
  // The example is already 480x640 with the head in place: fix only replaces its grey backdrop, so any
  // change of the mesh is the background replacement's doing.
  const outcome = await fixPhoto(EXAMPLE, { profile: defaultProfile, background: 'blue' });
  assertFixed(outcome);
  assert.deepEqual(outcome.steps, ['orient', 'background', 'encode']);
  const a = (await mainFace(EXAMPLE)).face.mesh; const b = (await mainFace(await writeTemp(dir, 'fixed.jpg', outcome.jpeg))).face.mesh;
  const shifts = a.slice(0, 468).map(([x, y], i) => Math.hypot(x - b[i][0], y - b[i][1]));
  const mean = shifts.reduce((s, d) => s + d, 0) / shifts.length;
  assert.ok(mean < 2, `mean landmark shift ${mean.toFixed(2)} px`);
  assert.ok(Math.max(...shifts) < 6, `largest landmark shift ${Math.max(...shifts).toFixed(2)} px`);
  // A plain studio backdrop beside the person: nothing to look at twice.
  assert.ok(outcome.matte!.busyBeside! < 9, `busyBeside ${outcome.matte!.busyBeside}`);
  assert.equal(outcome.review, undefined);
});

/** The example person on a backdrop printed with green logos and lettering (an event wall). */
async function onLogoWall(): Promise<{ jpeg: Buffer; person: Float32Array }> {
  const { photo, face } = await mainFace(EXAMPLE);
  const wall = Buffer.from(`<svg width="480" height="640" xmlns="http://www.w3.org/2000/svg"><rect width="480" height="640" fill="#f2efe6"/>${
    Array.from({ length: 24 }, (_, i) => `<circle cx="${40 + (i % 4) * 130}" cy="${40 + Math.floor(i / 4) * 110}" r="26" fill="#00a000"/><text x="${10 + (i % 4) * 130}" y="${95 + Math.floor(i / 4) * 110}" font-size="18" font-family="sans-serif" fill="#00a000">LOGO</text>`).join('')}</svg>`);
  const wallPixels = await sharp(wall).removeAlpha().raw().toBuffer();
  const matte = await personMatte(photo.pixels);
  focusMatte(matte, face.mesh);
  const out = Buffer.alloc(480 * 640 * 3);
  for (let i = 0; i < 480 * 640; i++) {
    const a = matte.alpha[i];
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(a * photo.pixels.data[i * 3 + c] + (1 - a) * wallPixels[i * 3 + c]);
  }
  return { jpeg: await sharp(out, { raw: { width: 480, height: 640, channels: 3 } }).jpeg({ quality: 92 }).toBuffer(), person: matte.alpha };
}

test('fix: a person on a logo wall is put on blue with no logo or lettering left; background.uniform sees the logos before', async () => {
  const dir = await tempDir();
  const wall = await onLogoWall();
  const input = await writeTemp(dir, 'wall.jpg', wall.jpeg);
  const before = only(await check(input), 'background.uniform');
  assert.equal(before.status, 'fail');
  const outcome = await fixPhoto(input, { profile: defaultProfile, background: 'blue' });
  assertFixed(outcome);
  // The wall beside the person is busy: the student is told to look at the edges before uploading.
  assert.ok((outcome.matte?.busyBeside ?? 0) >= REVIEW_LIMITS.busyBeside, `busyBeside ${outcome.matte?.busyBeside}`);
  assert.equal(outcome.review?.messageId, 'busyBackdrop');
  const { data } = await sharp(outcome.jpeg).raw().toBuffer({ resolveWithObject: true });
  // Outside a 10 px band around the person (the frame is the input's: 480x640 already), no logo green is left.
  const near = new Uint8Array(480 * 640);
  for (let y = 0; y < 640; y++) for (let x = 0; x < 480; x++) {
    if (wall.person[y * 480 + x] < 0.5) continue;
    for (let dy = -10; dy <= 10; dy++) for (let dx = -10; dx <= 10; dx++) {
      const nx = x + dx; const ny = y + dy;
      if (nx >= 0 && ny >= 0 && nx < 480 && ny < 640) near[ny * 480 + nx] = 1;
    }
  }
  let green = 0; let greenNear = 0;
  for (let i = 0, o = 0; i < 480 * 640; i++, o += 3) {
    if (!(data[o + 1] > data[o] + 60 && data[o + 1] > data[o + 2] + 20)) continue;
    if (near[i]) greenNear++; else green++;
  }
  assert.equal(green, 0, `${green} logo-green pixels left away from the person`);
  // Lettering that touches the hair can survive in the edge band (a known limit of the 256 px model): a trace at most.
  assert.ok(greenNear < 400, `${greenNear} logo-green pixels in the edge band`);
  const result = await check(await writeTemp(dir, 'fixed.jpg', outcome.jpeg));
  assert.ok(statuses(result, 'background.uniform').every((s) => !s.startsWith('fail')), `${statuses(result, 'background.uniform')}`);
});

test('background.uniform: lettering and a patch left in a replaced blue background fail it ("objects"); the clean one passes', async () => {
  const dir = await tempDir();
  const { photo, face } = await mainFace(EXAMPLE);
  const blue = (await onNewBackground({ data: photo.pixels.data, width: 480, height: 640 }, face.mesh, [100, 197, 255])).image;
  const clean = await writeTemp(dir, 'clean.jpg', await sharp(blue.data, { raw: { width: 480, height: 640, channels: 3 } }).jpeg({ quality: 92 }).toBuffer());
  const cleanCheck = only(await check(clean), 'background.uniform');
  assert.equal(cleanCheck.status, 'pass', JSON.stringify(cleanCheck.measured));
  const marks = Buffer.from('<svg width="480" height="640" xmlns="http://www.w3.org/2000/svg"><text x="8" y="40" font-size="30" font-family="sans-serif" font-weight="bold" fill="#20306a">CONGRATS 2026</text><rect x="400" y="300" width="60" height="90" fill="#8a6a40"/></svg>');
  const left = await writeTemp(dir, 'leftovers.jpg', await sharp(blue.data, { raw: { width: 480, height: 640, channels: 3 } })
    .composite([{ input: marks }]).jpeg({ quality: 92 }).toBuffer());
  const found = (await check(left)).checks.filter((c) => c.rule === 'background.uniform');
  const objects = found.find((c) => c.messageId === 'objects');
  assert.ok(objects && objects.status === 'fail', JSON.stringify(found));
});

test('fix report: ✔ only when the fixed photo passes its re-check; what fix cannot mend is listed as a retake', async () => {
  const dir = await tempDir();
  const run = await runCliInProcess(['fix', EXAMPLE, '-o', `${dir}/out.jpg`, '--lang', 'en', '--no-color']);
  // The example's fringe and softness fail the re-check: fixed, but not a ✔.
  assert.equal(run.code, 1);
  assert.doesNotMatch(run.stdout, /✔/);
  assert.match(run.stdout, /^▲ /m);
  assert.match(run.stdout, /Only a new photo can mend: .*forehead/);
});

test('fix report: a photo cut from a busy background passes but is marked ⚠ with what to look at, in the text and the JSON', async () => {
  const dir = await tempDir();
  const input = await writeTemp(dir, 'wall.jpg', (await onLogoWall()).jpeg);
  // The example's own fringe and softness are not fix's to mend: a school profile without those rules
  // lets the fixed photo pass, so the head line shows what the review advice does to it.
  const profile = await writeTemp(dir, 'school.json', Buffer.from(JSON.stringify({
    id: 'lenient', extends: 'ouc-graduate', name: { zh: '宽松', en: 'lenient' }, sources: ['test'], confidence: 'low',
    rules: { 'face.forehead-visible': 'off', 'image.sharpness': 'off', 'face.ears-visible': 'off' },
  })));
  const text = await runCliInProcess(['fix', input, '-o', `${dir}/out.jpg`, '--profile', profile, '--lang', 'en', '--no-color']);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, /^⚠ /m);
  assert.doesNotMatch(text.stdout, /^✔ /m);
  assert.match(text.stdout, /Look before you upload: the old background beside you was busy \(lettering, logos, patterns or objects; \d+ where a plain wall reads under 15\)/);
  const json = await runCliInProcess(['fix', input, '-o', `${dir}/out2.jpg`, '--profile', profile, '--format', 'json', '--lang', 'zh']);
  const entry = JSON.parse(json.stdout).files[0];
  assert.equal(entry.status, 'fixed');
  assert.equal(entry.review.messageId, 'busyBackdrop');
  assert.match(entry.review.message, /^上传前请放大检查/);
  // The library says the same: import { fix } from 'gradphoto'.
  const library = await fixLibrary(await readFile(input), { name: 'wall.jpg', lang: 'en', profile });
  assert.equal(library.review?.messageId, 'busyBackdrop');
  assert.match(library.review?.message ?? '', /^Look before you upload/);
  // The same photo on its plain studio backdrop passes with a plain ✔.
  const plain = await runCliInProcess(['fix', EXAMPLE, '-o', `${dir}/out3.jpg`, '--profile', profile, '--lang', 'en', '--no-color']);
  assert.match(plain.stdout, /^✔ /m);
  assert.doesNotMatch(plain.stdout, /Look before you upload/);
});

test('reviewAdvice: a busy backdrop beside the person, or any undecided piece, asks for a look; a plain one does not', () => {
  const quality = { faceInside: 1, uncertain: 0.02, detached: 0, person: 0.4, unsurePatches: 0 };
  assert.equal(reviewAdvice({ ...quality, busyBeside: 6 }), undefined);
  assert.deepEqual(reviewAdvice({ ...quality, busyBeside: 23.4 }), { messageId: 'busyBackdrop', data: { value: 23, max: REVIEW_LIMITS.busyBeside } });
  assert.deepEqual(reviewAdvice({ ...quality, busyBeside: 6, unsurePatches: 0.0004 }), { messageId: 'undecidedPieces', data: { share: 0.04 } });
  assert.deepEqual(reviewAdvice({ ...quality, busyBeside: 6, detached: 0.0001 }), { messageId: 'undecidedPieces', data: { share: 0.01 } });
});

test('judgeFix: failures fix is responsible for make a result "not fixed"; the person\'s own are retakes', () => {
  const result = (failing: string[]): FileResult => ({
    path: 'x.jpg', verdict: failing.length ? 'fail' : 'pass',
    checks: failing.map((rule) => ({ rule, status: 'fail', messageId: 'x', measured: null, expected: null })),
  } as FileResult);
  assert.deepEqual(judgeFix(result(['face.ears-visible', 'face.glasses'])), { fixed: true, notMended: [], retake: ['face.ears-visible', 'face.glasses'] });
  assert.deepEqual(judgeFix(result(['face.count', 'face.glasses'])), { fixed: false, notMended: ['face.count'], retake: ['face.glasses'] });
  assert.equal(judgeFix(result(['background.uniform'])).fixed, false);
  assert.equal(judgeFix(result(['background.color']), { backgroundKept: true }).fixed, true);
});

test('planCrop: a tall head (a bun) keeps the widest margin that fits, not the ranges\' edges', async () => {
  const { planCrop } = await import('../src/fix/plan.js');
  const { geometryTarget } = await import('../src/fix/index.js');
  const target = geometryTarget(defaultProfile);
  // Face 200 px, head top to eyes 260 px: no scale leaves 6 px inside every range, 4.5 px does.
  const plan = planCrop({ faceWidth: 200, centreX: 500, eyeLineY: 600, headTopY: 340 }, target);
  assert.ok(!('reason' in plan), JSON.stringify(plan));
  const { faceWidth, headTop, eyeLine } = plan.expected;
  assert.ok(headTop >= target.headTop.min + 4 && headTop <= target.headTop.max - 4, `head top ${headTop}`);
  assert.ok(eyeLine >= target.eyeLine.min + 4 && eyeLine <= target.eyeLine.max - 4, `eye line ${eyeLine}`);
  assert.ok(faceWidth >= target.faceWidth.min + 4 && faceWidth <= target.faceWidth.max - 4, `face width ${faceWidth}`);
});

/** The example person (its matte) over `backdrop`, with `recolour` applied to the person's pixels; returns the JPEG and the person's alpha. */
async function restaged(backdrop: (i: number) => [number, number, number], recolour?: (i: number, rgb: [number, number, number]) => [number, number, number], overlay?: Buffer) {
  const { photo, face } = await mainFace(EXAMPLE);
  const matte = await personMatte(photo.pixels);
  focusMatte(matte, face.mesh);
  const px = photo.pixels.data; const out = Buffer.alloc(480 * 640 * 3);
  const over = overlay ? await sharp(overlay).ensureAlpha().raw().toBuffer() : undefined;
  for (let i = 0; i < 480 * 640; i++) {
    const a = matte.alpha[i];
    const own: [number, number, number] = [px[i * 3], px[i * 3 + 1], px[i * 3 + 2]];
    const person = a > 0 && recolour ? recolour(i, own) : own;
    const back = backdrop(i);
    for (let c = 0; c < 3; c++) {
      let v = a * person[c] + (1 - a) * back[c];
      if (over) { const k = over[i * 4 + 3] / 255; v = k * over[i * 4 + c] + (1 - k) * v; }
      out[i * 3 + c] = Math.round(v);
    }
  }
  return { jpeg: await sharp(out, { raw: { width: 480, height: 640, channels: 3 } }).jpeg({ quality: 92 }).toBuffer(), person: matte.alpha, face };
}

test('fix: white clothes on a white wall stay whole on blue (no blue cut into the shirt); the re-check passes the background', async () => {
  const dir = await tempDir();
  // The spacesuit and collar below the chin are made white (their shading kept), the wall near-white.
  const { jpeg, person, face } = await (async () => {
    const { face: f } = await mainFace(EXAMPLE);
    const chin = Math.max(...f.mesh.slice(0, 468).map((p) => p[1]));
    return restaged(() => [246, 246, 244], (i, [r, g, b]) => {
      if (Math.floor(i / 480) <= chin + 10) return [r, g, b];
      const v = Math.min(255, 150 + (0.3 * r + 0.59 * g + 0.11 * b) * 0.45);
      return [v, v, v - 4];
    });
  })();
  const outcome = await fixPhoto(await writeTemp(dir, 'white.jpg', jpeg), { profile: defaultProfile, background: 'blue' });
  assertFixed(outcome);
  assert.deepEqual(outcome.steps, ['orient', 'background', 'encode']);
  const { data } = await sharp(outcome.jpeg).raw().toBuffer({ resolveWithObject: true });
  const chin = Math.max(...face.mesh.slice(0, 468).map((p) => p[1]));
  let shirt = 0; let holes = 0; let wall = 0; let wallLeft = 0;
  for (let i = 0; i < 480 * 640; i++) {
    const o = i * 3;
    if (person[i] >= 0.99 && Math.floor(i / 480) > chin + 10) { shirt++; if (!notBlue(data, o, 30)) holes++; }
    // Away from the person the wall is wholly replaced.
    if (person[i] === 0 && data[o] > 200 && data[o + 1] > 200 && data[o + 2] > 200) wallLeft++;
    if (person[i] === 0) wall++;
  }
  assert.ok(shirt > 40_000, `${shirt} shirt pixels`);
  assert.ok(holes / shirt < 0.005, `${holes} of ${shirt} shirt pixels turned blue`);
  assert.ok(wallLeft / wall < 0.005, `${wallLeft} of ${wall} wall pixels still white`);
  const result = await check(await writeTemp(dir, 'fixed.jpg', outcome.jpeg));
  for (const rule of ['background.color', 'background.uniform']) assert.ok(statuses(result, rule).every((s) => s.startsWith('pass')), `${rule}: ${statuses(result, rule)}`);
});

test('fix: dark curls over the hair on a red wall are kept, and no red is left beside them', async () => {
  const dir = await tempDir();
  const { face } = await mainFace(EXAMPLE);
  const top = Math.min(...face.mesh.slice(0, 468).map((p) => p[1])); const cx = face.mesh[4][0];
  let seed = 7; const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  let rings = '';
  for (let k = 0; k < 260; k++) {
    const t = Math.PI * (1.05 + 0.9 * rnd()); const r = 140 + 30 * rnd();
    rings += `<circle cx="${(cx + Math.cos(t) * r).toFixed(1)}" cy="${(top + 60 + Math.sin(t) * r * 1.05).toFixed(1)}" r="${(5 + 7 * rnd()).toFixed(1)}" fill="none" stroke="rgb(${(40 + 30 * rnd()) | 0},${(25 + 20 * rnd()) | 0},${(15 + 10 * rnd()) | 0})" stroke-width="${(2 + 3 * rnd()).toFixed(1)}"/>`;
  }
  const curls = Buffer.from(`<svg width="480" height="640" xmlns="http://www.w3.org/2000/svg">${rings}</svg>`);
  const { jpeg, person } = await restaged(() => [190, 30, 35], undefined, curls);
  const eyes = Math.round(face.eyeLineY);
  const outcome = await fixPhoto(await writeTemp(dir, 'curly.jpg', jpeg), { profile: defaultProfile, background: 'blue' });
  assertFixed(outcome);
  assert.deepEqual(outcome.steps, ['orient', 'background', 'encode']);
  const { data } = await sharp(outcome.jpeg).raw().toBuffer({ resolveWithObject: true });
  const stroke = await sharp(curls).ensureAlpha().raw().toBuffer();
  // The curls that stand out past the original hair, over the red wall, are what a colour key or a
  // coarse mask would lose; the wall between and beyond them must go.
  const strokeAlpha = new Float32Array(480 * 640);
  for (let i = 0; i < 480 * 640; i++) strokeAlpha[i] = stroke[i * 4 + 3] > 0 ? 1 : 0;
  const nearStroke = boxMean(strokeAlpha, 480, 640, 4);
  let curl = 0; let kept = 0; let red = 0;
  for (let i = 0; i < 480 * 640; i++) {
    const o = i * 3;
    if (stroke[i * 4 + 3] >= 250 && person[i] < 0.5) { curl++; if (data[o] < 110 && data[o + 2] < 110) kept++; }
    // Wall red above the eyes (below them are the lips and the orange suit), away from the curls.
    if (i < eyes * 480 && nearStroke[i] === 0 && person[i] < 0.5 && data[o] > 80 && data[o] > 1.6 * data[o + 1] && data[o] > 1.6 * data[o + 2]) red++;
  }
  assert.ok(curl > 1500, `${curl} curl pixels past the hair`);
  assert.ok(kept / curl > 0.9, `${kept} of ${curl} curl pixels past the hair kept dark`);
  // Known limit, measured: inside the rings (gaps of 3–10 px) about 290 pixels keep a tint of the wall's
  // red, where the 256 px model calls the whole curl mass person.
  assert.ok(red < 20, `${red} red pixels of the wall left away from the curls`);
  const result = await check(await writeTemp(dir, 'fixed.jpg', outcome.jpeg));
  for (const rule of ['background.color', 'background.uniform']) assert.ok(statuses(result, rule).every((s) => s.startsWith('pass')), `${rule}: ${statuses(result, rule)}`);
});

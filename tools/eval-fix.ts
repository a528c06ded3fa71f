/**
 * For people to look at what fix does: fix every photo of a folder (recursively), check each result,
 * and write a contact sheet (before/after pairs with the outcome) and a table: fixed / refused (by
 * reason) / fixed but failing the re-check (by rule).
 * Usage: npm run eval:fix -- <folder> [--out <dir>] [--mattes] (default dir: ./eval-fix-out; the fixed photos go there too;
 * --mattes also writes each frame before compositing, the model's mask and the refined matte)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import fg from 'fast-glob';
import { sharp } from '../src/formats/sharp.js';
import { checkFile, resolveRules } from '../src/core/run.js';
import { fixPhoto } from '../src/fix/index.js';
import { FIX_RESPONSIBLE } from '../src/fix/verdict.js';
import { defaultProfile } from '../src/profiles/index.js';
import { builtinRules } from '../src/rules/index.js';

const TILE_W = 180; const TILE_H = 240; const LABEL = 34;

/** sharp({ create }) (the wrapper's type names only the input overload). */
const blank = (width: number, height: number) => (sharp as unknown as (o: object) => ReturnType<typeof sharp>)({ create: { width, height, channels: 3, background: '#222' } });

const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

async function tile(input: Buffer | string | undefined, lines: string[], colour: string): Promise<Buffer> {
  const picture = input
    ? await sharp(input).rotate().resize(TILE_W, TILE_H, { fit: 'contain', background: '#333' }).removeAlpha().png().toBuffer().catch(() => undefined)
    : undefined;
  const svg = `<svg width="${TILE_W}" height="${LABEL}" xmlns="http://www.w3.org/2000/svg"><rect width="100%" height="100%" fill="${colour}"/>`
    + lines.map((l, i) => `<text x="3" y="${13 + i * 14}" font-family="sans-serif" font-size="11" fill="white">${escapeXml(l.slice(0, 32))}</text>`).join('') + '</svg>';
  return blank(TILE_W, TILE_H + LABEL)
    .composite([...(picture ? [{ input: picture, top: 0, left: 0 }] : []), { input: Buffer.from(svg), top: TILE_H, left: 0 }])
    .png().toBuffer();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const folder = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--out');
  if (!folder) { console.error('usage: npm run eval:fix -- <folder> [--out <dir>]'); process.exit(2); }
  const mattes = args.includes('--mattes');
  const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1] : 'eval-fix-out';
  await mkdir(outDir, { recursive: true });
  const files = (await fg(['**/*.{jpg,jpeg,JPG,JPEG,png}'], { cwd: folder, onlyFiles: true })).sort();
  const rules = resolveRules(defaultProfile, builtinRules);
  const tiles: Buffer[] = [];
  const refused = new Map<string, string[]>(); const failing = new Map<string, string[]>(); const fixed: string[] = []; const review: string[] = [];
  let ms = 0; let matteCount = 0;
  for (const file of files) {
    const path = join(folder, file);
    const started = performance.now();
    const outcome = await fixPhoto(path, { profile: defaultProfile, background: 'blue', debug: mattes })
      .catch((error: Error) => ({ messageId: 'internal', data: { reason: error.message } }));
    ms += performance.now() - started;
    const name = file.replace(/[\\/]/g, '_').replace(/\.[^.]+$/, '');
    if ('messageId' in outcome) {
      refused.set(outcome.messageId, [...(refused.get(outcome.messageId) ?? []), file]);
      tiles.push(await tile(path, [file, `refused: ${outcome.messageId}`], '#555'), await tile(undefined, [JSON.stringify(outcome.data)], '#555'));
      continue;
    }
    if (outcome.matte) matteCount++;
    if (outcome.debug) {
      // The frame before compositing, the model's mask and the refined matte, side by side.
      const { frame, coarse, alpha } = outcome.debug;
      const grey = (a: Float32Array) => { const b = Buffer.alloc(frame.width * frame.height * 3); a.forEach((v, i) => { b.fill(Math.round(v * 255), i * 3, i * 3 + 3); }); return b; };
      const raw = { raw: { width: frame.width, height: frame.height, channels: 3 as const } };
      await blank(frame.width * 3, frame.height).composite([
        { input: Buffer.from(frame.data), ...raw, left: 0, top: 0 },
        { input: grey(coarse), ...raw, left: frame.width, top: 0 },
        { input: grey(alpha), ...raw, left: frame.width * 2, top: 0 },
      ]).png().toFile(join(outDir, `${name}.matte.png`));
    }
    const output = join(outDir, `${name}.fixed.jpg`);
    await writeFile(output, outcome.jpeg);
    const check = await checkFile(output, rules, { frame: defaultProfile.frame });
    const failed = check.checks.filter((c) => c.status === 'fail').map((c) => c.rule);
    const ours = failed.filter((rule) => FIX_RESPONSIBLE.has(rule));
    if (ours.length) for (const rule of ours) failing.set(rule, [...(failing.get(rule) ?? []), file]);
    else fixed.push(file);
    if (!ours.length && outcome.review) review.push(`${file} (${outcome.review.messageId} ${Object.values(outcome.review.data)[0]})`);
    const m = outcome.matte;
    tiles.push(await tile(path, [file, m ? `face ${(m.faceInside * 100).toFixed(0)}% band ${(m.uncertain * 100).toFixed(0)}% patches ${(m.unsurePatches * 100).toFixed(1)}% det ${(m.detached * 100).toFixed(0)}% busy ${(m.busyBeside ?? 0).toFixed(1)}` : outcome.steps.join(',')], '#555'),
      await tile(outcome.jpeg, [ours.length ? `NOT FIXED: ${ours.join(' ')}` : outcome.review ? `fixed, look first: ${outcome.review.messageId}` : 'fixed', `retake: ${failed.filter((r) => !ours.includes(r)).join(' ')}`], ours.length ? '#a00' : outcome.review ? '#a60' : '#070'));
  }
  // Contact sheet: four pairs a row.
  const perRow = 8;
  const rows = Math.ceil(tiles.length / perRow);
  const sheet = await blank(perRow * TILE_W, Math.max(1, rows) * (TILE_H + LABEL))
    .composite(tiles.map((input, i) => ({ input, left: (i % perRow) * TILE_W, top: Math.floor(i / perRow) * (TILE_H + LABEL) })))
    .png().toBuffer();
  const sheetPath = join(outDir, `${basename(folder)}-contact.png`);
  await writeFile(sheetPath, sheet);
  const total = files.length;
  const failingPhotos = new Set([...failing.values()].flat());
  console.log(`| outcome | photos | which |`);
  console.log(`|---|---|---|`);
  console.log(`| fixed (re-check passes what fix can mend) | ${fixed.length} | ${fixed.join(', ')} |`);
  console.log(`| of which: look before upload (busy old background beside the person) | ${review.length} | ${review.join(', ')} |`);
  for (const [reason, list] of [...refused].sort((a, b) => b[1].length - a[1].length)) console.log(`| refused: ${reason} | ${list.length} | ${list.join(', ')} |`);
  for (const [rule, list] of [...failing].sort((a, b) => b[1].length - a[1].length)) console.log(`| fixed but failing: ${rule} | ${list.length} | ${list.join(', ')} |`);
  console.log(`\n${total} photos, ${fixed.length} fixed, ${[...refused.values()].flat().length} refused, ${failingPhotos.size} fixed but failing; `
    + `${(ms / Math.max(1, total)).toFixed(0)} ms a photo (fix only), ${matteCount} with a new background. Contact sheet: ${relative(process.cwd(), sheetPath)}`);
}

await main();

import { headTopOf } from '../analysis/person.js';
import { basename, extname, join } from 'node:path';
import { sharp } from '../core/sharp.js';
import { writeAtomic } from '../fix/write.js';
import { faces } from '../analysis/face.js';
import type { FileResult, Photo } from '../core/types.js';
import { ruleNumber } from '../profiles/index.js';
import type { Profile } from '../profiles/types.js';
import { escapeXml } from './junit.js';

interface Bands { headTopMin: number; headTopMax: number; eyeLineMin: number; eyeLineMax: number; minWidth: number; maxWidth: number }

function bandsOf(profile: Profile): Bands {
  const position = (name: string, fallback: number) => ruleNumber(profile, 'face.position', name, fallback);
  return {
    headTopMin: position('headTopMin', 50), headTopMax: position('headTopMax', 110),
    eyeLineMin: position('eyeLineMin', 200), eyeLineMax: position('eyeLineMax', 300),
    minWidth: ruleNumber(profile, 'face.size', 'minWidth', 180), maxWidth: ruleNumber(profile, 'face.size', 'maxWidth', 300),
  };
}

/**
 * The photo scaled to the standard frame's width with the allowed bands (head top, eye line, face
 * width) and what was measured (face box, landmarks, head-top line, eye line) drawn over it.
 */
export async function renderAnnotation(photo: Photo, result: FileResult, profile: Profile): Promise<Buffer> {
  const { frame } = profile;
  const scale = frame.width / photo.pixels.width;
  const height = Math.round(photo.pixels.height * scale);
  const width = frame.width;
  const bands = bandsOf(profile);
  const analysis = await faces(photo);
  const status = (rule: string) => {
    const found = result.checks.filter((c) => c.rule === rule).map((c) => c.status);
    return found.includes('fail') ? 'fail' : found.includes('warn') ? 'warn' : 'pass';
  };
  const colour = (rule: string) => ({ fail: '#ff3b30', warn: '#ffcc00', pass: '#34c759' })[status(rule)];
  const svg: string[] = [];
  const band = (y0: number, y1: number, label: string) => {
    svg.push(`<rect x="0" y="${y0}" width="${width}" height="${y1 - y0}" fill="#34c759" fill-opacity="0.13" stroke="#34c759" stroke-opacity="0.6" stroke-dasharray="4 3"/>`);
    svg.push(`<text x="4" y="${y0 + 12}" fill="#0a5" font-size="11" font-family="sans-serif">${escapeXml(label)}</text>`);
  };
  band(bands.headTopMin, bands.headTopMax, `head top ${bands.headTopMin}-${bands.headTopMax}`);
  band(bands.eyeLineMin, bands.eyeLineMax, `eyes ${bands.eyeLineMin}-${bands.eyeLineMax}`);
  svg.push(`<line x1="${width / 2}" y1="0" x2="${width / 2}" y2="${height}" stroke="#34c759" stroke-opacity="0.6" stroke-dasharray="2 4"/>`);

  for (const face of analysis.faces) {
    const box = face.box;
    const main = face === analysis.main;
    svg.push(`<rect x="${box.x * scale}" y="${box.y * scale}" width="${box.width * scale}" height="${box.height * scale}" fill="none" stroke="${main ? colour('face.size') : '#ff3b30'}" stroke-width="2"/>`);
    if (!main) continue;
    // Allowed face widths around the measured centre; the measured cheek-to-cheek line.
    const cx = face.centreX * scale;
    const cheekY = ((face.mesh[234][1] + face.mesh[454][1]) / 2) * scale;
    for (const w of [bands.minWidth, bands.maxWidth]) {
      svg.push(`<line x1="${cx - w / 2}" y1="${cheekY - 8}" x2="${cx - w / 2}" y2="${cheekY + 8}" stroke="#34c759" stroke-width="2"/>`);
      svg.push(`<line x1="${cx + w / 2}" y1="${cheekY - 8}" x2="${cx + w / 2}" y2="${cheekY + 8}" stroke="#34c759" stroke-width="2"/>`);
    }
    svg.push(`<line x1="${face.mesh[234][0] * scale}" y1="${face.mesh[234][1] * scale}" x2="${face.mesh[454][0] * scale}" y2="${face.mesh[454][1] * scale}" stroke="${colour('face.size')}" stroke-width="2"/>`);
    for (let i = 0; i < 468; i += 6) svg.push(`<circle cx="${face.mesh[i][0] * scale}" cy="${face.mesh[i][1] * scale}" r="1" fill="#5ac8fa"/>`);
    for (const iris of [face.irisLeft, face.irisRight]) svg.push(`<circle cx="${iris.x * scale}" cy="${iris.y * scale}" r="3" fill="none" stroke="${colour('face.pose')}" stroke-width="2"/>`);
    svg.push(`<line x1="${face.irisRight.x * scale}" y1="${face.irisRight.y * scale}" x2="${face.irisLeft.x * scale}" y2="${face.irisLeft.y * scale}" stroke="${colour('face.pose')}" stroke-width="1.5"/>`);
    const eyeY = face.eyeLineY * scale;
    svg.push(`<line x1="0" y1="${eyeY}" x2="${width}" y2="${eyeY}" stroke="${colour('face.position')}" stroke-width="1.5"/>`);
    svg.push(`<text x="${width - 4}" y="${eyeY - 4}" text-anchor="end" fill="${colour('face.position')}" font-size="12" font-family="sans-serif">eyes ${eyeY.toFixed(0)}</text>`);
    const headTop = await headTopOf(photo);
    if (headTop) {
      const topY = headTop.y * scale;
      svg.push(`<line x1="0" y1="${topY}" x2="${width}" y2="${topY}" stroke="${colour('face.position')}" stroke-width="2"/>`);
      svg.push(`<text x="${width - 4}" y="${topY + 14}" text-anchor="end" fill="${colour('face.position')}" font-size="12" font-family="sans-serif">head top ${topY.toFixed(0)}</text>`);
    }
    svg.push(`<text x="${cx}" y="${cheekY - 12}" text-anchor="middle" fill="${colour('face.size')}" font-size="12" font-family="sans-serif">face ${(face.faceWidth * scale).toFixed(0)}</text>`);
  }
  const overlay = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${svg.join('')}</svg>`);
  const base = sharp(photo.pixels.data, { raw: { width: photo.pixels.width, height: photo.pixels.height, channels: 3 } })
    .resize(width, height);
  return base.composite([{ input: overlay, top: 0, left: 0 }]).png().toBuffer();
}

/** stem + suffix, the stem shortened (by whole characters) to keep the name within 255 bytes. */
function withinNameLimit(stem: string, suffix: string): string {
  const characters = [...stem];
  while (characters.length > 1 && Buffer.byteLength(characters.join('') + suffix) > 255) characters.pop();
  return characters.join('') + suffix;
}

/** A file name for each photo's annotation that no other photo of this run takes. */
export function annotationNames(paths: string[]): string[] {
  const taken = new Set<string>();
  return paths.map((path) => {
    const stem = basename(path, extname(path)) || 'photo';
    let name = withinNameLimit(stem, '.annotated.png');
    for (let n = 2; taken.has(name); n++) name = withinNameLimit(stem, `-${n}.annotated.png`);
    taken.add(name);
    return name;
  });
}

/**
 * Write the annotation as fix writes photos: a new temporary file of a random name created exclusively
 * (never through a link planted at a name that could be guessed), then a rename; never through a link
 * at the annotation's own name. An earlier run's annotation is replaced.
 */
export async function writeAnnotationAs(dir: string, name: string, png: Buffer): Promise<string> {
  const target = join(dir, name);
  await writeAtomic(target, png, { force: true, inputs: [] });
  return target;
}

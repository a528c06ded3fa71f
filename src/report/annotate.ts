import { headTopOf } from '../analysis/person.js';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { sharp } from '../formats/sharp.js';
import { writeAtomic } from '../fix/write.js';
import { faces } from '../analysis/face.js';
import type { FileResult, Lang, Photo } from '../contract/types.js';
import type { FacePositionOptions } from '../rules/face-position.js';
import type { FaceSizeOptions } from '../rules/face-size.js';
import { ruleOptions } from '../rules/index.js';
import type { Profile } from '../profiles/types.js';
import { escapeXml } from './junit.js';

interface Bands { headTopMin: number; headTopMax: number; eyeLineMin: number; eyeLineMax: number; minWidth: number; maxWidth: number }

function bandsOf(profile: Profile): Bands {
  const position = ruleOptions<FacePositionOptions>(profile, 'face.position');
  const size = ruleOptions<FaceSizeOptions>(profile, 'face.size');
  return {
    headTopMin: position.headTopMin, headTopMax: position.headTopMax,
    eyeLineMin: position.eyeLineMin, eyeLineMax: position.eyeLineMax,
    minWidth: size.minWidth, maxWidth: size.maxWidth,
  };
}

/**
 * The photo scaled to the standard frame's width with the allowed bands (head top, eye line, face
 * width) and what was measured (face box, landmarks, head-top line, eye line) drawn over it.
 */
export async function renderAnnotation(photo: Photo, result: Pick<FileResult, 'checks'>, profile: Profile, lang: Lang = 'en'): Promise<Buffer> {
  const { svg, width, height, legendHeight } = await annotationSvg(photo, result, profile, lang);
  const base = sharp(photo.pixels.data, { raw: { width: photo.pixels.width, height: photo.pixels.height, channels: 3 } })
    .resize(width, height);
  const extended = await base.extend({ bottom: legendHeight, background: '#ffffff' }).png().toBuffer();
  return sharp(extended).composite([{ input: Buffer.from(svg), top: 0, left: 0 }]).png().toBuffer();
}

const LABELS = {
  en: { headTop: 'head top', eyes: 'eyes', face: 'face width', allowed: 'allowed', notFound: 'not found' },
  zh: { headTop: '头顶', eyes: '双眼', face: '脸宽', allowed: '允许', notFound: '未找到' },
} as const;
const LEGEND_LINE = 18;

/**
 * The drawing over the photo: bands, lines, boxes and landmarks only; every word and number goes in a
 * legend under the photo (in the report's language), so no label covers the face.
 */
export async function annotationSvg(photo: Photo, result: Pick<FileResult, 'checks'>, profile: Profile, lang: Lang): Promise<{ svg: string; width: number; height: number; legendHeight: number }> {
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
  const words = LABELS[lang];
  const legend: { text: string; colour: string }[] = [];
  const band = (y0: number, y1: number) => {
    svg.push(`<rect x="0" y="${y0}" width="${width}" height="${y1 - y0}" fill="#34c759" fill-opacity="0.13" stroke="#34c759" stroke-opacity="0.6" stroke-dasharray="4 3"/>`);
  };
  band(bands.headTopMin, bands.headTopMax);
  band(bands.eyeLineMin, bands.eyeLineMax);
  const allowed = (min: number, max: number) => (lang === 'zh' ? `（${words.allowed} ${min}–${max}）` : ` (${words.allowed} ${min}–${max})`);
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
    const headTop = await headTopOf(photo);
    if (headTop) {
      const topY = headTop.y * scale;
      svg.push(`<line x1="0" y1="${topY}" x2="${width}" y2="${topY}" stroke="${colour('face.position')}" stroke-width="2"/>`);
      legend.push({ text: `${words.headTop} ${topY.toFixed(0)}${allowed(bands.headTopMin, bands.headTopMax)}`, colour: colour('face.position') });
    } else {
      legend.push({ text: `${words.headTop} ${words.notFound}${allowed(bands.headTopMin, bands.headTopMax)}`, colour: colour('face.position') });
    }
    legend.push({ text: `${words.eyes} ${eyeY.toFixed(0)}${allowed(bands.eyeLineMin, bands.eyeLineMax)}`, colour: colour('face.position') });
    legend.push({ text: `${words.face} ${(face.faceWidth * scale).toFixed(0)}${allowed(bands.minWidth, bands.maxWidth)}`, colour: colour('face.size') });
  }
  const legendHeight = legend.length > 0 ? legend.length * LEGEND_LINE + 8 : 0;
  legend.forEach((line, i) => {
    const y = height + 4 + (i + 1) * LEGEND_LINE - 4;
    // A dark swatch outline keeps the yellow and green readable on white.
    svg.push(`<rect x="6" y="${y - 11}" width="12" height="12" fill="${line.colour}" stroke="#333" stroke-width="0.5"/>`);
    svg.push(`<text x="24" y="${y}" fill="#1d1d1f" font-size="13" font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif">${escapeXml(line.text)}</text>`);
  });
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + legendHeight}">${svg.join('')}</svg>`, width, height, legendHeight };
}

/** stem + suffix, the file name's own part shortened (by whole characters) to keep it within 255 bytes. */
function withinNameLimit(folder: string, stem: string, suffix: string): string {
  const characters = [...stem];
  while (characters.length > 1 && Buffer.byteLength(characters.join('') + suffix) > 255) characters.pop();
  return join(folder, characters.join('') + suffix);
}

/**
 * A file name for each photo's annotation that no other photo of this run takes. `names` are paths inside
 * the folder checked ("甲班/照片.jpg") or file names: the subfolders are kept, so 甲班/照片.jpg and
 * 乙班/照片.jpg get 甲班/照片.annotated.png and 乙班/照片.annotated.png.
 */
export function annotationNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((path) => {
    const folder = isAbsolute(path) ? '' : dirname(path).split(/[\\/]/).filter((part) => part !== '..' && part !== '.').join('/');
    const stem = basename(path, extname(path)) || 'photo';
    let name = withinNameLimit(folder, stem, '.annotated.png');
    for (let n = 2; taken.has(name); n++) name = withinNameLimit(folder, stem, `-${n}.annotated.png`);
    taken.add(name);
    return name;
  });
}

/**
 * Write the annotation as fix writes photos (its subfolder made if need be): a new temporary file of a
 * random name created exclusively (never through a link planted at a name that could be guessed), then
 * a rename; never through a link at the annotation's own name. An earlier run's annotation is replaced.
 */
export async function writeAnnotationAs(dir: string, name: string, png: Buffer): Promise<string> {
  const target = join(dir, name);
  await mkdir(dirname(target), { recursive: true });
  await writeAtomic(target, png, { force: true, inputs: [] });
  return target;
}

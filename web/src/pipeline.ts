/**
 * The CLI's pipeline, called from the page: load (decode once), run the profile's rules, fix and
 * re-check; the same modules `gradphoto check` and `gradphoto fix` run, on the browser platform.
 */
import { loadPhotoBytes, type LoadOutcome } from '../../src/core/load.js';
import { checkFile, resolveRules } from '../../src/core/run.js';
import type { FileResult, Lang, Photo, ReportFile } from '../../src/contract/types.js';
import { fixAndCheck, type CheckedFix } from '../../src/fix/verdict.js';
import { faces } from '../../src/analysis/face.js';
import { headTopOf } from '../../src/analysis/person.js';
import { DEFAULT_PROFILE, profiles, type Profile } from '../../src/profiles/index.js';
import { profileFromText } from '../../src/core/profile-file.js';
import { localiseFile } from '../../src/report/localise.js';
import { builtinRules, ruleOptions } from '../../src/rules/index.js';
import type { BackgroundColorOptions } from '../../src/rules/background-color.js';
import type { FacePositionOptions } from '../../src/rules/face-position.js';
import type { FaceSizeOptions } from '../../src/rules/face-size.js';

/** The standard photos are checked and fixed against: the default until the page picks another built-in. */
export let profile = profiles.get(DEFAULT_PROFILE)!;
let rules = resolveRules(profile, builtinRules);

/** Check and fix against another built-in profile from now on. */
export function useProfile(id: string): void {
  const next = profiles.get(id);
  if (!next) throw new Error(`no built-in profile ${id}`);
  profile = next;
  rules = resolveRules(profile, builtinRules);
}

/**
 * Check and fix against a school's own profile file from now on, read and validated as
 * `gradphoto --profile file.json` does (every mistake named with its key and line: a ProfileError).
 */
export function useProfileText(text: string, file: string): Profile {
  const next = profileFromText(text, file, builtinRules);
  profile = next;
  rules = resolveRules(profile, builtinRules);
  return next;
}

export interface Checked {
  name: string;
  bytes: Uint8Array;
  outcome: LoadOutcome;
  /** What core returned: messageIds and data. */
  raw: FileResult;
  /** The same in the page's language. */
  result: ReportFile;
  fix?: CheckedFix;
}

/** The profile in use's rules over a photo already loaded. */
const checkAgainstProfile = (name: string, outcome: LoadOutcome): Promise<FileResult> =>
  checkFile(name, rules, { frame: profile.frame, loading: Promise.resolve(outcome) });

/** Check one photo's bytes as `gradphoto check` checks a file. */
export async function checkPhoto(name: string, bytes: Uint8Array, lang: Lang): Promise<Checked> {
  const outcome = await loadPhotoBytes(name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const raw = await checkAgainstProfile(name, outcome);
  return { name, bytes, outcome, raw, result: localiseFile(raw, { lang, profile }) };
}

/** The photo checked again against the profile now in use (its decoded pixels are kept); a fix made for another profile is dropped. */
export async function rerun(checked: Checked, lang: Lang): Promise<ReportFile> {
  checked.raw = await checkAgainstProfile(checked.name, checked.outcome);
  checked.result = localiseFile(checked.raw, { lang, profile });
  checked.fix = undefined;
  return checked.result;
}

/** The same result in another language: worded again, as every reporter words core's results. */
export function recheck(checked: Checked, lang: Lang): ReportFile {
  return localiseFile(checked.raw, { lang, profile });
}

/** `gradphoto fix`: crop, the profile's first background colour, its byte window, then the check of what was made. */
export function fixPhoto(checked: Checked): Promise<CheckedFix> {
  const background = ruleOptions<BackgroundColorOptions>(profile, 'background.color').colours[0].id;
  return fixAndCheck(checked.outcome, checked.name.replace(/\.[^.]*$/, '') + '.jpg', { profile, background, rules });
}

/** What the overlay draws, in the standard frame's pixels (the photo scaled to the frame's width). */
export interface Geometry {
  width: number;
  height: number;
  bands: { headTop: [number, number]; eyeLine: [number, number]; faceWidth: [number, number] };
  faces: { x: number; y: number; width: number; height: number; main: boolean }[];
  eyeLineY?: number;
  headTopY?: number;
  centreX?: number;
  cheekY?: number;
  irises?: [number, number][];
}

export async function geometry(photo: Photo): Promise<Geometry> {
  const scale = profile.frame.width / photo.pixels.width;
  const position = ruleOptions<FacePositionOptions>(profile, 'face.position');
  const size = ruleOptions<FaceSizeOptions>(profile, 'face.size');
  const found = await faces(photo);
  const out: Geometry = {
    width: profile.frame.width, height: Math.round(photo.pixels.height * scale),
    bands: { headTop: [position.headTopMin, position.headTopMax], eyeLine: [position.eyeLineMin, position.eyeLineMax], faceWidth: [size.minWidth, size.maxWidth] },
    faces: found.faces.map((face) => ({ x: face.box.x * scale, y: face.box.y * scale, width: face.box.width * scale, height: face.box.height * scale, main: face === found.main })),
  };
  const main = found.main;
  if (main) {
    out.eyeLineY = main.eyeLineY * scale;
    out.centreX = main.centreX * scale;
    out.cheekY = ((main.mesh[234][1] + main.mesh[454][1]) / 2) * scale;
    out.irises = [main.irisLeft, main.irisRight].map((iris) => [iris.x * scale, iris.y * scale]);
    const top = await headTopOf(photo);
    if (top) out.headTopY = top.y * scale;
  }
  return out;
}

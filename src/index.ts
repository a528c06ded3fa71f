/**
 * gradphoto as a library, for scripts and upload portals:
 *
 *   import { check, fix } from 'gradphoto';
 *   const result = await check('photo.jpg');              // or a Buffer / Uint8Array of the file
 *   if (result.verdict !== 'pass') console.log(result.checks.filter((c) => c.status === 'fail'));
 *   const fixed = await fix(bytes);                        // never writes: you get the JPEG
 *   if (fixed.status === 'fixed') await writeFile('photo-fixed.jpg', fixed.jpeg!);
 *
 * Both return the objects of the JSON report (README, "JSON output"). Rule authors get `defineRule`
 * and the finding helpers, typed, for modules that `--rule` or the `rules` option loads.
 */
import { loadPhoto, loadPhotoBytes, type LoadOutcome } from './core/load.js';
import { checkFile, extraRuleOptions, resolveRules } from './core/run.js';
import type { Lang, ReportFile, Rule } from './contract/types.js';
import { backgroundColour, type BackgroundMode } from './fix/index.js';
import { readFile } from 'node:fs/promises';
import { builtinProfile, isProfileFile, profileFromText } from './core/profile-file.js';
import type { BackgroundColorOptions } from './rules/background-color.js';
import { fixAndCheck } from './fix/verdict.js';
import { uiStrings } from './i18n/index.js';
import { refusalMessage } from './report/fix-refusal.js';
import { reviewMessage } from './report/fix-review.js';
import { localiseFile, ruleLookup } from './report/localise.js';
import { DEFAULT_PROFILE, ProfileError, profileSchema, profiles, type Profile } from './profiles/index.js';
import { builtinRules, ruleOptions } from './rules/index.js';

export { defineRule, fail, grade, graded, pass, round, skip, warn } from './contract/rule.js';
export type { Check, FileResult, Finding, Lang, Photo, Pixels, Report, ReportCheck, ReportFile, Rule, RuleContext, RuleMeta, RunResult, Status, Verdict } from './contract/types.js';
export type { Profile, ProfileData, ProfileProblem, RuleLevel, RuleSetting } from './profiles/index.js';
export { profiles, DEFAULT_PROFILE, ProfileError, profileSchema };

/** A photo: a file path, or the file's bytes. */
export type PhotoInput = string | Uint8Array;

export interface CheckOptions {
  /** A built-in profile id, a profile file (name.json) or a profile object; default the built-in default profile (ouc-graduate). */
  profile?: string | Profile;
  /** Extra rules (from defineRule) run after the profile's. */
  rules?: Rule<any>[];
  /** Options for the extra rules, by rule id, checked against their defaultOptions: { 'local.named': { pattern: '^\\d+$' } }. */
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** Rule ids not to run. */
  disable?: string[];
  /** Language of the messages; default 'zh'. */
  lang?: Lang;
  /** The name results carry when `input` is bytes; default "photo.jpg". */
  name?: string;
}

/** A built-in id, a profile file (a path ending .json, checked against schema/profile.schema.json), or a Profile. */
async function resolveProfile(profile: string | Profile | undefined): Promise<Profile> {
  if (profile === undefined) return builtinProfile();
  if (typeof profile !== 'string') return profile;
  if (!isProfileFile(profile)) return builtinProfile(profile);
  return profileFromText(await readFile(profile, 'utf8'), profile, builtinRules);
}

function load(input: PhotoInput, name: string | undefined): { path: string; loading: Promise<LoadOutcome> } {
  if (typeof input === 'string') return { path: input, loading: loadPhoto(input) };
  if (!(input instanceof Uint8Array)) throw new TypeError('input must be a file path or the bytes of a photo (Buffer or Uint8Array)');
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const path = name ?? 'photo.jpg';
  return { path, loading: loadPhotoBytes(path, bytes) };
}

/** Check one photo against a profile. Never throws for a bad photo: it is a result with verdict "error". */
export async function check(input: PhotoInput, options: CheckOptions = {}): Promise<ReportFile> {
  const profile = await resolveProfile(options.profile);
  const extra = options.rules ?? [];
  const rules = resolveRules(profile, builtinRules, extra, options.disable ?? [], extraRuleOptions(extra, options.ruleOptions, builtinRules));
  const { path, loading } = load(input, options.name);
  const result = await checkFile(path, rules, { frame: profile.frame, loading });
  return localiseFile(result, { lang: options.lang ?? 'zh', profile, rules: ruleLookup(options.rules) });
}

export interface FixOptions extends Omit<CheckOptions, 'rules' | 'ruleOptions' | 'disable'> {
  /** One of the profile's background colours by id ('blue', 'white', 'grey'; default its first), or 'keep' the background as it is. */
  background?: BackgroundMode;
}

export interface FixResult {
  /**
   * fixed: the new photo passes every rule fix is responsible for; unchanged: the photo already met
   * the profile and `jpeg` is its own bytes; notFixed: fix made a photo but its check still fails a
   * rule fix should mend (`notMended`); refused: fix would not make one (`messageId`, `message`).
   */
  status: 'fixed' | 'unchanged' | 'notFixed' | 'refused';
  /** The JPEG made (not for refused). Nothing is written: saving it is yours. */
  jpeg?: Buffer;
  /** What was done, in order (orient, crop, background, encode), translated. */
  steps?: string[];
  /** The check of `jpeg` with the profile's rules. */
  check?: ReportFile;
  notMended?: string[];
  /** Failing rules only a new photo can mend (glasses, ears, pose...). */
  retake?: string[];
  /**
   * Why to look at `jpeg` before uploading it although it passes: the old background beside the
   * person was busy (busyBackdrop) or had pieces the matte could not decide (undecidedPieces).
   */
  review?: { messageId: string; message: string };
  messageId?: string;
  message?: string;
}

/** Fix one photo: crop to the frame, new background, the byte window; then check what was made. */
export async function fix(input: PhotoInput, options: FixOptions = {}): Promise<FixResult> {
  const profile = await resolveProfile(options.profile);
  const lang = options.lang ?? 'zh';
  const rules = resolveRules(profile, builtinRules);
  const { path, loading } = load(input, options.name);
  const background = options.background ?? ruleOptions<BackgroundColorOptions>(profile, 'background.color').colours[0].id;
  backgroundColour(profile, background); // an id the profile does not allow throws, naming the ones it does
  const result = await fixAndCheck(await loading, path, { profile, background, rules });
  const ui = uiStrings(lang);
  if (result.status === 'refused') {
    const { messageId, data } = result.refusal!;
    return { status: 'refused', messageId, message: refusalMessage(lang, messageId, data, path) };
  }
  const { outcome, check: recheck, judgement } = result;
  return {
    status: result.status,
    jpeg: outcome!.jpeg,
    steps: outcome!.steps.map((step) => ui.fixSteps[step as keyof typeof ui.fixSteps] ?? step),
    check: localiseFile(recheck!, { lang, profile }),
    notMended: judgement!.notMended,
    retake: judgement!.retake,
    ...(outcome!.review && { review: reviewMessage(lang, outcome!.review) }),
  };
}

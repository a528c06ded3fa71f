import type { Check, FileResult, Lang, Report, ReportCheck, ReportFile, Rule, RunResult } from '../contract/types.js';
import { decodeMessage, interpolate, localiseWords, messageTemplate, uiStrings } from '../i18n/index.js';
import type { ColourData, Profile } from '../profiles/types.js';
import { builtinRules, ruleOptions } from '../rules/index.js';

/** Where a check's words come from: the built-in rules and the extra rules of the run (their own messages). */
export type RuleLookup = ReadonlyMap<string, Pick<Rule<any>, 'id' | 'meta'>>;

/** The built-in rules and `extra` (from --rule or the library's `rules` option), by id. */
export function ruleLookup(extra: readonly Pick<Rule<any>, 'id' | 'meta'>[] = []): RuleLookup {
  if (extra.length === 0) return builtinRules;
  return new Map([...builtinRules, ...extra.map((rule) => [rule.id, rule] as const)]);
}

/** What a report is worded for: the language, the profile the photos were checked against, and the rules' own messages. */
export interface Wording {
  lang: Lang;
  profile: Profile;
  rules?: RuleLookup;
}

/** An option's value as a message shows it: numbers as they are, a colour [100, 197, 255] as "100,197,255". */
function shown(value: unknown): string | number | undefined {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' || typeof v === 'string')) return value.join(',');
  return undefined;
}

/** A profile's accepted pixel size in words: "480x640", "354–480x472–640 (3:4)", "at least 144x192 (3:4)". */
export function frameSize(profile: Profile, lang: Lang): string {
  const x = lang === 'zh' ? '×' : 'x';
  const range = profile.frameRange;
  if (!range) return `${profile.frame.width}${x}${profile.frame.height}`;
  const aspect = range.aspect ? (lang === 'zh' ? `（${range.aspect.join(':')}）` : ` (${range.aspect.join(':')})`) : '';
  if (!range.maxWidth && !range.maxHeight) return `${lang === 'zh' ? '至少 ' : 'at least '}${range.minWidth}${x}${range.minHeight}${aspect}`;
  const side = (min: number, max: number) => (min === max ? `${min}` : `${min}–${max || '∞'}`);
  return `${side(range.minWidth, range.maxWidth)}${x}${side(range.minHeight, range.maxHeight)}${aspect}`;
}

/** Allowed colours in words: "light blue RGB(100,197,255), white RGB(255,255,255) or light grey RGB(240,240,240)". */
function colourList(colours: ColourData[], lang: Lang): string {
  const named = colours.map((c) => `${c.name[lang]} RGB(${c.rgb.join(',')})`);
  if (named.length === 1) return named[0];
  return lang === 'zh' ? `${named.slice(0, -1).join('、')}或${named.at(-1)}` : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
}

const isColourList = (value: unknown): value is ColourData[] =>
  Array.isArray(value) && value.every((c) => typeof c === 'object' && c !== null && Array.isArray((c as ColourData).rgb) && typeof (c as ColourData).name === 'object');

/**
 * The values a rule's templates (messages and description) are filled from: the profile's frame and name,
 * then the rule's options as the profile resolves them, then what the check itself reported. So a template
 * names the profile's own numbers ({frameSize}, {colours}, {minBytes}) and name ({profileName}), never copies
 * of them. Colour names are the profile's own, in `lang`.
 */
export function templateValues(profile: Profile, ruleId: string, data: Record<string, string | number> = {}, options?: Record<string, unknown>, lang: Lang = 'en'): Record<string, string | number> {
  const values: Record<string, string | number> = {
    frameWidth: profile.frame.width, frameHeight: profile.frame.height, frameSize: frameSize(profile, lang), profileName: profile.description[lang],
  };
  const resolved = options ?? (builtinRules.has(ruleId) ? ruleOptions(profile, ruleId) : undefined);
  if (resolved) {
    for (const [key, value] of Object.entries(resolved)) {
      if (isColourList(value)) {
        values[key] = colourList(value, lang);
        const target = value[typeof data.target === 'number' ? data.target : 0];
        if (target) values.targetName = target.name[lang];
        continue;
      }
      const text = shown(value);
      if (text !== undefined) values[key] = text;
    }
  }
  return { ...values, ...data };
}

/**
 * A rule's one-line description in `lang`, with the profile's numbers in it (`gradphoto rules`, fix's retake
 * list); an extra rule's is filled from the options it runs with.
 */
export function ruleDescription(rule: Pick<Rule<any>, 'id' | 'meta'>, lang: Lang, profile: Profile, options?: Record<string, unknown>): string {
  return interpolate(rule.meta.description[lang] ?? rule.meta.description.en ?? rule.id, templateValues(profile, rule.id, {}, options, lang));
}

/**
 * A check's sentence in `lang`: the rule's template for its messageId filled from its data. A rule that
 * could not run and a photo gradphoto could not check are said in the reporters' own words.
 */
export function checkMessage(check: Check, { lang, profile, rules = builtinRules }: Wording): string {
  const ui = uiStrings(lang);
  const data = templateValues(profile, check.rule, check.data, undefined, lang);
  if (check.messageId === 'internalError' && check.status === 'skip') {
    return interpolate(check.rule === 'gradphoto' ? ui.checkCrashed : ui.internalError, { rule: check.rule, ...data });
  }
  const rule = rules.get(check.rule);
  const template = rule && messageTemplate(lang, rule, check.messageId);
  if (template) return interpolate(template, localiseWords(lang, data));
  // file.decode's failures have their own sentences even with the rule turned off; anything else is shown by its ids.
  if (check.rule === 'file.decode') return decodeMessage(lang, check.messageId, data);
  return interpolate(ui.unknownMessage, { rule: check.rule, messageId: check.messageId });
}

/** One file's result in words: every check gets its `message`, an error its sentence. */
export function localiseFile(file: FileResult, wording: Wording): ReportFile {
  const checks: ReportCheck[] = file.checks.map((check) => ({ ...check, message: checkMessage(check, wording) }));
  const worded: ReportFile = { path: file.path, verdict: file.verdict, checks };
  if (file.error) {
    const { rule, messageId, data } = file.error;
    const source = checks.find((c) => c.rule === rule && c.messageId === messageId) ?? checks.find((c) => c.rule === rule);
    worded.error = { messageId, message: source?.message ?? decodeMessage(wording.lang, messageId, templateValues(wording.profile, rule, data, undefined, wording.lang)) };
  }
  return worded;
}

/** A run in words: what every reporter (text, JSON, CSV, HTML, JUnit) formats. */
export function localiseRun(run: RunResult, wording: Wording): Report {
  return { profile: run.profile, files: run.files.map((file) => localiseFile(file, wording)), summary: run.summary };
}

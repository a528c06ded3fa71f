import { interpolate, localiseWords, messageTemplate, uiStrings } from '../i18n/index.js';
import type { Profile, RuleLevel } from '../profiles/types.js';
import { DEFAULT_LIMITS, loadForRule, loadPhoto, type LoadLimits, type LoadOutcome } from './load.js';
import type { Check, FileResult, Finding, Lang, Photo, Rule, RunResult, Verdict } from '../contract/types.js';

/** A rule with the options and level its profile gives it. */
export interface ActiveRule {
  rule: Rule<any>;
  options: Record<string, unknown>;
  level: Exclude<RuleLevel, 'off'>;
}

/** Profile + built-in rules + extra rule modules -> the ordered list of rules to run. */
export function resolveRules(profile: Profile, builtins: ReadonlyMap<string, Rule<any>>, extra: Rule<any>[] = [], disabled: string[] = []): ActiveRule[] {
  const active: ActiveRule[] = [];
  for (const id of disabled) {
    if (!(id in profile.rules) && !extra.some((r) => r.id === id)) throw new Error(`--disable names unknown rule ${id}`);
  }
  for (const [id, setting] of Object.entries(profile.rules)) {
    const rule = builtins.get(id);
    if (!rule) throw new Error(`profile ${profile.id} names unknown rule ${id}`);
    if (setting.level === 'off' || disabled.includes(id)) continue;
    active.push({ rule, options: { ...rule.meta.defaultOptions, ...setting.options }, level: setting.level ?? 'error' });
  }
  for (const rule of extra) {
    if (active.some((a) => a.rule.id === rule.id)) throw new Error(`rule ${rule.id} is defined twice`);
    if (disabled.includes(rule.id)) continue;
    active.push({ rule, options: { ...rule.meta.defaultOptions }, level: 'error' });
  }
  return active;
}

export interface CheckOptions {
  lang: Lang;
  /** Called with each decoded photo and its result while the photo is still in memory (annotations). */
  onPhoto?: (photo: Photo, result: FileResult) => Promise<void>;
  /** The profile's standard frame; defaults to 480x640. */
  frame?: { width: number; height: number };
  limits?: LoadLimits;
  /** The photo already being loaded (read and decoded ahead while the previous one was checked). */
  loading?: Promise<LoadOutcome>;
}

function toCheck(active: ActiveRule, finding: Finding, lang: Lang): Check {
  const { rule } = active;
  if (!rule.meta.messageIds.includes(finding.messageId)) {
    throw new Error(`rule ${rule.id} reported unknown messageId "${finding.messageId}"`);
  }
  const template = messageTemplate(lang, rule, finding.messageId)
    ?? interpolate(uiStrings(lang).unknownMessage, { rule: rule.id, messageId: finding.messageId });
  const status = active.level === 'warn' && finding.status === 'fail' ? 'warn' : finding.status;
  return {
    rule: rule.id,
    status,
    messageId: finding.messageId,
    message: interpolate(template, localiseWords(lang, finding.data)),
    ...(finding.data ? { data: finding.data } : {}),
    measured: finding.measured ?? null,
    expected: finding.expected ?? null,
  };
}

async function runRule(active: ActiveRule, photo: Photo, lang: Lang, frame: { width: number; height: number }): Promise<Check[]> {
  try {
    const found = await active.rule.check({ photo, options: active.options, frame, loadPhoto: loadForRule });
    return (Array.isArray(found) ? found : [found]).map((finding) => toCheck(active, finding, lang));
  } catch (error) {
    // A bug in one rule must not hide the others or stop the batch: report it as a skipped check.
    const reason = (error as Error).message;
    return [{
      rule: active.rule.id, status: 'skip', messageId: 'internalError',
      message: interpolate(uiStrings(lang).internalError, { rule: active.rule.id, reason }),
      measured: null, expected: null,
    }];
  }
}

export function verdictOf(checks: Check[], decodeFailed: boolean): Verdict {
  if (decodeFailed) return 'error';
  return checks.some((c) => c.status === 'fail') ? 'fail' : 'pass';
}

/** A file that could not be checked at all (missing, unreadable, an empty folder): one file.decode failure. */
export function errorResult(path: string, messageId: string, data: Record<string, string | number>, lang: Lang, rules: ActiveRule[]): FileResult {
  const decode = rules.find((a) => a.rule.id === 'file.decode');
  const template = (decode && messageTemplate(lang, decode.rule, messageId)) ?? messageId;
  const message = interpolate(template, data);
  return {
    path, verdict: 'error',
    checks: [{ rule: 'file.decode', status: 'fail', messageId, message, data, measured: messageId, expected: 'decodable' }],
    error: { messageId, message },
  };
}

/** Load one photo once and run every rule on it. Never throws for a bad file: errors are results. */
export async function checkFile(path: string, rules: ActiveRule[], options: CheckOptions): Promise<FileResult> {
  const outcome = await (options.loading ?? loadPhoto(path, options.limits ?? DEFAULT_LIMITS));
  if (outcome.kind === 'unreadable') return errorResult(path, outcome.failure.messageId, outcome.failure.data, options.lang, rules);
  const { photo } = outcome;
  const decoded = outcome.kind === 'photo';
  const runnable = decoded ? rules : rules.filter((a) => a.rule.meta.needs === 'bytes');
  const checks: Check[] = [];
  const frame = options.frame ?? { width: 480, height: 640 };
  for (const active of runnable) checks.push(...await runRule(active, photo, options.lang, frame));
  const result: FileResult = { path, verdict: verdictOf(checks, !decoded), checks };
  if (decoded && options.onPhoto) await options.onPhoto(photo, result);
  if (!decoded) {
    const decodeCheck = checks.find((c) => c.rule === 'file.decode');
    result.error = { messageId: outcome.failure.messageId, message: decodeCheck?.message ?? outcome.failure.messageId };
  }
  return result;
}

export function summarise(profile: string, files: FileResult[]): RunResult {
  const count = (verdict: Verdict) => files.filter((f) => f.verdict === verdict).length;
  return { profile, files, summary: { total: files.length, pass: count('pass'), fail: count('fail'), error: count('error') } };
}

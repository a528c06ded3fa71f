import { interpolate, localiseWords, messageTemplate, uiStrings } from '../i18n/index.js';
import type { Profile, RuleLevel } from '../profiles/types.js';
import { DEFAULT_LIMITS, loadForRule, loadPhoto, type LoadLimits, type LoadOutcome } from './load.js';
import { describeThrown, jsonText, RULE_OUTPUT_LIMIT } from '../contract/rule.js';
import type { Check, FileResult, Lang, Photo, Rule, RunResult, Verdict } from '../contract/types.js';

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

/** The most findings one rule may report for one photo. */
const MAX_FINDINGS = 32;
const STATUSES: ReadonlySet<string> = new Set(['pass', 'warn', 'fail', 'skip']);

/** A rule returned something the runner cannot report: the reason, for a skip. */
class RuleOutputError extends Error {}

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

/** A value as plain JSON (contract/rule.ts jsonText refuses BigInt, cycles and values too large for a report); null for nothing to show. */
function asJson(value: unknown, what: string): unknown {
  const text = jsonText(value, what, RULE_OUTPUT_LIMIT);
  return text === undefined ? null : JSON.parse(text);
}
/**
 * A rule's finding as a check, or a RuleOutputError saying what is wrong with it. Whatever a rule
 * returns (a function, a BigInt, a cycle, 50 MB of text), what comes out is small plain data that any
 * report and any thread can carry.
 */
function toCheck(active: ActiveRule, finding: unknown, lang: Lang): Check {
  const { rule } = active;
  if (typeof finding !== 'object' || finding === null || Array.isArray(finding)) {
    throw new RuleOutputError(`it returned ${kindOf(finding)}, not a finding { status, messageId }`);
  }
  const { status, messageId, data, measured, expected } = finding as Record<string, unknown>;
  if (typeof status !== 'string' || !STATUSES.has(status)) throw new RuleOutputError(`it returned the status ${typeof status === 'string' ? JSON.stringify(status.slice(0, 40)) : kindOf(status)}, not pass, warn, fail or skip`);
  if (typeof messageId !== 'string' || !rule.meta.messageIds.includes(messageId)) {
    throw new RuleOutputError(`rule ${rule.id} reported unknown messageId "${typeof messageId === 'string' ? messageId.slice(0, 80) : kindOf(messageId)}"`);
  }
  let values: Record<string, string | number> | undefined;
  if (data !== undefined) {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new RuleOutputError(`its data is ${kindOf(data)}, not an object`);
    // A measurement that came out NaN would read as a pass (every comparison with it is false).
    const unmeasured = Object.entries(data).find(([, value]) => typeof value === 'number' && !Number.isFinite(value));
    if (unmeasured) throw new RuleOutputError(`its data.${unmeasured[0].slice(0, 40)} is ${unmeasured[1]}, not a finite number`);
    values = asJson(data, 'its data') as Record<string, string | number>;
    for (const [key, value] of Object.entries(values)) {
      if (typeof value !== 'string' && typeof value !== 'number') throw new RuleOutputError(`its data.${key.slice(0, 40)} is ${kindOf(value)}, not a string or number`);
    }
  }
  const template = messageTemplate(lang, rule, messageId)
    ?? interpolate(uiStrings(lang).unknownMessage, { rule: rule.id, messageId });
  const message = interpolate(template, localiseWords(lang, values));
  if (message.length > RULE_OUTPUT_LIMIT) throw new RuleOutputError(`its message is ${message.length} characters long, over the ${RULE_OUTPUT_LIMIT} limit`);
  return {
    rule: rule.id,
    status: active.level === 'warn' && status === 'fail' ? 'warn' : status as Check['status'],
    messageId,
    message,
    ...(values ? { data: values } : {}),
    measured: measured === undefined ? null : asJson(measured, 'measured'),
    expected: expected === undefined ? null : asJson(expected, 'expected'),
  };
}

/** What a rule that could not run reports: a skip that names the reason, and makes the photo's verdict `error`. */
export function brokenCheck(rule: string, reason: string, lang: Lang): Check {
  return {
    rule, status: 'skip', messageId: 'internalError',
    message: interpolate(uiStrings(lang).internalError, { rule, reason: reason.slice(0, 300) }),
    measured: null, expected: null,
  };
}

/** A check reporting that its rule could not run: the photo cannot pass on it. */
export const isBroken = (check: Check): boolean => check.status === 'skip' && check.messageId === 'internalError';

async function runRule(active: ActiveRule, photo: Photo, lang: Lang, frame: { width: number; height: number }): Promise<Check[]> {
  try {
    const found: unknown = await active.rule.check({ photo, options: active.options, frame, loadPhoto: loadForRule });
    const findings = Array.isArray(found) ? found : [found];
    if (findings.length === 0) throw new RuleOutputError('it returned no finding');
    if (findings.length > MAX_FINDINGS) throw new RuleOutputError(`it returned ${findings.length} findings, over the limit of ${MAX_FINDINGS}`);
    const checks = findings.map((finding) => toCheck(active, finding, lang));
    const size = checks.reduce((sum, check) => sum + check.message.length + JSON.stringify([check.data, check.measured, check.expected]).length, 0);
    if (size > RULE_OUTPUT_LIMIT) throw new RuleOutputError(`its findings are ${size} characters, over the ${RULE_OUTPUT_LIMIT} limit`);
    return checks;
  } catch (error) {
    // A broken rule must not hide the others or stop the batch; it is reported, and the photo cannot pass on it.
    return [brokenCheck(active.rule.id, describeThrown(error), lang)];
  }
}

export function verdictOf(checks: Check[], decodeFailed: boolean): Verdict {
  if (decodeFailed || checks.some(isBroken)) return 'error';
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

/** A photo gradphoto failed to check (its own bug): an error in the report, so the batch goes on. */
export function crashedResult(path: string, reason: string, lang: Lang): FileResult {
  const message = interpolate(uiStrings(lang).checkCrashed, { reason: reason.slice(0, 300) });
  return {
    path, verdict: 'error',
    checks: [{ rule: 'gradphoto', status: 'skip', messageId: 'internalError', message, measured: null, expected: null }],
    error: { messageId: 'internalError', message },
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
  } else {
    const broken = checks.find(isBroken);
    if (broken) result.error = { messageId: broken.messageId, message: broken.message };
  }
  return result;
}

export function summarise(profile: string, files: FileResult[]): RunResult {
  const count = (verdict: Verdict) => files.filter((f) => f.verdict === verdict).length;
  return { profile, files, summary: { total: files.length, pass: count('pass'), fail: count('fail'), error: count('error') } };
}

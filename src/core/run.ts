import type { Profile, RuleLevel } from '../profiles/types.js';
import { DEFAULT_LIMITS, loadForRule, loadPhoto, type LoadLimits, type LoadOutcome } from './load.js';
import { describeThrown, jsonText, RULE_OUTPUT_LIMIT } from '../contract/rule.js';
import type { Check, FileResult, Photo, Rule, Verdict } from '../contract/types.js';

/** A rule with the options and level its profile gives it. */
export interface ActiveRule {
  rule: Rule<any>;
  options: Record<string, unknown>;
  level: Exclude<RuleLevel, 'off'>;
}

/** What a value is, in a sentence about options: "a number", "an array". */
const kindOfOption = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

/**
 * Options for extra rules (--rule-options, the library's ruleOptions), keyed by rule id, checked against
 * each rule's defaultOptions: every key must be one the rule declares, with a value of the same kind.
 * Returns the options each extra rule runs with; a mistake throws, naming the rule and the key.
 */
export function extraRuleOptions(extra: readonly Rule<any>[], given: unknown, builtins: ReadonlyMap<string, Rule<any>> = new Map()): Record<string, Record<string, unknown>> {
  if (given === undefined) given = {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new Error(`rule options must be an object keyed by rule id, like {"local.my-rule": {"pattern": "^\\d+$"}}, not ${kindOfOption(given)}`);
  }
  const resolved: Record<string, Record<string, unknown>> = {};
  for (const [id, options] of Object.entries(given)) {
    const rule = extra.find((r) => r.id === id);
    if (!rule) {
      throw new Error(builtins.has(id)
        ? `rule options for ${id}: built-in rules take their limits from the profile (--profile), not from rule options`
        : `rule options name ${id}, which no --rule module defines${extra.length ? ` (loaded: ${extra.map((r) => r.id).join(', ')})` : ''}`);
    }
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new Error(`rule options for ${id} must be an object, not ${kindOfOption(options)}`);
    const defaults = (rule.meta.defaultOptions ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(options)) {
      if (!Object.hasOwn(defaults, key)) {
        const known = Object.keys(defaults);
        throw new Error(`rule options for ${id}: unknown option "${key}" (${known.length ? `it takes ${known.join(', ')}` : 'it takes no options'})`);
      }
      if (kindOfOption(value) !== kindOfOption(defaults[key])) {
        throw new Error(`rule options for ${id}: "${key}" must be ${kindOfOption(defaults[key])} (as in its defaultOptions), not ${kindOfOption(value)}`);
      }
    }
    resolved[id] = options as Record<string, unknown>;
  }
  return resolved;
}

/**
 * Profile + built-in rules + extra rule modules -> the ordered list of rules to run. `extraOptions` (from
 * extraRuleOptions) overrides the extra rules' defaultOptions.
 */
export function resolveRules(profile: Profile, builtins: ReadonlyMap<string, Rule<any>>, extra: Rule<any>[] = [], disabled: string[] = [], extraOptions: Record<string, Record<string, unknown>> = {}): ActiveRule[] {
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
    active.push({ rule, options: { ...rule.meta.defaultOptions, ...extraOptions[rule.id] }, level: 'error' });
  }
  return active;
}

/** How to check a photo. No language: core returns messageIds and data; the report floor words them. */
export interface CheckOptions {
  /** Called with each decoded photo and its result while the photo is still in memory (annotations). */
  onPhoto?: (photo: Photo, result: FileResult) => Promise<void>;
  /** The profile's standard frame, which geometry is measured in. */
  frame: { width: number; height: number };
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
function toCheck(active: ActiveRule, finding: unknown): Check {
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
  return {
    rule: rule.id,
    status: active.level === 'warn' && status === 'fail' ? 'warn' : status as Check['status'],
    messageId,
    ...(values ? { data: values } : {}),
    measured: measured === undefined ? null : asJson(measured, 'measured'),
    expected: expected === undefined ? null : asJson(expected, 'expected'),
  };
}

/** What a rule that could not run reports: a skip that names the reason, and makes the photo's verdict `error`. */
export function brokenCheck(rule: string, reason: string): Check {
  return { rule, status: 'skip', messageId: 'internalError', data: { rule, reason: reason.slice(0, 300) }, measured: null, expected: null };
}

/** A check reporting that its rule could not run: the photo cannot pass on it. */
export const isBroken = (check: Check): boolean => check.status === 'skip' && check.messageId === 'internalError';

async function runRule(active: ActiveRule, photo: Photo, frame: { width: number; height: number }): Promise<Check[]> {
  try {
    const found: unknown = await active.rule.check({ photo, options: active.options, frame, loadPhoto: loadForRule });
    const findings = Array.isArray(found) ? found : [found];
    if (findings.length === 0) throw new RuleOutputError('it returned no finding');
    if (findings.length > MAX_FINDINGS) throw new RuleOutputError(`it returned ${findings.length} findings, over the limit of ${MAX_FINDINGS}`);
    const checks = findings.map((finding) => toCheck(active, finding));
    const size = checks.reduce((sum, check) => sum + JSON.stringify([check.data, check.measured, check.expected]).length, 0);
    if (size > RULE_OUTPUT_LIMIT) throw new RuleOutputError(`its findings are ${size} characters, over the ${RULE_OUTPUT_LIMIT} limit`);
    return checks;
  } catch (error) {
    // A broken rule must not hide the others or stop the batch; it is reported, and the photo cannot pass on it.
    return [brokenCheck(active.rule.id, describeThrown(error))];
  }
}

export function verdictOf(checks: Check[], decodeFailed: boolean): Verdict {
  if (decodeFailed || checks.some(isBroken)) return 'error';
  return checks.some((c) => c.status === 'fail') ? 'fail' : 'pass';
}

/** A file that could not be checked at all (missing, unreadable, an empty folder): one file.decode failure. */
export function errorResult(path: string, messageId: string, data: Record<string, string | number>): FileResult {
  return {
    path, verdict: 'error',
    checks: [{ rule: 'file.decode', status: 'fail', messageId, data, measured: messageId, expected: 'decodable' }],
    error: { rule: 'file.decode', messageId, data },
  };
}

/** A photo gradphoto failed to check (its own bug): an error in the report, so the batch goes on. */
export function crashedResult(path: string, reason: string): FileResult {
  return {
    path, verdict: 'error',
    checks: [{ rule: 'gradphoto', status: 'skip', messageId: 'internalError', data: { reason: reason.slice(0, 300) }, measured: null, expected: null }],
    error: { rule: 'gradphoto', messageId: 'internalError' },
  };
}

/** Load one photo once and run every rule on it. Never throws for a bad file: errors are results. */
export async function checkFile(path: string, rules: ActiveRule[], options: CheckOptions): Promise<FileResult> {
  const outcome = await (options.loading ?? loadPhoto(path, options.limits ?? DEFAULT_LIMITS));
  if (outcome.kind === 'unreadable') return errorResult(path, outcome.failure.messageId, outcome.failure.data);
  const { photo } = outcome;
  const decoded = outcome.kind === 'photo';
  // Bytes that match no picture format at all (notes.txt renamed .jpg): that is the one thing to say. The
  // file rules would add "not JPEG, convert it with gradphoto fix" and "too small, save at a higher quality".
  if (!decoded && photo.container.name === 'unknown') return errorResult(path, outcome.failure.messageId, outcome.failure.data);
  const runnable = decoded ? rules : rules.filter((a) => a.rule.meta.needs === 'bytes');
  const checks: Check[] = [];
  for (const active of runnable) checks.push(...await runRule(active, photo, options.frame));
  const result: FileResult = { path, verdict: verdictOf(checks, !decoded), checks };
  if (decoded && options.onPhoto) await options.onPhoto(photo, result);
  if (!decoded) {
    result.error = { rule: 'file.decode', messageId: outcome.failure.messageId, data: outcome.failure.data };
  } else {
    const broken = checks.find(isBroken);
    if (broken) result.error = { rule: broken.rule, messageId: broken.messageId };
  }
  return result;
}


import type { Finding, Rule } from './types.js';

/** Identity helper that gives a rule module its types (like ESLint's rule objects). */
export function defineRule<O>(rule: Rule<O>): Rule<O> {
  return rule;
}

export const pass = (messageId: string, rest: Omit<Finding, 'status' | 'messageId'> = {}): Finding => ({ status: 'pass', messageId, ...rest });
export const warn = (messageId: string, rest: Omit<Finding, 'status' | 'messageId'> = {}): Finding => ({ status: 'warn', messageId, ...rest });
export const fail = (messageId: string, rest: Omit<Finding, 'status' | 'messageId'> = {}): Finding => ({ status: 'fail', messageId, ...rest });
export const skip = (messageId: string, rest: Omit<Finding, 'status' | 'messageId'> = {}): Finding => ({ status: 'skip', messageId, ...rest });

/** Round for display and JSON: measured values carry no false precision. */
export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Grade a value against a warn and a fail limit: 'above' means larger is worse (a tilt, a spread),
 * 'below' means smaller is worse (sharpness, contrast). Returns undefined when within both limits.
 */
export function grade(value: number, limits: { warn: number; fail: number }, worse: 'above' | 'below' = 'above'): 'warn' | 'fail' | undefined {
  const beyond = (limit: number) => (worse === 'above' ? value > limit : value < limit);
  if (beyond(limits.fail)) return 'fail';
  if (beyond(limits.warn)) return 'warn';
  return undefined;
}

/** A finding of the status `grade` gave. */
export const graded = (status: 'warn' | 'fail', messageId: string, rest: Omit<Finding, 'status' | 'messageId'> = {}): Finding => ({ status, messageId, ...rest });

/** The most a rule may report for one photo, in characters of JSON: the largest built-in check is under 400. */
export const RULE_OUTPUT_LIMIT = 16 * 1024;

/** Any thrown value in words: `throw null`, a string, an object whose toString throws. */
export function describeThrown(value: unknown): string {
  try {
    if (value instanceof Error) return value.message || value.name;
    if (value === null || value === undefined) return `it threw ${value}`;
    if (typeof value === 'object' || typeof value === 'function') return `it threw a${typeof value === 'object' ? 'n object' : ' function'} (${String(value).slice(0, 120)})`;
    return `it threw ${typeof value} ${String(value).slice(0, 120)}`;
  } catch {
    return `it threw a value that cannot be shown (${typeof value})`;
  }
}

/**
 * A value as JSON text, or undefined for a function or undefined. BigInt and cycles are refused with a
 * reason, as is text over `limit` characters: what a rule returns must be small plain data that any
 * report and any thread can carry.
 */
export function jsonText(value: unknown, what: string, limit: number): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') throw new TypeError(`${what} holds a BigInt, which JSON cannot carry`);
      return v;
    });
  } catch (error) {
    throw new Error(/BigInt/.test((error as Error).message) ? (error as Error).message : `${what} is not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (text !== undefined && text.length > limit) throw new Error(`${what} is ${text.length} characters of JSON, over the ${limit} a rule may report`);
  return text;
}

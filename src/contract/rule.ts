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

import { chsiGraduate } from './chsi-graduate.js';
import type { Profile } from './types.js';

export const profiles: ReadonlyMap<string, Profile> = new Map([[chsiGraduate.id, chsiGraduate]]);
export const DEFAULT_PROFILE = chsiGraduate.id;

/** A numeric option the profile gives a rule, or the fallback (for code outside the rule that needs the same limit). */
export function ruleNumber(profile: Profile, rule: string, name: string, fallback: number): number {
  const value = profile.rules[rule]?.options?.[name];
  return typeof value === 'number' ? value : fallback;
}
export type { Profile, RuleSetting, RuleLevel } from './types.js';

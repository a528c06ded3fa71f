import { chsiGraduate } from './chsi-graduate.js';
import type { Profile } from './types.js';

export const profiles: ReadonlyMap<string, Profile> = new Map([[chsiGraduate.id, chsiGraduate]]);
export const DEFAULT_PROFILE = chsiGraduate.id;

/**
 * A built-in rule's defaultOptions: the default profile's numbers for it, so that no limit of a standard
 * is written twice (a rule file holds logic; the profile holds the numbers and their sources).
 */
export function defaultProfileOptions<O>(ruleId: string): O {
  const options = profiles.get(DEFAULT_PROFILE)?.rules[ruleId]?.options;
  if (!options) throw new Error(`the default profile gives no options for ${ruleId}`);
  return structuredClone(options) as O;
}

export type { Profile, RuleSetting, RuleLevel } from './types.js';

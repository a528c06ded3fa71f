import { chsiGraduate } from './chsi-graduate.js';
import type { Profile } from './types.js';

export const profiles: ReadonlyMap<string, Profile> = new Map([[chsiGraduate.id, chsiGraduate]]);
export const DEFAULT_PROFILE = chsiGraduate.id;

export type { Profile, RuleSetting, RuleLevel } from './types.js';

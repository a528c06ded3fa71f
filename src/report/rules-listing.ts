import type { Lang, Rule } from '../contract/types.js';
import type { Profile } from '../profiles/types.js';
import { builtinRules, ruleOptions } from '../rules/index.js';
import { ruleDescription } from './localise.js';

/** An option as the listing shows it: numbers and short lists (a colour, extensions), not structures. */
const listed = (value: unknown) => typeof value === 'number' || (Array.isArray(value) && value.length <= 3);

/**
 * `gradphoto rules`: the profile's rules, then the extra rules (--rule), each with what it checks, in
 * `lang` and with the profile's numbers, and its limits (key=value); an extra rule shows the options it runs with.
 */
export function formatRulesListing(profile: Profile, lang: Lang, extra: { rule: Pick<Rule<any>, 'id' | 'meta'>; options: Record<string, unknown> }[] = []): string {
  const lines = [`${profile.id}: ${profile.description[lang]}`, ''];
  const entry = (rule: Pick<Rule<any>, 'id' | 'meta'>, options: Record<string, unknown>, note: string, own?: boolean) => {
    const limits = Object.entries(options).filter(([, v]) => listed(v) || (own && typeof v === 'string')).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : v}`);
    lines.push(`${rule.id.padEnd(22)} ${ruleDescription(rule, lang, profile, own ? options : undefined)}${note}`);
    if (limits.length) lines.push(`${''.padEnd(22)} ${limits.join(' ')}`);
  };
  for (const [id, setting] of Object.entries(profile.rules)) {
    entry(builtinRules.get(id)!, ruleOptions(profile, id), setting.level === 'off' ? ' (off)' : '');
  }
  for (const { rule, options } of extra) entry(rule, options, ' (--rule)', true);
  return `${lines.join('\n')}\n`;
}

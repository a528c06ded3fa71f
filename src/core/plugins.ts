import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Rule } from '../contract/types.js';

function isRule(value: unknown): value is Rule<any> {
  const rule = value as Rule<any>;
  return typeof rule === 'object' && rule !== null && typeof rule.id === 'string' && typeof rule.check === 'function'
    && typeof rule.meta === 'object' && Array.isArray(rule.meta?.messageIds);
}

/**
 * Load extra rule modules (`--rule ./my-rule.js`). A module's default export is a rule or an
 * array of rules; each needs an id, meta.messageIds, meta.messages and a check function.
 */
export async function loadRuleModules(paths: string[]): Promise<Rule<any>[]> {
  const rules: Rule<any>[] = [];
  for (const path of paths) {
    let module: { default?: unknown; rules?: unknown };
    try {
      module = await import(pathToFileURL(resolve(path)).href);
    } catch (error) {
      throw new Error(`cannot load rule module ${path}: ${(error as Error).message}`);
    }
    const exported = module.default ?? module.rules;
    const candidates = Array.isArray(exported) ? exported : [exported];
    for (const candidate of candidates) {
      if (!isRule(candidate)) {
        throw new Error(`${path} does not export a rule: expected { id, meta: { messageIds, messages, defaultOptions }, check() } as its default export`);
      }
      rules.push({ ...candidate, meta: { ...candidate.meta, defaultOptions: candidate.meta.defaultOptions ?? {} } });
    }
  }
  return rules;
}

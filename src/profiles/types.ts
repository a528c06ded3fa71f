export type RuleLevel = 'error' | 'warn' | 'off';

export interface RuleSetting {
  /** 'error' (default): the rule's own statuses stand; 'warn': a fail is reported as warn; 'off': not run. */
  level?: RuleLevel;
  /** Overrides of the rule's defaultOptions. */
  options?: Record<string, unknown>;
}

export interface Profile {
  id: string;
  description: { zh: string; en: string };
  /** The standard frame every geometry rule measures in (photos of other sizes are scaled to it). */
  frame: { width: number; height: number };
  /** Rules in report order. */
  rules: Record<string, RuleSetting>;
}

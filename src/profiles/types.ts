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
  /** Where the numbers come from (notices, standards, the copies of them that could be read). */
  sources: string[];
  /**
   * How sure we are that the numbers are the standard's (research/standards.md): high (the notice itself),
   * medium (two independent copies agree), low (one copy, or old).
   */
  confidence: 'high' | 'medium' | 'low';
  /** The standard frame every geometry rule measures in (photos of other sizes are scaled to it). */
  frame: { width: number; height: number };
  /** Rules in report order. */
  rules: Record<string, RuleSetting>;
}

import type { RunResult, Verdict } from './types.js';

/** A run's files (checked, or worded for a report) with the count of each verdict. */
export function summarise<F extends { verdict: Verdict }>(profile: string, files: F[]): { profile: string; files: F[]; summary: RunResult['summary'] } {
  const count = (verdict: Verdict) => files.filter((f) => f.verdict === verdict).length;
  return { profile, files, summary: { total: files.length, pass: count('pass'), fail: count('fail'), error: count('error') } };
}

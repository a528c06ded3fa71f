import type { PhotoPictures, ReportFile, RunResult } from '../contract/types.js';

/**
 * A report format written piece by piece, as results arrive, so a run keeps only counts in memory
 * however many photos it checks: its head, one piece per file in the targets' order, its tail. The
 * whole-document formatters (formatJson, formatCsv, …) are these pieces joined, so there is one
 * implementation of each format.
 *
 * A format whose head needs what only the end knows (JUnit's totals, the HTML page's summary) says
 * `headAtEnd`: its files and tail are spooled (report/output.ts) and `head` is asked for last, then
 * written before them.
 */
export interface StreamFormat {
  headAtEnd?: boolean;
  head(summary?: RunResult['summary']): string;
  file(file: ReportFile, pictures?: PhotoPictures): string;
  tail(summary: RunResult['summary']): string;
}

/** A whole report from a stream format: what the formatters return. */
export function wholeReport(format: StreamFormat, files: readonly ReportFile[], summary: RunResult['summary'], pictures?: (file: ReportFile) => PhotoPictures | undefined): string {
  const body = files.map((file) => format.file(file, pictures?.(file))).join('') + format.tail(summary);
  return format.headAtEnd ? format.head(summary) + body : format.head() + body;
}

/** Photos per rule, for the rules that fail or warn, counted as results come (a rule counts a photo once). */
export class RuleCounts {
  readonly counts = new Map<string, number>();
  add(file: Pick<ReportFile, 'checks'>, status: string): void {
    for (const rule of new Set(file.checks.filter((c) => c.status === status).map((c) => c.rule))) this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
  }
  /** Most photos first; equal counts in the order the rules were first seen. */
  sorted(): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1]);
  }
}

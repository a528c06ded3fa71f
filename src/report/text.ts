import { Chalk, type ChalkInstance } from 'chalk';
import { counted, interpolate, uiStrings } from '../i18n/index.js';
import type { Lang, Report, ReportCheck, ReportFile, Status, Verdict } from '../contract/types.js';

export interface TextOptions {
  lang: Lang;
  color: boolean;
  /** Show passing checks too (default: yes for a single file, only problems for batches). */
  showPasses?: boolean;
  /** The profile's name in `lang`, shown beside its id in the header. */
  profileName?: string;
}

const STATUS_MARK: Record<Status, string> = { pass: '✔', warn: '▲', fail: '✖', skip: '–' };
const VERDICT_MARK: Record<Verdict, string> = { pass: '✔', fail: '✖', error: '!' };

function paint(chalk: ChalkInstance, status: Status | Verdict, text: string): string {
  switch (status) {
    case 'pass': return chalk.green(text);
    case 'warn': return chalk.yellow(text);
    case 'fail': return chalk.red(text);
    case 'error': return chalk.magenta(text);
    default: return chalk.dim(text);
  }
}

const ORDER: Record<Status, number> = { fail: 0, warn: 1, skip: 2, pass: 3 };

/**
 * Text safe to print on a terminal: control characters (escape sequences that retitle the window, move
 * the cursor or hide text), C1 controls and bidirectional overrides, as they might be in a file name,
 * are shown as escapes (\x1b, \n, \u202e) instead of acting.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = c.charCodeAt(0);
    return named[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

export function formatFile(file: ReportFile, options: TextOptions, chalk: ChalkInstance): string {
  const ui = uiStrings(options.lang);
  const lines = [`${paint(chalk, file.verdict, `${VERDICT_MARK[file.verdict]} ${ui.verdict[file.verdict]}`)}  ${chalk.bold(printable(file.path))}`];
  const shown = file.checks
    .filter((c) => options.showPasses || c.status !== 'pass')
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const width = Math.max(0, ...shown.map((c) => c.rule.length));
  for (const check of shown) {
    const label = paint(chalk, check.status, `${STATUS_MARK[check.status]} ${check.rule.padEnd(width)}`);
    lines.push(`   ${label}  ${check.status === 'pass' ? chalk.dim(printable(check.message)) : printable(check.message)}`);
  }
  return lines.join('\n');
}

/** Per rule, how many photos it gave `status` (a rule reporting several findings on one photo counts it once). */
function ruleCounts(files: ReportFile[], status: Status): string {
  const counts = new Map<string, number>();
  for (const file of files) {
    for (const rule of new Set(file.checks.filter((c) => c.status === status).map((c) => c.rule))) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule} ×${n}`).join(', ');
}

/** Verdict per file, a line per rule (measured value, expected range, what to do), and a summary. */
export function formatText(result: Report, options: TextOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const ui = uiStrings(options.lang);
  const showPasses = options.showPasses ?? result.files.length === 1;
  const blocks = [chalk.dim(interpolate(ui.header, counted({ profile: options.profileName ? `${result.profile}${options.lang === 'zh' ? `（${options.profileName}）` : ` (${options.profileName})`}` : result.profile, total: result.summary.total })))];
  for (const file of result.files) blocks.push(formatFile(file, { ...options, showPasses }, chalk));
  const summary = [chalk.bold(interpolate(ui.summary, counted(result.summary)))];
  const failing = ruleCounts(result.files, 'fail');
  const warning = ruleCounts(result.files, 'warn');
  if (failing) summary.push(`${chalk.red(ui.failingRules)} ${failing}`);
  if (warning) summary.push(`${chalk.yellow(ui.warningRules)} ${warning}`);
  blocks.push(summary.join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

export type { ReportCheck };

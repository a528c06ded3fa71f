import { Chalk, type ChalkInstance } from 'chalk';
import { counted, interpolate, uiStrings } from '../i18n/index.js';
import type { Lang, Report, ReportCheck, ReportFile, Status, Verdict } from '../contract/types.js';
import { printable } from './printable.js';
import { columns, wrapLines } from './wrap.js';
import { RuleCounts, type StreamFormat, wholeReport } from './stream.js';

export { printable };

export interface TextOptions {
  lang: Lang;
  color: boolean;
  /** Show passing checks too (default: yes for a single file, only problems for batches). */
  showPasses?: boolean;
  /** The profile's name in `lang`, shown beside its id in the header. */
  profileName?: string;
  /**
   * A terminal's width: each message wraps under itself within it, and `gradphoto fix` shows without its
   * backticks (bold in colour). Unset (a pipe or a file), a message is one line, as grep and diff want it.
   */
  columns?: number;
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

export function formatFile(file: ReportFile, options: TextOptions, chalk: ChalkInstance): string {
  const ui = uiStrings(options.lang);
  const lines = [`${paint(chalk, file.verdict, `${VERDICT_MARK[file.verdict]} ${ui.verdict[file.verdict]}`)}  ${chalk.bold(printable(file.path))}`];
  const shown = file.checks
    .filter((c) => options.showPasses || c.status !== 'pass')
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const width = Math.max(0, ...shown.map((c) => c.rule.length));
  // On a terminal: the message's lines start under its first, and a command in backticks is shown bold.
  const indent = 3 + 2 + width + 2;
  const room = options.columns ? Math.max(30, options.columns - indent - 1) : undefined;
  // A command in backticks never breaks across lines (its spaces are held as U+0001, which printable() leaves
  // out of any message, until the lines are made), and its backticks take no room on the terminal.
  const shownMessage = (text: string) => room === undefined ? [text]
    : wrapLines(text.replace(/`[^`]+`/g, (code) => code.replace(/ /g, '\u0001')), room, (part) => columns(part.replace(/`/g, '')))
      .map((line) => line.replace(/`([^`]+)`/g, (_all, code: string) => chalk.bold(code.replace(/\u0001/g, ' '))));
  for (const check of shown) {
    const label = paint(chalk, check.status, `${STATUS_MARK[check.status]} ${check.rule.padEnd(width)}`);
    const [first, ...rest] = shownMessage(printable(check.message));
    const style = (text: string) => (check.status === 'pass' ? chalk.dim(text) : text);
    lines.push(`   ${label}  ${style(first)}`, ...rest.map((line) => `${''.padEnd(indent)}${style(line)}`));
  }
  return lines.join('\n');
}

/**
 * Verdict per file, a line per rule (measured value, expected range, what to do), and a summary with the
 * photos per failing and warning rule. Written file by file as results arrive; `total` (the photos to
 * check) decides the header and whether passing checks are shown (a single file shows them).
 */
export function textStream(profile: string, total: number, options: TextOptions): StreamFormat {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const ui = uiStrings(options.lang);
  const showPasses = options.showPasses ?? total === 1;
  const failing = new RuleCounts();
  const warning = new RuleCounts();
  const listed = (counts: RuleCounts) => counts.sorted().map(([rule, n]) => `${rule} ×${n}`).join(', ');
  return {
    // The profile's id, and its name in the report's language when it has one.
    head: () => chalk.dim(interpolate(ui.header, counted({ profile: options.profileName ? `${profile}${options.lang === 'zh' ? `（${options.profileName}）` : ` (${options.profileName})`}` : profile, total }))),
    file(file) {
      failing.add(file, 'fail');
      warning.add(file, 'warn');
      return `\n\n${formatFile(file, { ...options, showPasses }, chalk)}`;
    },
    tail(summary) {
      const lines = [chalk.bold(interpolate(ui.summary, counted(summary)))];
      if (failing.counts.size > 0) lines.push(`${chalk.red(ui.failingRules)} ${listed(failing)}`);
      if (warning.counts.size > 0) lines.push(`${chalk.yellow(ui.warningRules)} ${listed(warning)}`);
      return `\n\n${lines.join('\n')}\n`;
    },
  };
}

/** The whole text report at once (textStream's pieces joined). */
export function formatText(result: Report, options: TextOptions): string {
  return wholeReport(textStream(result.profile, result.summary.total, options), result.files, result.summary);
}

export type { ReportCheck };

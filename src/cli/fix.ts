import { mkdir, stat } from 'node:fs/promises';
import { Chalk } from 'chalk';
import { discover } from '../core/discover.js';
import { checkFile, resolveRules, type ActiveRule } from '../core/run.js';
import type { FileResult, Lang } from '../core/types.js';
import { fixPhoto, type BackgroundMode } from '../fix/index.js';
import { outputPathIn, writeAtomic, WriteRefusal } from '../fix/write.js';
import { interpolate, messageTemplate, uiStrings } from '../i18n/index.js';
import type { Profile } from '../profiles/types.js';
import { formatFile } from '../report/text.js';
import { builtinRules } from '../rules/index.js';

export interface FixFlags {
  out?: string;
  output?: string;
  background: BackgroundMode;
  force?: boolean;
  format: 'text' | 'json';
}

export interface FixEntry {
  input: string;
  output: string | null;
  status: 'fixed' | 'unchanged' | 'refused';
  messageId: string;
  message: string;
  quality?: number;
  encodes?: number;
  bytes?: number;
  check?: FileResult;
}

export class FixUsageError extends Error {}

/** `gradphoto fix`: fix each photo into --out (or -o for one), then check what was written. */
export async function runFix(paths: string[], flags: FixFlags, profile: Profile, lang: Lang, colour: boolean): Promise<number> {
  if (!flags.out && !flags.output) throw new FixUsageError('fix needs --out <dir> (or -o <file> for one photo)');
  if (flags.out && flags.output) throw new FixUsageError('use either --out <dir> or -o <file>, not both');
  const targets = await discover(paths);
  if (flags.output && targets.length !== 1) throw new FixUsageError(`-o takes one photo; ${targets.length} were given (use --out <dir>)`);
  if (flags.out) {
    await mkdir(flags.out, { recursive: true });
    if (!(await stat(flags.out)).isDirectory()) throw new FixUsageError(`--out ${flags.out} is not a folder`);
  }
  const ui = uiStrings(lang).fix;
  const decodeRule = builtinRules.get('file.decode');
  const rules: ActiveRule[] = resolveRules(profile, builtinRules);
  const inputs = targets.map((t) => t.path);
  const entries: FixEntry[] = [];
  const planned = new Set<string>();
  for (const target of targets) {
    const refuse = (messageId: string, data: Record<string, string | number>) => {
      // A file that cannot be read or decoded: say why in file.decode's words (HEIC export steps and so on).
      const decodeTemplate = (messageId === 'unreadable' || messageId === 'undecodable') && decodeRule
        ? messageTemplate(lang, decodeRule, String(data.reason)) : undefined;
      const reason = decodeTemplate ? interpolate(decodeTemplate, { path: target.path, format: '?', ...data })
        : interpolate(ui[messageId as keyof typeof ui] ?? messageId, data);
      entries.push({ input: target.path, output: null, status: 'refused', messageId, message: interpolate(ui.refused, { reason }) });
    };
    if ('failure' in target) { refuse('unreadable', { reason: target.failure.messageId }); continue; }
    let output = flags.output ?? outputPathIn(flags.out!, target.path);
    // Two inputs with the same name in one run: number the second rather than overwrite the first.
    for (let n = 2; planned.has(output); n++) output = outputPathIn(flags.out!, target.path).replace(/\.jpg$/, `-${n}.jpg`);
    planned.add(output);
    const outcome = await fixPhoto(target.path, { profile, background: flags.background })
      .catch((error: Error) => ({ messageId: 'internal', data: { reason: error.message.split('\n')[0] } }));
    if ('messageId' in outcome) { refuse(outcome.messageId, outcome.data); continue; }
    try {
      await writeAtomic(output, outcome.jpeg, { force: Boolean(flags.force), inputs, root: flags.out });
    } catch (error) {
      if (error instanceof WriteRefusal) { refuse(error.messageId, { path: error.path }); continue; }
      throw error;
    }
    const check = await checkFile(output, rules, { lang, frame: profile.frame });
    const data = {
      output, kb: (outcome.jpeg.length / 1024).toFixed(1), quality: outcome.fit.quality, encodes: outcome.fit.encodes,
      steps: outcome.steps.join(' → '),
    };
    entries.push({
      input: target.path, output, status: outcome.unchanged ? 'unchanged' : 'fixed',
      messageId: outcome.unchanged ? 'unchanged' : 'fixed',
      message: interpolate(outcome.unchanged ? ui.unchanged : ui.fixed, data),
      quality: outcome.fit.quality, encodes: outcome.fit.encodes, bytes: outcome.jpeg.length, check,
    });
  }

  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify({ profile: profile.id, files: entries }, null, 2)}\n`);
  } else {
    const chalk = new Chalk({ level: colour ? 1 : 0 });
    const blocks = entries.map((entry) => {
      const head = entry.status === 'refused' ? chalk.red(`✖ ${entry.input}`) : chalk.green(`✔ ${entry.input}`);
      const lines = [`${head}\n   ${entry.message}`];
      if (entry.check) {
        lines.push(`   ${interpolate(ui.checkAfter, { verdict: uiStrings(lang).verdict[entry.check.verdict] })}`);
        lines.push(formatFile(entry.check, { lang, color: colour, showPasses: false }, chalk).split('\n').map((l) => `   ${l}`).join('\n'));
      }
      return lines.join('\n');
    });
    process.stdout.write(`${blocks.join('\n\n')}\n`);
  }
  const ok = entries.every((e) => e.status !== 'refused' && e.check?.verdict === 'pass');
  return ok ? 0 : 1;
}

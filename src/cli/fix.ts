import { mkdir, stat } from 'node:fs/promises';
import { Chalk } from 'chalk';
import { discover, fsPathOf } from '../core/discover.js';
import { loadPhotoBytes } from '../core/load.js';
import { describeThrown } from '../core/rule.js';
import { checkFile, resolveRules, type ActiveRule } from '../core/run.js';
import type { FileResult, Lang } from '../core/types.js';
import { fixPhoto, type BackgroundMode } from '../fix/index.js';
import { judgeFix } from '../fix/verdict.js';
import { outputPathIn, writeAtomic, WriteRefusal } from '../fix/write.js';
import { interpolate, localiseWords, messageTemplate, uiStrings } from '../i18n/index.js';
import type { Profile } from '../profiles/types.js';
import { formatFile, printable } from '../report/text.js';
import { onInterrupt } from './interrupt.js';
import { builtinRules } from '../rules/index.js';

export interface FixFlags {
  out?: string;
  output?: string;
  background: BackgroundMode;
  force?: boolean;
  /** Also write results whose re-check fails on what fix should mend, named <stem>-not-fixed.jpg. */
  keepFailed?: boolean;
  format: 'text' | 'json';
}

export interface FixEntry {
  input: string;
  output: string | null;
  /** fixed: the result passes every rule fix is responsible for; notFixed: it does not (written only with --keep-failed). */
  status: 'fixed' | 'unchanged' | 'notFixed' | 'refused';
  messageId: string;
  message: string;
  quality?: number;
  encodes?: number;
  bytes?: number;
  check?: FileResult;
  /** Failing rules fix should have mended (status notFixed), and failing rules that need a new photo. */
  notMended?: string[];
  retake?: string[];
}

type UiSteps = ReturnType<typeof uiStrings>['fixSteps'];

export class FixUsageError extends Error {}

/** `gradphoto fix`: fix each photo into --out (or -o for one), then check what was written. */
export async function runFix(paths: string[], flags: FixFlags, profile: Profile, lang: Lang, colour: boolean): Promise<number> {
  if (!flags.out && !flags.output) throw new FixUsageError('fix needs --out <dir> (or -o <file> for one photo)');
  if (flags.out && flags.output) throw new FixUsageError('use either --out <dir> or -o <file>, not both');
  // The --out folder inside an input folder holds this tool's outputs, not photos to fix again.
  const targets = await discover(paths, { skip: flags.out ? [flags.out] : [] });
  if (flags.output && targets.length !== 1) throw new FixUsageError(`-o takes one photo; ${targets.length} were given (use --out <dir>)`);
  if (flags.out) {
    await mkdir(flags.out, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new FixUsageError(`cannot create the --out folder ${flags.out} (${error.code ?? error.message})`);
    });
    if (!(await stat(flags.out)).isDirectory()) throw new FixUsageError(`--out ${flags.out} is not a folder`);
  }
  const ui = uiStrings(lang).fix;
  const decodeRule = builtinRules.get('file.decode');
  const rules: ActiveRule[] = resolveRules(profile, builtinRules);
  const inputs = targets.map((t) => t.path);
  const entries: FixEntry[] = [];
  const planned = new Set<string>();
  const interruptedSummary = () => interpolate(uiStrings(lang).interrupted.fix, {
    done: entries.length, total: targets.length, written: entries.filter((e) => e.output).length, dir: flags.out ?? flags.output!,
  });
  const interruption = onInterrupt(interruptedSummary, uiStrings(lang).interrupted.stopping);
  for (const target of targets) {
    if (interruption.signal.aborted) break; // Ctrl-C: the photo under way is finished, no other is started
    const refuse = (messageId: string, data: Record<string, string | number>) => {
      // A file that cannot be read or decoded: say why in file.decode's words (HEIC export steps and so on).
      const decodeTemplate = (messageId === 'unreadable' || messageId === 'undecodable') && decodeRule
        ? messageTemplate(lang, decodeRule, String(data.reason)) : undefined;
      const reason = decodeTemplate ? interpolate(decodeTemplate, { path: target.path, format: '?', ...data })
        : interpolate(ui[messageId as keyof typeof ui] as string ?? messageId, localiseWords(lang, data));
      entries.push({ input: target.path, output: null, status: 'refused', messageId, message: interpolate(ui.refused, { reason }) });
    };
    if ('failure' in target) { refuse('unreadable', { reason: target.failure.messageId }); continue; }
    let output = flags.output ?? outputPathIn(flags.out!, target.path);
    // Two inputs with the same name in one run: number the second rather than overwrite the first.
    for (let n = 2; planned.has(output); n++) output = outputPathIn(flags.out!, target.path).replace(/\.jpg$/, `-${n}.jpg`);
    planned.add(output);
    const outcome = await fixPhoto(target.path, { profile, background: flags.background, source: fsPathOf(target) })
      .catch((error: unknown) => ({ messageId: 'internal', data: { reason: describeThrown(error).split('\n')[0] } }));
    if ('messageId' in outcome) { refuse(outcome.messageId, outcome.data); continue; }
    // Check the result before it is written: a photo fix could not mend is not handed over as fixed.
    // Checked from memory: a full disk or temporary folder cannot stop it.
    const check: FileResult = await checkFile(output, rules, { lang, frame: profile.frame, loading: loadPhotoBytes(output, outcome.jpeg) });
    const judgement = judgeFix(check, { backgroundKept: flags.background === 'keep' });
    if (!judgement.fixed && !outcome.unchanged) {
      if (flags.keepFailed) output = output.replace(/(\.jpe?g)?$/i, '-not-fixed.jpg');
      else output = '';
    }
    if (output) {
      try {
        await writeAtomic(output, outcome.jpeg, { force: Boolean(flags.force), inputs, root: flags.out });
      } catch (error) {
        if (error instanceof WriteRefusal) { refuse(error.messageId, { path: error.path }); continue; }
        // A full disk, a file size limit, a folder gone or not writable: this photo is not written; the batch goes on.
        const code = (error as NodeJS.ErrnoException).code ?? '';
        const reasons: Record<string, string> = uiStrings(lang).writeReasons;
        refuse('writeFailed', { path: output, reason: reasons[code] ?? (code || describeThrown(error)) });
        continue;
      }
      check.path = output;
    }
    const data = {
      output: output || '-', kb: (outcome.jpeg.length / 1024).toFixed(1), quality: outcome.fit.quality, encodes: outcome.fit.encodes,
      steps: outcome.steps.map((step) => uiStrings(lang).fixSteps[step as keyof UiSteps] ?? step).join(' → '),
      rules: judgement.notMended.join(', '),
    };
    const status: FixEntry['status'] = outcome.unchanged ? 'unchanged' : judgement.fixed ? 'fixed' : 'notFixed';
    const messageId = status === 'notFixed' ? (output ? 'notFixedKept' : 'notFixed') : status;
    entries.push({
      input: target.path, output: output || null, status, messageId,
      message: interpolate(ui[messageId as 'fixed'], data),
      quality: outcome.fit.quality, encodes: outcome.fit.encodes, bytes: outcome.jpeg.length, check,
      notMended: judgement.notMended, retake: judgement.retake,
    });
  }

  interruption.off();
  if (interruption.signal.aborted) {
    process.stderr.write(`gradphoto: ${interruptedSummary()}\n`);
    return 130;
  }
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify({ profile: profile.id, files: entries }, null, 2)}\n`);
  } else {
    const chalk = new Chalk({ level: colour ? 1 : 0 });
    const blocks = entries.map((entry) => {
      // ✔ only for a result that passes its re-check; ✖ for refusals and results fix could not mend.
      const passed = entry.check?.verdict === 'pass';
      const input = printable(entry.input);
      const head = entry.status === 'refused' || entry.status === 'notFixed' ? chalk.red(`✖ ${input}`)
        : passed ? chalk.green(`✔ ${input}`) : chalk.yellow(`▲ ${input}`);
      const lines = [`${head}\n   ${printable(entry.message)}`];
      if (entry.retake?.length) {
        const names = entry.retake.map((id) => builtinRules.get(id)?.meta.description[lang] ?? id);
        lines.push(`   ${interpolate(ui.retake, { rules: names.join(lang === 'zh' ? '、' : '; ') })}`);
      }
      if (entry.check) {
        lines.push(`   ${interpolate(ui.checkAfter, { verdict: uiStrings(lang).verdict[entry.check.verdict] })}`);
        lines.push(formatFile(entry.check, { lang, color: colour, showPasses: false }, chalk).split('\n').map((l) => `   ${l}`).join('\n'));
      }
      return lines.join('\n');
    });
    process.stdout.write(`${blocks.join('\n\n')}\n`);
  }
  const ok = entries.every((e) => (e.status === 'fixed' || e.status === 'unchanged') && e.check?.verdict === 'pass');
  return ok ? 0 : 1;
}

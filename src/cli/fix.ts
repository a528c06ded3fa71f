import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Chalk } from 'chalk';
import { discover, fsPathOf } from '../batch/discover.js';
import { DEFAULT_LIMITS, loadPhoto } from '../core/load.js';
import { describeThrown } from '../contract/rule.js';
import { matchRoster, readRoster } from '../roster/roster.js';
import { pathsInFolders } from './labels.js';
import { resolveRules, type ActiveRule } from '../core/run.js';
import type { Lang, ReportFile } from '../contract/types.js';
import type { BackgroundMode } from '../fix/index.js';
import { fixAndCheck, type CheckedFix } from '../fix/verdict.js';
import { outputPathIn, writeAtomic, WriteRefusal } from '../fix/write.js';
import { interpolate, ruleName, uiStrings } from '../i18n/index.js';
import type { Profile } from '../profiles/types.js';
import { refusalMessage } from '../report/fix-refusal.js';
import { reviewMessage } from '../report/fix-review.js';
import { localiseFile, ruleDescription } from '../report/localise.js';
import { formatFile, printable } from '../report/text.js';
import { onInterrupt } from './interrupt.js';
import { builtinRules } from '../rules/index.js';
import { processIo, type CliIo } from './io.js';

export interface FixFlags {
  /** -o, --out <file>: the fixed photo, for one input (as check's -o names its report). */
  out?: string;
  /** --out-dir <dir>: a folder for the fixed photos of any number of inputs. */
  outDir?: string;
  background: BackgroundMode;
  force?: boolean;
  /** Also write results whose re-check fails on what fix should mend, named <stem>-not-fixed.jpg. */
  keepFailed?: boolean;
  format: 'text' | 'json';
  /** --roster <file> and --name-by <column>: name each fixed photo by its student's 学号, 身份证号 or 姓名. */
  roster?: string;
  nameBy?: string;
}

/** --name-by's columns, by their roster headings (Chinese or English). */
const NAME_BY: Record<string, 'studentId' | 'idNumber' | 'name'> = {
  学号: 'studentId', studentid: 'studentId', 身份证号: 'idNumber', idnumber: 'idNumber', 姓名: 'name', name: 'name',
};

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
  check?: ReportFile;
  /** Failing rules fix should have mended (status notFixed), and failing rules that need a new photo. */
  notMended?: string[];
  retake?: string[];
  /** Why to look at the result before uploading it although it passes (a busy old background beside the person). */
  review?: { messageId: string; message: string };
}

type UiSteps = ReturnType<typeof uiStrings>['fixSteps'];

export class FixUsageError extends Error {}

/** `gradphoto fix`: fix each photo into --out-dir (or -o for one), then check what was written. */
export async function runFix(paths: string[], flags: FixFlags, profile: Profile, lang: Lang, colour: boolean, io: CliIo = processIo()): Promise<number> {
  const { usage } = uiStrings(lang);
  if (!flags.out && !flags.outDir) throw new FixUsageError(usage.fixNeedsOut);
  if (flags.out && flags.outDir) throw new FixUsageError(usage.fixBothOut);
  const outInfo = flags.out ? await stat(flags.out).catch(() => undefined) : undefined;
  if (outInfo?.isDirectory()) throw new FixUsageError(interpolate(usage.outIsFolder, { path: flags.out! }));
  const dirInfo = flags.outDir ? await stat(flags.outDir).catch(() => undefined) : undefined;
  if (flags.outDir && !dirInfo && /\.jpe?g$/i.test(flags.outDir)) {
    // `fix a.jpg --out-dir x.jpg` would make a folder named like a photo: almost surely meant -o.
    throw new FixUsageError(interpolate(usage.outDirLooksLikeFile, { path: flags.outDir }));
  }
  if (dirInfo && !dirInfo.isDirectory()) throw new FixUsageError(interpolate(usage.outDirIsFile, { path: flags.outDir! }));
  const column = flags.nameBy === undefined ? undefined : NAME_BY[flags.nameBy.toLowerCase()];
  if (flags.nameBy !== undefined && !column) throw new FixUsageError(interpolate(usage.nameByValue, { value: flags.nameBy! }));
  if (column && !flags.roster) throw new FixUsageError(usage.nameByNeedsRoster);
  if (column && !flags.outDir) throw new FixUsageError(usage.nameByNeedsOutDir);
  const students = flags.roster ? await readRoster(flags.roster).catch((error: Error) => { throw new FixUsageError(error.message); }) : undefined;
  // The --out-dir folder inside an input folder holds this tool's outputs, not photos to fix again.
  const targets = await discover(paths, { skip: flags.outDir ? [flags.outDir] : [], stdin: io.stdin });
  if (flags.out && targets.length !== 1) throw new FixUsageError(interpolate(usage.outTakesOne, { count: targets.length }));
  if (flags.outDir) {
    await mkdir(flags.outDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new FixUsageError(interpolate(usage.outDirCannotCreate, { path: flags.outDir!, reason: error.code ?? error.message }));
    });
  }
  const ui = uiStrings(lang).fix;
  const rules: ActiveRule[] = resolveRules(profile, builtinRules);
  const inputs = targets.map((t) => t.path);
  const inFolder = await pathsInFolders(paths, inputs);
  const roster = students ? matchRoster(students, targets.filter((t) => !('failure' in t)).map((t) => t.path)) : undefined;
  const studentOf = new Map(roster?.assignments.map(({ photo, student }) => [photo, student]) ?? []);
  const photosOf = new Map(roster?.duplicatePhotos.map(({ student, photos }) => [student, photos]) ?? []);
  const entries: FixEntry[] = [];
  const planned = new Set<string>();
  const interruptedSummary = () => interpolate(uiStrings(lang).interrupted.fix, {
    done: entries.length, total: targets.length, written: entries.filter((e) => e.output).length, dir: flags.outDir ?? flags.out!,
  });
  const interruption = onInterrupt(interruptedSummary, uiStrings(lang).interrupted.stopping, io.stderr);
  try {
    for (const target of targets) {
      if (interruption.signal.aborted) break; // Ctrl-C: the photo under way is finished, no other is started
      const refuse = (messageId: string, data: Record<string, string | number>) => {
        entries.push({ input: target.path, output: null, status: 'refused', messageId, message: refusalMessage(lang, messageId, data, target.path) });
      };
      if ('failure' in target) { refuse('unreadable', { reason: target.failure.messageId }); continue; }
      // Under --out-dir a photo keeps its subfolders: class/甲班/照片.jpg -> fixed/甲班/照片.jpg; with --name-by
      // it is named by its student's number, all in one folder, as batch uploads want (fixed/110105194912310021.jpg).
      let name = inFolder.get(target.path) ?? basename(target.path);
      if (column) {
        const student = studentOf.get(target.path);
        const heading = flags.nameBy!;
        if (!student) { refuse('notOnRoster', { column: heading }); continue; }
        const several = photosOf.get(student);
        if (several) { refuse('severalPhotos', { photos: several.join(', ') }); continue; }
        const key = student[column];
        if (!key) { refuse('noKeyValue', { column: heading, line: student.line }); continue; }
        name = `${key}.jpg`;
      }
      let output = flags.out ?? outputPathIn(flags.outDir!, name);
      // Two inputs with the same name in one run: number the second rather than overwrite the first.
      for (let n = 2; planned.has(output); n++) output = outputPathIn(flags.outDir!, name).replace(/\.jpg$/, `-${n}.jpg`);
      planned.add(output);
      // The result is checked before it is written, from memory (a full disk cannot stop it): a photo fix
      // could not mend is not handed over as fixed.
      const made = await fixAndCheck(await loadPhoto(target.path, DEFAULT_LIMITS, fsPathOf(target)), output, { profile, background: flags.background, rules })
        .catch((error: unknown): CheckedFix => ({ status: 'refused', refusal: { messageId: 'internal', data: { reason: describeThrown(error).split('\n')[0] } } }));
      if (made.status === 'refused') { refuse(made.refusal!.messageId, made.refusal!.data); continue; }
      const outcome = made.outcome!; const check = made.check!; const judgement = made.judgement!;
      if (!judgement.fixed && !outcome.unchanged) {
        if (flags.keepFailed) output = output.replace(/(\.jpe?g)?$/i, '-not-fixed.jpg');
        else output = '';
      }
      if (output) {
        try {
          // A photo's subfolder under --out-dir is made as needed; the --out-dir folder itself is not made
          // again if it went away during the run (that is a failed write, reported below).
          if (flags.outDir && await stat(flags.outDir).then((info) => info.isDirectory(), () => false)) await mkdir(dirname(output), { recursive: true });
          await writeAtomic(output, outcome.jpeg, { force: Boolean(flags.force), inputs, root: flags.outDir });
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
        rules: judgement.notMended.map((id) => ruleName(lang, id)).join(lang === 'zh' ? '、' : ', '),
      };
      const { status } = made;
      const messageId = status === 'notFixed' ? (output ? 'notFixedKept' : 'notFixed') : status;
      entries.push({
        input: target.path, output: output || null, status, messageId,
        message: interpolate(ui[messageId as 'fixed'], data),
        quality: outcome.fit.quality, encodes: outcome.fit.encodes, bytes: outcome.jpeg.length, check: localiseFile(check, { lang, profile }),
        notMended: judgement.notMended, retake: judgement.retake,
        ...(outcome.review && { review: reviewMessage(lang, outcome.review) }),
      });
    }
  } finally {
    interruption.off(); // also when a photo's load throws: no SIGINT listener outlives the run
  }
  if (interruption.signal.aborted) {
    io.stderr.write(`gradphoto: ${interruptedSummary()}\n`);
    return 130;
  }
  if (flags.format === 'json') {
    io.stdout.write(`${JSON.stringify({ profile: profile.id, files: entries }, null, 2)}\n`);
  } else {
    const chalk = new Chalk({ level: colour ? 1 : 0 });
    const blocks = entries.map((entry) => {
      // ✔ only for a result that passes its re-check and needs no second look; ⚠ for one that passes but
      // was cut from a busy background; ✖ for refusals and results fix could not mend.
      const passed = entry.check?.verdict === 'pass';
      const input = printable(entry.input);
      const head = entry.status === 'refused' || entry.status === 'notFixed' ? chalk.red(`✖ ${input}`)
        : passed && entry.review ? chalk.yellow(`⚠ ${input}`) : passed ? chalk.green(`✔ ${input}`) : chalk.yellow(`▲ ${input}`);
      const lines = [`${head}\n   ${printable(entry.message)}`];
      if (entry.review) lines.push(`   ${chalk.yellow(printable(entry.review.message))}`);
      if (entry.retake?.length) {
        const names = entry.retake.map((id) => { const rule = builtinRules.get(id); return rule ? ruleDescription(rule, lang, profile) : id; });
        lines.push(`   ${interpolate(ui.retake, { rules: names.join(lang === 'zh' ? '、' : '; ') })}`);
      }
      if (entry.check) {
        lines.push(`   ${interpolate(ui.checkAfter, { verdict: uiStrings(lang).verdict[entry.check.verdict] })}`);
        lines.push(formatFile(entry.check, { lang, color: colour, showPasses: false }, chalk).split('\n').map((l) => `   ${l}`).join('\n'));
      }
      return lines.join('\n');
    });
    io.stdout.write(`${blocks.join('\n\n')}\n`);
  }
  if (targets.some((t) => 'failure' in t && t.failure.messageId === 'notFound' && paths.includes(t.path))) return 2; // a path that does not exist
  const ok = entries.every((e) => (e.status === 'fixed' || e.status === 'unchanged') && e.check?.verdict === 'pass');
  return ok ? 0 : 1;
}

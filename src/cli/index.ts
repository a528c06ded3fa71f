import { Command, CommanderError, Option } from 'commander';
import { discover } from '../core/discover.js';
import type { FixFlags } from './fix.js';
import { loadRuleModules } from '../core/plugins.js';
import { resolveRules, summarise } from '../core/run.js';
import { checkAll, PoolError } from '../core/pool.js';
import { writeAtomic } from '../fix/write.js';
import { formatCsv } from '../report/csv.js';
import { formatHtml } from '../report/html.js';
import { formatJunit } from '../report/junit.js';
import { formatRosterText } from '../report/roster.js';
import { matchRoster, readRoster, type RosterReport } from '../roster/roster.js';
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { askedEngine, engine } from '../analysis/face-model.js';
import { measureAdmission, type AdmissionReference } from '../rules/admission-different.js';
import { resolve as resolvePath } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { FileResult, Lang, RunResult } from '../core/types.js';
import { interpolate, pickLang, uiStrings } from '../i18n/index.js';
import { DEFAULT_PROFILE, profiles } from '../profiles/index.js';
import { formatJson } from '../report/json.js';
import { formatText, printable } from '../report/text.js';
import { onInterrupt } from './interrupt.js';
import { builtinRules } from '../rules/index.js';

export const EXIT = { ok: 0, problems: 1, usage: 2, interrupted: 130 } as const;

interface CheckFlags {
  format: 'text' | 'json' | 'csv' | 'junit' | 'html';
  out?: string;
  lang?: string;
  profile: string;
  rule: string[];
  disable: string[];
  color?: boolean;
  verbose?: boolean;
  concurrency?: string;
  annotate?: string;
  roster?: string;
  admissionPhoto?: string;
}

/** Whether to colour: never when NO_COLOR is set or stdout is not a terminal; FORCE_COLOR forces it. */
export function useColour(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout, env = process.env): boolean {
  if (flag === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

async function runCheck(paths: string[], flags: CheckFlags): Promise<number> {
  const lang: Lang = pickLang(flags.lang);
  const profile = profiles.get(flags.profile);
  if (!profile) throw new UsageError(`unknown profile "${flags.profile}" (known: ${[...profiles.keys()].join(', ')})`);
  const concurrency = Number(flags.concurrency ?? availableParallelism());
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency takes a whole number of at least 1, not "${flags.concurrency}"`);
  if (flags.format === 'html' && !flags.out) throw new UsageError('--format html needs --out report.html');
  await checkEngine();
  // Validate rule modules and --disable here, once, so a mistake is a usage error before any work.
  const extra = await loadRuleModules(flags.rule).catch((error: Error) => { throw new UsageError(error.message); });
  try {
    resolveRules(profile, builtinRules, extra, flags.disable);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // Read the roster now: a wrong path is a usage mistake to hear about before the photos are checked.
  const students = flags.roster ? await readRoster(flags.roster).catch((error: Error) => { throw new UsageError(error.message); }) : undefined;
  if (flags.annotate) {
    await mkdir(flags.annotate, { recursive: true }).catch((error: Error) => { throw new UsageError(`cannot create --annotate folder ${flags.annotate}: ${error.message}`); });
  }

  const admission = flags.admissionPhoto ? await admissionReferences(flags.admissionPhoto) : undefined;
  // The --annotate folder inside an input folder holds this tool's PNGs, not photos to check.
  const targets = await discover(paths, { skip: flags.annotate ? [flags.annotate] : [] });
  const progress = progressBar(targets.length);
  let checked = 0;
  const interruptedSummary = () => interpolate(uiStrings(lang).interrupted.check, { done: checked, total: targets.length })
    + (flags.annotate ? ` ${interpolate(uiStrings(lang).interrupted.annotations, { dir: flags.annotate })}` : '');
  const interruption = onInterrupt(interruptedSummary, uiStrings(lang).interrupted.stopping);
  const { results: files, pictures, warnings } = await checkAll(targets, {
    profileId: profile.id, lang, rulePaths: flags.rule.map((p) => resolvePath(p)), disabled: flags.disable,
    pictures: flags.format === 'html', annotateDir: flags.annotate, admission,
  }, { concurrency, signal: interruption.signal, onProgress: (done, total, result) => { checked = done; progress.update(done, total, result); } });
  interruption.off();
  progress.done();
  if (interruption.signal.aborted) {
    process.stderr.write(`gradphoto: ${interruptedSummary()}\n`);
    return EXIT.interrupted;
  }
  for (const warning of warnings) process.stderr.write(`gradphoto: ${printable(warning)}\n`);

  const result: RunResult = summarise(profile.id, files);
  let roster: RosterReport | undefined;
  if (students) roster = matchRoster(students, targets.filter((t) => !('failure' in t)).map((t) => t.path));
  const rosterProblems = roster ? roster.missing.length + roster.unmatched.length + roster.duplicatePhotos.length + roster.badIdNumbers.length : 0;
  const code = result.summary.fail + result.summary.error + rosterProblems > 0 ? EXIT.problems : EXIT.ok;
  const output = flags.format === 'json' ? formatJson(result, roster)
    : flags.format === 'csv' ? formatCsv(result, lang, roster)
    : flags.format === 'junit' ? formatJunit(result)
    : flags.format === 'html' ? formatHtml(result, lang, pictures, roster)
    : formatText(result, { lang, color: !flags.out && useColour(flags.color), showPasses: flags.verbose ? true : undefined })
      + (roster ? formatRosterText(roster, lang) : '');
  if (flags.out) {
    await writeAtomic(flags.out, Buffer.from(output), { force: true, inputs: targets.map((t) => t.path) }).catch((error: Error) => {
      throw new UsageError(`cannot write ${flags.out}: ${error.message}`);
    });
    process.stderr.write(`gradphoto: ${interpolate(uiStrings(lang).summary, result.summary)} → ${flags.out}\n`);
  } else {
    exitIfReaderLeaves = code;
    process.stdout.write(output);
  }
  return code;
}

/**
 * GRADPHOTO_ENGINE set wrong (or to an engine not installed) is a usage mistake: say so once, up front.
 * onnxruntime-node is imported here only when it is asked for by name: the main thread of a batch runs
 * no model, and its import would delay the worker threads' start by about 50 ms.
 */
async function checkEngine(): Promise<void> {
  try {
    if (askedEngine() === 'onnxruntime') await engine();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The admission photo(s): one file for every photo (measured here, once: a bad one is a usage mistake),
 * or a folder matched by file name (each measured by the thread that checks its student's photo).
 */
async function admissionReferences(path: string): Promise<Record<string, AdmissionReference>> {
  const isFolder = await stat(path).then((info) => info.isDirectory(), () => false);
  if (!isFolder) {
    const found = await measureAdmission(path);
    if ('signature' in found) return { '*': { ...found.signature, path } };
    if (found.messageId === 'referenceNoFace') throw new UsageError(`--admission-photo ${path}: no single face found`);
    throw new UsageError(found.readable ? `--admission-photo ${path} cannot be decoded (${found.reason})` : `--admission-photo ${path}: ${found.reason}`);
  }
  const references: Record<string, AdmissionReference> = {};
  for (const target of await discover([path])) {
    if ('failure' in target) throw new UsageError(`--admission-photo ${target.path}: ${target.failure.messageId}`);
    const stem = basename(target.path, extname(target.path));
    const taken = references[stem];
    if (taken) {
      process.stderr.write(`gradphoto: --admission-photo has two photos for ${stem} (${taken.path}, ${target.path}); comparing with the first\n`);
      continue;
    }
    references[stem] = { path: target.path };
  }
  return references;
}

/** A one-line progress bar on stderr, only on a terminal (never in pipes or CI). */
function progressBar(total: number): { update: (done: number, total: number, result: FileResult) => void; done: () => void } {
  const stream = process.stderr;
  if (!stream.isTTY || process.env.CI || total < 2) return { update: () => undefined, done: () => undefined };
  let failed = 0; let errors = 0; let last = 0;
  return {
    update: (done, all, result) => {
      if (result.verdict === 'fail') failed++;
      if (result.verdict === 'error') errors++;
      const now = Date.now();
      if (now - last < 80 && done < all) return;
      last = now;
      const width = 30;
      const filled = Math.round((done / all) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${all}  fail ${failed}  error ${errors}`);
    },
    done: () => stream.write('\r\u001b[2K'),
  };
}

class UsageError extends Error {}

export function buildProgram(): Command {
  const program = new Command('gradphoto')
    .description('Check diploma photos against the national graduate photo standard before upload, and fix what can be fixed.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();

  program.command('check')
    .description('check photos (files or folders) against the profile\'s rules')
    .argument('<paths...>', 'photo files or folders of photos')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json', 'csv', 'junit', 'html']).default('text'))
    .option('-o, --out <file>', 'write the report to this file instead of the screen (needed for html)')
    .addOption(new Option('--lang <lang>', 'message language (default: zh, or en when LANG starts with en)').choices(['zh', 'en']))
    .option('-p, --profile <id>', 'standard to check against', DEFAULT_PROFILE)
    .option('-r, --rule <file>', 'load an extra rule module (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('-d, --disable <ids>', 'turn rules off, comma-separated (e.g. face.glasses for a centre that allows them)', (value: string, all: string[]) => [...all, ...value.split(',').map((id) => id.trim()).filter(Boolean)], [] as string[])
    .option('-v, --verbose', 'list passing checks in batches too')
    .option('-j, --concurrency <n>', 'photos checked at once, each in its own thread (default and most: the number of cores)')
    .option('--admission-photo <file|dir>', 'fail photos that are the admission photo again (a folder is matched by file name)')
    .option('--roster <file>', 'class roster (CSV with 学号/身份证号/姓名 columns, UTF-8 or GBK): report students without photos and photos matching nobody')
    .option('--annotate <dir>', 'write a PNG per photo with the face box, landmarks and allowed bands drawn on it')
    .option('--no-color', 'no colour in the text report')
    .action(async function (this: Command, paths: string[]) {
      this.setOptionValue('exitCode', await runCheck(paths, this.opts<CheckFlags>()));
    });

  program.command('rules')
    .description('list the rules of a profile with what each checks and its limits')
    .addOption(new Option('--lang <lang>', 'message language').choices(['zh', 'en']))
    .option('-p, --profile <id>', 'profile', DEFAULT_PROFILE)
    .action(function (this: Command) {
      const flags = this.opts<{ lang?: string; profile: string }>();
      const profile = profiles.get(flags.profile);
      if (!profile) throw new UsageError(`unknown profile "${flags.profile}"`);
      const lang = pickLang(flags.lang);
      const lines = [`${profile.id}: ${profile.description[lang]}`, ''];
      for (const [id, setting] of Object.entries(profile.rules)) {
        const rule = builtinRules.get(id)!;
        const options = { ...rule.meta.defaultOptions, ...setting.options };
        const limits = Object.entries(options).filter(([, v]) => typeof v === 'number' || (Array.isArray(v) && v.length <= 3)).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : v}`);
        lines.push(`${id.padEnd(22)} ${rule.meta.description[lang]}${setting.level === 'off' ? ' (off)' : ''}`);
        if (limits.length) lines.push(`${''.padEnd(22)} ${limits.join(' ')}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      this.setOptionValue('exitCode', EXIT.ok);
    });

  program.command('fix')
    .description('crop, recolour and re-encode photos so they meet the standard (never touches the inputs)')
    .argument('<paths...>', 'photo files or folders of photos')
    .option('--out <dir>', 'folder to write the fixed photos into')
    .option('-o, --output <file>', 'output file, for a single photo')
    .addOption(new Option('--background <mode>', 'replace a plain background with the standard blue, or keep it').choices(['blue', 'keep']).default('blue'))
    .option('--force', 'replace existing output files (never an input)')
    .option('--keep-failed', 'also write results that still fail what fix should mend, named <name>-not-fixed.jpg')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', 'message language').choices(['zh', 'en']))
    .option('-p, --profile <id>', 'standard to fix for', DEFAULT_PROFILE)
    .option('--no-color', 'no colour in the text report')
    .action(async function (this: Command, paths: string[]) {
      const flags = this.opts<FixFlags & { lang?: string; profile: string; color?: boolean }>();
      const profile = profiles.get(flags.profile);
      if (!profile) throw new UsageError(`unknown profile "${flags.profile}"`);
      await checkEngine();
      const { FixUsageError, runFix } = await import('./fix.js'); // the fixer's modules load only for fix
      try {
        this.setOptionValue('exitCode', await runFix(paths, flags, profile, pickLang(flags.lang), useColour(flags.color)));
      } catch (error) {
        if (error instanceof FixUsageError) throw new UsageError(error.message);
        throw error;
      }
    });

  return program;
}

/** The exit code to leave with if stdout's reader goes away: the verdict once it is known. */
let exitIfReaderLeaves: number = EXIT.problems;

/** Run the CLI; returns the exit code (0 all pass, 1 any fail or error, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  // `gradphoto check class/ | head`: the reader may leave before the report is written. That is not
  // an error of ours; stop quietly with the verdict's exit code rather than crash on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(exitIfReaderLeaves);
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    for (const command of program.commands) {
      const code = command.getOptionValue('exitCode');
      if (typeof code === 'number') return code;
    }
    program.outputHelp();
    return EXIT.usage;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; everything else commander stops on is a usage mistake.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`gradphoto: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof PoolError) {
      process.stderr.write(`gradphoto: ${error.message}\n`);
      return EXIT.problems;
    }
    process.stderr.write(`gradphoto: internal error: ${(error as Error).stack ?? error}\n`);
    return EXIT.problems;
  }
}

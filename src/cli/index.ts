import { Command, CommanderError, Option } from 'commander';
import { discover, removeStdinCopies, type Target } from '../batch/discover.js';
import { loadForRule } from '../core/load.js';
import type { FixFlags } from './fix.js';
import { chineseHelp, englishHelp, helpText, langFromArgv, translateCommanderError } from './help.js';
import { pathsInFolders } from './labels.js';
import { closeRuleModules, loadRuleModules, MAX_RULE_TIME_LIMIT_MS } from '../core/plugins.js';
import { extraRuleOptions, resolveRules } from '../core/run.js';
import { checkAll, PoolError } from '../batch/pool.js';
import { WriteFailed } from '../fix/write.js';
import { annotationNames } from '../report/annotate.js';
import { openReport } from '../report/output.js';
import { formatRosterText } from '../report/roster.js';
import type { RosterReport } from '../roster/roster.js';
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { askedEngine, engine } from '../models/engine.js';
import { measureAdmission, type AdmissionReference } from '../rules/admission-different.js';
import type { AdmissionSetup } from '../batch/task.js';
import { resolve as resolvePath } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { FileResult, Lang } from '../contract/types.js';
import { counted, decodeMessage, interpolate, pickLang, uiStrings, type UiStrings } from '../i18n/index.js';
import { UnknownProfileError } from '../core/profile-file.js';
import { DEFAULT_PROFILE, profiles } from '../profiles/index.js';
import { printable } from '../report/printable.js';
import { localiseFile, ruleLookup } from '../report/localise.js';
import { formatRulesListing } from '../report/rules-listing.js';
import { formatProfilesListing } from '../report/profiles-listing.js';
import { onInterrupt } from './interrupt.js';
import { builtinRules, ruleOptions } from '../rules/index.js';
import type { BackgroundColorOptions } from '../rules/background-color.js';
import { loadProfile, settingsFor } from './config.js';
import { processIo, type CliIo, type CliOutput } from './io.js';

export type { CliIo, CliOutput } from './io.js';

/**
 * 0: every photo passes (warnings allowed, up to --max-warnings); 1: a photo fails or cannot be read, or the
 * roster has a problem; 2: gradphoto was not run as meant: a usage mistake, a path that does not exist, an
 * internal error; 130: stopped by Ctrl-C. CI can tell "the photos need work" (1) from "the job is broken" (2).
 */
export const EXIT = { ok: 0, problems: 1, usage: 2, trouble: 2, interrupted: 130 } as const;

/** Whether a path given on the command line does not exist (a typo, not a photo to judge). */
export const missingArgument = (paths: string[], targets: Target[]) =>
  targets.some((t) => 'failure' in t && t.failure.messageId === 'notFound' && paths.includes(t.path));

interface CheckFlags {
  format: 'text' | 'json' | 'csv' | 'junit' | 'html';
  out?: string;
  lang?: string;
  profile?: string;
  rule: string[];
  ruleOptions?: string;
  ruleTimeLimit?: string;
  disable: string[];
  color?: boolean;
  verbose?: boolean;
  concurrency?: string;
  annotate?: string;
  roster?: string;
  admissionPhoto?: string;
  maxWarnings?: string;
  strict?: boolean;
}

/** Whether to colour: never when NO_COLOR is set or stdout is not a terminal; FORCE_COLOR forces it. */
export function useColour(flag: boolean | undefined, stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  if (flag === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** One run of main(): its io, and the exit code to leave with if stdout's reader goes away. */
interface Run {
  io: CliIo;
  readerLeaves: number;
}

async function runCheck(paths: string[], flags: CheckFlags, run: Run): Promise<number> {
  const { io } = run;
  const lang: Lang = pickLang(flags.lang, io.env);
  // --profile over the gradphoto.config.json beside the photos over the default; both disable lists apply.
  const { profile, disable } = await settingsFor(paths, flags, io.cwd).catch((error: Error) => { throw profileUsageError(error, lang); });
  flags = { ...flags, disable };
  const cores = availableParallelism();
  const concurrency = Number(flags.concurrency ?? cores);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(said(lang, 'concurrency', { value: String(flags.concurrency) }));
  // The pool never runs more threads than cores (batch/pool.ts): say so rather than quietly use fewer.
  if (concurrency > cores) io.stderr.write(`gradphoto: ${interpolate(uiStrings(lang).concurrencyCapped, { asked: concurrency, cores })}\n`);
  if (flags.format === 'html' && !flags.out) throw new UsageError(said(lang, 'htmlNeedsOut'));
  const maxWarnings = flags.strict ? 0 : flags.maxWarnings === undefined ? Infinity : Number(flags.maxWarnings);
  if (!(maxWarnings === Infinity || (Number.isInteger(maxWarnings) && maxWarnings >= 0))) {
    throw new UsageError(said(lang, 'maxWarnings', { value: String(flags.maxWarnings) }));
  }
  const ruleTimeLimitMs = flags.ruleTimeLimit === undefined ? undefined : Number(flags.ruleTimeLimit) * 1000;
  if (ruleTimeLimitMs !== undefined && !(ruleTimeLimitMs > 0 && ruleTimeLimitMs <= MAX_RULE_TIME_LIMIT_MS)) {
    throw new UsageError(said(lang, 'ruleTimeLimit', { max: MAX_RULE_TIME_LIMIT_MS / 1000, value: String(flags.ruleTimeLimit) }));
  }
  await checkEngine(io.env);
  // Validate rule modules and --disable here, once, so a mistake is a usage error before any work.
  const { extra, ruleOptions } = await pluginRules(flags.rule, flags.ruleOptions, ruleTimeLimitMs);
  try {
    resolveRules(profile, builtinRules, extra, flags.disable, ruleOptions);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^rule options/, '--rule-options'));
  }
  // Read the roster now: a wrong path is a usage mistake to hear about before the photos are checked.
  // The roster's modules (csv-parse) and each report format's load only when the run uses them: a student's
  // single check pays for no module it does not run (issue 19).
  const rosters = flags.roster || flags.admissionPhoto ? await import('../roster/roster.js') : undefined;
  const students = flags.roster ? await rosters!.readRoster(flags.roster).catch((error: Error) => { throw new UsageError(error.message); }) : undefined;
  if (flags.annotate) {
    await mkdir(flags.annotate, { recursive: true }).catch((error: Error) => { throw new UsageError(said(lang, 'annotateFolder', { path: flags.annotate!, reason: error.message })); });
  }

  // The roster was read before any work: it names whose admission photo is whose.
  // The --annotate folder inside an input folder holds this tool's PNGs, not photos to check.
  const targets = await discover(paths, { skip: flags.annotate ? [flags.annotate] : [], stdin: io.stdin });
  const roster = students ? rosters!.matchRoster(students, targets.filter((t) => !('failure' in t)).map((t) => t.path)) : undefined;
  const admission = flags.admissionPhoto ? await admissionSetup(flags.admissionPhoto, targets, roster, lang, io.stderr) : undefined;
  const inFolder = await pathsInFolders(paths, targets.map((t) => t.path));
  const progress = progressBar(targets.length, lang, io);
  let checked = 0;
  // Interrupted, a report file is not put in place; a report on standard output, already under way, is closed
  // over the photos checked (every photo handed out is finished, so they are the first `checked` in order).
  const interruptedSummary = () => interpolate(uiStrings(lang).interrupted[flags.out ? 'check' : 'checkStdout'], { done: checked, total: targets.length })
    + (flags.annotate ? ` ${interpolate(uiStrings(lang).interrupted.annotations, { dir: flags.annotate })}` : '');
  // The report is written as results arrive, in the targets' order, in the reader's language; only counts
  // stay in memory (the roster was matched before any photo was checked).
  const wording = { lang, profile, rules: ruleLookup(extra) };
  const format = flags.format === 'json' ? (await import('../report/json.js')).jsonStream(profile.id, roster)
    : flags.format === 'csv' ? (await import('../report/csv.js')).csvStream(lang, roster)
    : flags.format === 'junit' ? (await import('../report/junit.js')).junitStream(profile.id, lang, roster)
    : flags.format === 'html' ? (await import('../report/html.js')).htmlStream(profile.id, lang, roster, { labels: inFolder, profileName: profile.description[lang] })
    : (await import('../report/text.js')).textStream(profile.id, targets.length, { lang, color: !flags.out && useColour(flags.color, io.stdout, io.env), showPasses: flags.verbose ? true : undefined, profileName: profile.description[lang], columns: !flags.out && io.stdout.isTTY ? io.stdout.columns : undefined });
  const output = await openReport(format, flags.out, { inputs: targets.map((t) => t.path), stdout: io.stdout }).catch((error: Error) => {
    throw new UsageError(said(lang, 'cannotWrite', { path: flags.out!, reason: writeReason(error, lang) }));
  });
  const summary = { total: 0, pass: 0, fail: 0, error: 0 };
  // Photos with a warning, for --max-warnings / --strict (a photo counts once, however many warnings it has).
  let warned = 0;
  const interruption = onInterrupt(interruptedSummary, uiStrings(lang).interrupted.stopping, io.stderr);
  let warnings: string[];
  try {
    if (!format.headAtEnd) await output.write(format.head());
    ({ warnings } = await checkAll(targets, {
      profileId: profile.id, profile, lang, rulePaths: flags.rule.map((p) => resolvePath(p)), ruleTimeLimitMs, ruleOptions, disabled: flags.disable,
      pictures: flags.format === 'html', annotateDir: flags.annotate, admission,
      photoOutputs: new URL('../report/photo-outputs.js', import.meta.url).href,
    }, {
      concurrency, signal: interruption.signal, env: io.env,
      annotationNames: flags.annotate ? annotationNames(targets.map((t) => inFolder.get(t.path) ?? basename(t.path))) : undefined,
      onProgress: (done, total, result) => { checked = done; progress.update(done, total, result); },
      onResult: async ({ result, pictures }) => {
        summary.total++;
        summary[result.verdict]++;
        if (result.checks.some((c) => c.status === 'warn')) warned++;
        await output.write(format.file(localiseFile(result, wording), pictures));
      },
    }));
  } catch (error) {
    await output.abandon();
    if (error instanceof WriteFailed) throw new UsageError(said(lang, 'cannotWrite', { path: flags.out ?? '-', reason: writeReason(error, lang) }));
    throw error;
  } finally {
    interruption.off();
    progress.done();
  }
  if (interruption.signal.aborted) {
    if (flags.out) await output.abandon();
    else {
      await output.write(format.tail(summary));
      await output.finish(format.headAtEnd ? format.head(summary) : undefined);
    }
    io.stderr.write(`gradphoto: ${interruptedSummary()}\n`);
    return EXIT.interrupted;
  }
  for (const warning of warnings) io.stderr.write(`gradphoto: ${printable(warning)}\n`);

  const rosterProblems = roster ? roster.missing.length + roster.unmatched.length + roster.duplicatePhotos.length + roster.badIdNumbers.length : 0;
  const tooManyWarnings = warned > maxWarnings;
  const code = missingArgument(paths, targets) ? EXIT.trouble
    : summary.fail + summary.error + rosterProblems > 0 || tooManyWarnings ? EXIT.problems : EXIT.ok;
  if (!flags.out) run.readerLeaves = code;
  await output.write(format.tail(summary) + (flags.format === 'text' && roster ? formatRosterText(roster, lang) : ''));
  await output.finish(format.headAtEnd ? format.head(summary) : undefined).catch((error: Error) => {
    throw new UsageError(said(lang, 'cannotWrite', { path: flags.out!, reason: writeReason(error, lang) }));
  });
  if (flags.out) io.stderr.write(`gradphoto: ${interpolate(uiStrings(lang).summary, counted(summary))} → ${flags.out}\n`);
  if (tooManyWarnings) {
    io.stderr.write(`gradphoto: ${said(lang, 'tooManyWarnings', { count: warned, photos: warned === 1 ? 'photo has' : 'photos have', limit: flags.strict ? '--strict' : `--max-warnings ${maxWarnings}` })}\n`);
  }
  return code;
}

/**
 * GRADPHOTO_ENGINE set wrong (or to an engine not installed) is a usage mistake: say so once, up front.
 * onnxruntime-node is imported here only when it is asked for by name: the main thread of a batch runs
 * no model, and its import would delay the worker threads' start by about 50 ms.
 */
async function checkEngine(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    if (askedEngine(env.GRADPHOTO_ENGINE) === 'onnxruntime') await engine();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The admission photo(s): one file for every photo (measured here, once: a bad one is a usage mistake),
 * or a folder, whose photos are matched to the photos checked by the student number or ID number in
 * their names: the roster's 学号/身份证号 of the student a photo belongs to, or else the long numbers in
 * its own name ("2026010004.jpg" finds "2026010004 赵六.jpg"). Each is measured by the thread that
 * checks its student's photo; a photo with no match is told so by admission.different.
 */
async function admissionSetup(path: string, targets: Target[], roster: RosterReport | undefined, lang: Lang, stderr: CliOutput): Promise<AdmissionSetup> {
  const isFolder = await stat(path).then((info) => info.isDirectory(), () => false);
  const { nameParts } = await import('../roster/roster.js');
  if (!isFolder) {
    const found = await measureAdmission(path, loadForRule);
    if ('signature' in found) return { references: { '*': { ...found.signature, path } } };
    if (found.messageId === 'referenceNoFace') throw new UsageError(`--admission-photo ${path}: no single face found in it; pass the admission photo itself`);
    throw new UsageError(`--admission-photo ${path}: ${decodeMessage(lang, found.reason, found.data)}`);
  }
  const byKey = new Map<string, string[]>();
  for (const target of await discover([path])) {
    if ('failure' in target) throw new UsageError(`--admission-photo ${target.path}: ${decodeMessage(lang, target.failure.messageId, target.failure.data)}`);
    for (const key of nameParts(target.path)) byKey.set(key, [...(byKey.get(key) ?? []), target.path]);
  }
  const studentOf = new Map(roster?.assignments.map(({ photo, student }) => [photo, student]) ?? []);
  const references: Record<string, AdmissionReference> = {};
  const lookedFor: Record<string, string[]> = {};
  const told = new Set<string>();
  for (const target of targets) {
    if ('failure' in target) continue;
    const student = studentOf.get(target.path);
    const keys = student ? [student.studentId, student.idNumber].filter((k): k is string => Boolean(k)).map((k) => k.toUpperCase())
      : nameParts(target.path).filter((part) => /^\d{6,}X?$/.test(part));
    const key = keys.find((k) => byKey.has(k));
    if (!key) { lookedFor[target.path] = keys; continue; }
    const found = byKey.get(key)!;
    if (found.length > 1 && !told.has(key)) {
      told.add(key);
      stderr.write(`gradphoto: --admission-photo has ${found.length === 2 ? 'two' : found.length} photos for ${key} (${found.join(', ')}); comparing with the first\n`);
    }
    references[target.path] = { path: found[0] };
  }
  return { references, folder: path, lookedFor };
}

/** The progress bar's line: `[####------] 3/10  fail 1  error 0`, in the report's language. */
export function progressLine(lang: Lang, done: number, total: number, fail: number, error: number, width = 30): string {
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${interpolate(uiStrings(lang).progress, { done, total, fail, error })}`;
}

/** A one-line progress bar on stderr, only on a terminal (never in pipes or CI). */
function progressBar(total: number, lang: Lang, io: CliIo): { update: (done: number, total: number, result: FileResult) => void; done: () => void } {
  const stream = io.stderr;
  if (!stream.isTTY || io.env.CI || total < 2) return { update: () => undefined, done: () => undefined };
  let failed = 0; let errors = 0; let last = 0;
  return {
    update: (done, all, result) => {
      if (result.verdict === 'fail') failed++;
      if (result.verdict === 'error') errors++;
      const now = Date.now();
      if (now - last < 80 && done < all) return;
      last = now;
      stream.write(`\r${progressLine(lang, done, all, failed, errors)}`);
    },
    done: () => stream.write('\r\u001b[2K'),
  };
}

class UsageError extends Error {}

/** A usage mistake the CLI names itself, in the reader's language. */
function said(lang: Lang, key: keyof UiStrings['usage'], data: Record<string, string | number> = {}): string {
  return interpolate(uiStrings(lang).usage[key], data);
}

/** Why a report could not be written: the write's own sentence in English, the reason for its error code in Chinese. */
function writeReason(error: Error, lang: Lang): string {
  const reasons = uiStrings(lang).writeReasons as Record<string, string>;
  return lang !== 'en' && error instanceof WriteFailed && reasons[error.code] ? reasons[error.code] : error.message;
}

/** A profile that cannot be used, as a usage error: an unknown id said in the reader's language, a file's mistakes as read. */
function profileUsageError(error: Error, lang: Lang): UsageError {
  return new UsageError(error instanceof UnknownProfileError ? said(lang, 'unknownProfile', { id: error.id, builtIns: error.builtIns.join(', ') }) : error.message);
}

/** The --rule modules and their --rule-options, checked against each rule's options: a mistake is a usage error naming the flag. */
async function pluginRules(rulePaths: string[], optionsText: string | undefined, timeLimitMs?: number) {
  const extra = await loadRuleModules(rulePaths, timeLimitMs).catch((error: Error) => { throw new UsageError(error.message); });
  try {
    return { extra, ruleOptions: extraRuleOptions(extra, parseRuleOptions(optionsText), builtinRules) };
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^rule options/, '--rule-options'));
  }
}

/** --rule-options' JSON text, or a usage error saying where it stops being JSON. */
function parseRuleOptions(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--rule-options is not JSON (${(error as Error).message}); give an object keyed by rule id, e.g. '{"local.my-rule": {"pattern": "^\\d+$"}}'`);
  }
}

/** The gradphoto command line; its output (help, usage errors, reports) goes to `io`, never through process.exit. */
export function buildProgram(lang: Lang = pickLang(undefined), io: CliIo = processIo()): Command {
  return buildCommands(lang, { io, readerLeaves: EXIT.problems });
}

/** Whether commander may keep colour in what it writes to `stream` (its own rule, on the run's environment). */
function commanderColours(stream: CliOutput, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR || env.CLICOLOR_FORCE !== undefined) return true;
  return Boolean(stream.isTTY && (stream as { hasColors?: () => boolean }).hasColors?.());
}

function buildCommands(lang: Lang, run: Run): Command {
  const { io } = run;
  const t = helpText[lang];
  // Every command says its errors in one line ("gradphoto: unknown option '--x'") and a hint, not the whole help.
  const setUp = (command: Command, name: string) => command
    .configureHelp(lang === 'zh' ? chineseHelp() : englishHelp())
    .configureOutput({
      writeOut: (text) => { io.stdout.write(text); },
      writeErr: (text) => { io.stderr.write(text); },
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) as number, // commander takes undefined as "no width"
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) as number,
      getOutHasColors: () => commanderColours(io.stdout, io.env),
      getErrHasColors: () => commanderColours(io.stderr, io.env),
      outputError: (text, write) => write(translateCommanderError(text, lang)),
    })
    .helpOption('-h, --help', t.help)
    .showHelpAfterError(interpolate(t.hint, { command: name ? `${name} ` : '' }));
  const program = setUp(new Command('gradphoto'), '')
    .description(t.program)
    .usage(t.programUsage)
    .version('0.1.0', '-V, --version', t.version)
    .helpCommand(t.helpCommandTerm, t.helpCommand)
    .exitOverride();

  setUp(program.command('check'), 'check')
    .description(t.check)
    .usage(t.usage)
    .argument(t.pathsArgument, t.paths)
    .addOption(new Option('-f, --format <format>', t.format).choices(['text', 'json', 'csv', 'junit', 'html']).default('text'))
    .option('-o, --out <file>', t.out)
    .addOption(new Option('--lang <lang>', t.lang).choices(['zh', 'en']))
    .option('-p, --profile <id|file.json>', t.profile)
    .option('-r, --rule <file>', t.rule, (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--rule-options <json>', t.ruleOptions)
    .option('--rule-time-limit <seconds>', t.ruleTimeLimit)
    .option('-d, --disable <ids>', t.disable, (value: string, all: string[]) => [...all, ...value.split(',').map((id) => id.trim()).filter(Boolean)], [] as string[])
    .option('-v, --verbose', t.verbose)
    .option('-j, --concurrency <n>', t.concurrency)
    .option('--admission-photo <file|dir>', t.admission)
    .option('--roster <file>', t.roster)
    .option('--annotate <dir>', t.annotate)
    .option('--max-warnings <n>', t.maxWarnings)
    .option('--strict', t.strict)
    .option('--no-color', t.noColor)
    .action(async function (this: Command, paths: string[]) {
      this.setOptionValue('exitCode', await runCheck(paths, this.opts<CheckFlags>(), run));
    });

  setUp(program.command('rules'), 'rules')
    .description(t.rules)
    .addOption(new Option('--lang <lang>', t.lang).choices(['zh', 'en']))
    .option('-p, --profile <id|file.json>', t.rulesProfile)
    .option('-r, --rule <file>', t.rule, (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--rule-options <json>', t.ruleOptions)
    .action(async function (this: Command) {
      const flags = this.opts<{ lang?: string; profile?: string; rule: string[]; ruleOptions?: string }>();
      const profile = await loadProfile(flags.profile ?? DEFAULT_PROFILE, io.cwd).catch((error: Error) => { throw profileUsageError(error, pickLang(flags.lang, io.env)); });
      const { extra, ruleOptions } = await pluginRules(flags.rule, flags.ruleOptions);
      const listed = extra.map((rule) => ({ rule, options: { ...rule.meta.defaultOptions, ...ruleOptions[rule.id] } }));
      io.stdout.write(formatRulesListing(profile, pickLang(flags.lang, io.env), listed, Math.max(60, io.stdout.columns ?? 80)));
      this.setOptionValue('exitCode', EXIT.ok);
    });

  setUp(program.command('profiles'), 'profiles')
    .description(t.profiles)
    .addOption(new Option('--lang <lang>', t.lang).choices(['zh', 'en']))
    .action(function (this: Command) {
      io.stdout.write(formatProfilesListing(profiles.values(), pickLang(this.opts<{ lang?: string }>().lang, io.env), DEFAULT_PROFILE));
      this.setOptionValue('exitCode', EXIT.ok);
    });

  setUp(program.command('fix'), 'fix')
    .description(t.fix)
    .usage(t.usage)
    .argument(t.pathsArgument, t.paths)
    .option('-o, --out <file>', t.fixOut)
    .option('--out-dir <dir>', t.fixOutDir)
    .option('--background <colour>', t.background)
    .option('--force', t.force)
    .option('--keep-failed', t.keepFailed)
    .addOption(new Option('-f, --format <format>', t.fixFormat).choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', t.lang).choices(['zh', 'en']))
    .option('-p, --profile <id|file.json>', t.fixProfile)
    .option('--roster <file>', t.fixRoster)
    .option('--name-by <column>', t.nameBy)
    .option('--no-color', t.noColor)
    .action(async function (this: Command, paths: string[]) {
      const given = this.opts<Omit<FixFlags, 'background'> & { background?: string; lang?: string; profile?: string; color?: boolean }>();
      const lang = pickLang(given.lang, io.env);
      const { profile } = await settingsFor(paths, { profile: given.profile, disable: [] }, io.cwd).catch((error: Error) => { throw profileUsageError(error, lang); });
      // The profile's first colour unless --background names another it allows (or keep).
      const background = given.background ?? ruleOptions<BackgroundColorOptions>(profile, 'background.color').colours[0].id;
      const colours = ruleOptions<BackgroundColorOptions>(profile, 'background.color').colours.map((c) => c.id);
      if (background !== 'keep' && !colours.includes(background)) {
        throw new UsageError(said(lang, 'background', { colour: background, profile: profile.id, colours: colours.join(', ') }));
      }
      const flags = { ...given, background };
      await checkEngine(io.env);
      const { FixUsageError, runFix } = await import('./fix.js'); // the fixer's modules load only for fix
      try {
        this.setOptionValue('exitCode', await runFix(paths, flags, profile, lang, useColour(flags.color, io.stdout, io.env), io));
      } catch (error) {
        if (error instanceof FixUsageError) throw new UsageError(error.message);
        throw error;
      }
    });

  setUp(program.command('serve'), 'serve')
    .description(t.serve)
    .option('--port <port>', t.port, '8017')
    .option('--no-open', t.noOpen)
    .addOption(new Option('--lang <lang>', t.lang).choices(['zh', 'en']))
    .action(async function (this: Command) {
      const flags = this.opts<{ port: string; open: boolean; lang?: string }>();
      const lang = pickLang(flags.lang, io.env);
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(said(lang, 'port', { value: flags.port }));
      const { serve } = await import('./serve.js');
      this.setOptionValue('exitCode', await serve({ port, open: flags.open, lang }, io));
    });

  return program;
}

/**
 * The run writing to the process's stdout now: its exit code is the one to leave with if stdout's reader
 * goes away. The listener is added once per process, however many runs there are.
 */
let stdoutRun: Run | undefined;
let listeningForEpipe = false;

/**
 * Run the CLI; returns the exit code (0 all pass, 1 any fail or error, 2 usage mistake, missing path or
 * internal error). `io` is the process's own unless given: a caller in the same process may call main
 * again and again, each run with its own output, directory and environment.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const run: Run = { io, readerLeaves: EXIT.problems };
  // `gradphoto check class/ | head`: the reader may leave before the report is written. That is not
  // an error of ours; stop quietly with the verdict's exit code rather than crash on EPIPE.
  if (io.stdout === process.stdout) {
    stdoutRun = run;
    if (!listeningForEpipe) {
      listeningForEpipe = true;
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        process.exit(stdoutRun?.readerLeaves ?? EXIT.problems);
      });
    }
  }
  const home = process.cwd();
  if (resolvePath(io.cwd) !== home) process.chdir(io.cwd);
  try {
    return await runProgram(argv, run);
  } finally {
    if (process.cwd() !== home) process.chdir(home);
    // Nothing of this run stays for the next: the --rule modules' threads, a photo read from standard input.
    closeRuleModules();
    removeStdinCopies();
  }
}

async function runProgram(argv: string[], run: Run): Promise<number> {
  const { io } = run;
  const program = buildCommands(langFromArgv(argv, pickLang(undefined, io.env)), run);
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
      io.stderr.write(`gradphoto: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof PoolError) {
      io.stderr.write(`gradphoto: ${error.message}\n`);
      return EXIT.trouble;
    }
    io.stderr.write(`gradphoto: internal error: ${(error as Error).stack ?? error}\n`);
    return EXIT.trouble;
  }
}

import { Command, CommanderError, Option } from 'commander';
import { discover } from '../core/discover.js';
import { FixUsageError, runFix, type FixFlags } from './fix.js';
import { loadRuleModules } from '../core/plugins.js';
import { checkTargets, resolveRules, summarise } from '../core/run.js';
import { mkdir } from 'node:fs/promises';
import type { FileResult, Lang, Photo, RunResult } from '../core/types.js';
import type { Profile } from '../profiles/types.js';
import { renderAnnotation, writeAnnotation } from '../report/annotate.js';
import { pickLang } from '../i18n/index.js';
import { DEFAULT_PROFILE, profiles } from '../profiles/index.js';
import { formatJson } from '../report/json.js';
import { formatText } from '../report/text.js';
import { builtinRules } from '../rules/index.js';

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

interface CheckFlags {
  format: 'text' | 'json';
  lang?: string;
  profile: string;
  rule: string[];
  disable: string[];
  color?: boolean;
  verbose?: boolean;
  concurrency: string;
  annotate?: string;
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
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency takes a whole number of at least 1, not "${flags.concurrency}"`);
  const extra = await loadRuleModules(flags.rule).catch((error: Error) => { throw new UsageError(error.message); });
  let rules;
  try {
    rules = resolveRules(profile, builtinRules, extra, flags.disable);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const targets = await discover(paths);
  const onPhoto = flags.annotate ? await annotator(flags.annotate, profile) : undefined;
  const files = await checkTargets(targets, rules, { lang, concurrency, frame: profile.frame, onPhoto });

  const result: RunResult = summarise(profile.id, files);
  const output = flags.format === 'json'
    ? formatJson(result)
    : formatText(result, { lang, color: useColour(flags.color), showPasses: flags.verbose ? true : undefined });
  process.stdout.write(output);
  return result.summary.fail + result.summary.error > 0 ? EXIT.problems : EXIT.ok;
}

class UsageError extends Error {}

/** `--annotate <dir>`: one PNG per decoded photo with the bands and measurements drawn on it. */
async function annotator(dir: string, profile: Profile): Promise<(photo: Photo, result: FileResult) => Promise<void>> {
  await mkdir(dir, { recursive: true }).catch((error: Error) => { throw new UsageError(`cannot create --annotate folder ${dir}: ${error.message}`); });
  const taken = new Set<string>();
  return async (photo, result) => {
    try {
      await writeAnnotation(dir, photo.path, await renderAnnotation(photo, result, profile), taken);
    } catch (error) {
      process.stderr.write(`gradphoto: could not annotate ${photo.path}: ${(error as Error).message}\n`);
    }
  };
}

export function buildProgram(): Command {
  const program = new Command('gradphoto')
    .description('Check diploma photos against the national graduate photo standard before upload, and fix what can be fixed.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();

  program.command('check')
    .description('check photos (files or folders) against the profile\'s rules')
    .argument('<paths...>', 'photo files or folders of photos')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', 'message language (default: zh, or en when LANG starts with en)').choices(['zh', 'en']))
    .option('-p, --profile <id>', 'standard to check against', DEFAULT_PROFILE)
    .option('-r, --rule <file>', 'load an extra rule module (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('-d, --disable <ids>', 'turn rules off, comma-separated (e.g. face.glasses for a centre that allows them)', (value: string, all: string[]) => [...all, ...value.split(',').map((id) => id.trim()).filter(Boolean)], [] as string[])
    .option('-v, --verbose', 'list passing checks in batches too')
    .option('-j, --concurrency <n>', 'photos checked at once', '2')
    .option('--annotate <dir>', 'write a PNG per photo with the face box, landmarks and allowed bands drawn on it')
    .option('--no-color', 'no colour in the text report')
    .action(async function (this: Command, paths: string[]) {
      this.setOptionValue('exitCode', await runCheck(paths, this.opts<CheckFlags>()));
    });

  program.command('fix')
    .description('crop, recolour and re-encode photos so they meet the standard (never touches the inputs)')
    .argument('<paths...>', 'photo files or folders of photos')
    .option('--out <dir>', 'folder to write the fixed photos into')
    .option('-o, --output <file>', 'output file, for a single photo')
    .addOption(new Option('--background <mode>', 'replace a plain background with the standard blue, or keep it').choices(['blue', 'keep']).default('blue'))
    .option('--force', 'replace existing output files (never an input)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', 'message language').choices(['zh', 'en']))
    .option('-p, --profile <id>', 'standard to fix for', DEFAULT_PROFILE)
    .option('--no-color', 'no colour in the text report')
    .action(async function (this: Command, paths: string[]) {
      const flags = this.opts<FixFlags & { lang?: string; profile: string; color?: boolean }>();
      const profile = profiles.get(flags.profile);
      if (!profile) throw new UsageError(`unknown profile "${flags.profile}"`);
      try {
        this.setOptionValue('exitCode', await runFix(paths, flags, profile, pickLang(flags.lang), useColour(flags.color)));
      } catch (error) {
        if (error instanceof FixUsageError) throw new UsageError(error.message);
        throw error;
      }
    });

  return program;
}

/** Run the CLI; returns the exit code (0 all pass, 1 any fail or error, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
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
    process.stderr.write(`gradphoto: internal error: ${(error as Error).stack ?? error}\n`);
    return EXIT.problems;
  }
}

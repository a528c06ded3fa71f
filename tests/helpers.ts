import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { Readable, Writable } from 'node:stream';
import sharp from 'sharp';
import { checkFile, resolveRules, type ActiveRule } from '../src/core/run.js';
import type { Lang, ReportCheck, ReportFile } from '../src/contract/types.js';
import { localiseFile } from '../src/report/localise.js';
import { defaultProfile } from '../src/profiles/index.js';
import { builtinRules } from '../src/rules/index.js';

/** Project root (tests run from dist/tests). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixture = (name: string): string => join(ROOT, 'fixtures', name);
export const EXAMPLE = fixture('example.jpg');
export const ASTRONAUT = fixture('astronaut.png');
export const BIN = join(ROOT, 'bin', 'gradphoto.js');

/** A temporary folder removed when the test file ends. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gradphoto-test-'));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function writeTemp(dir: string, name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

export const defaultRules = (): ActiveRule[] => resolveRules(defaultProfile, builtinRules);

/** Check one photo in-process and word the result in `lang`, as every report does. */
export async function check(path: string, lang: Lang = 'en'): Promise<ReportFile> {
  return localiseFile(await checkFile(path, defaultRules(), { frame: defaultProfile.frame }), { lang, profile: defaultProfile });
}

/** The one check a rule reported (fails the test when it reported none or several). */
export function only(result: ReportFile, rule: string): ReportCheck {
  const found = result.checks.filter((c) => c.rule === rule);
  if (found.length !== 1) throw new Error(`expected one ${rule} check, got ${found.length}: ${JSON.stringify(result.checks)}`);
  return found[0];
}

export function statuses(result: ReportFile, rule: string): string[] {
  return result.checks.filter((c) => c.rule === rule).map((c) => `${c.status}:${c.messageId}`);
}

/** The example photo as raw upright pixels, to build variants from. */
export async function examplePixels(): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(EXAMPLE).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export function fromRaw(pixels: { data: Buffer; width: number; height: number }) {
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } });
}

/**
 * Insert a JPEG comment (COM) segment right after SOI so the file is exactly `size` bytes:
 * a way to make files of any size that are still clean JPEGs (no trailing data).
 */
export function padJpegTo(jpeg: Buffer, size: number): Buffer {
  let missing = size - jpeg.length;
  if (missing < 4) throw new Error(`cannot pad ${jpeg.length} bytes to ${size}`);
  const segments: Buffer[] = [];
  while (missing > 0) {
    const payload = Math.min(missing - 4, 65533);
    if (payload < 0) throw new Error('padding remainder too small');
    const segment = Buffer.alloc(4 + payload, 0x20);
    segment[0] = 0xff; segment[1] = 0xfe; segment.writeUInt16BE(payload + 2, 2);
    segments.push(segment);
    missing -= segment.length;
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

export interface CliRun { code: number; stdout: string; stderr: string }

/** The CLI in a process of its own (bin/gradphoto.js): for tests whose point is the process boundary. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      });
  });
}

/** A stream that keeps what is written to it, like a pipe (not a terminal) read to its end. */
class Captured extends Writable {
  readonly isTTY = false;
  private chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    done();
  }
  get text(): string { return Buffer.concat(this.chunks).toString('utf8'); }
}

export interface InProcessOptions {
  /** The working directory of the run (where gradphoto.config.json is looked for up to). */
  cwd?: string;
  /** Added to the test's environment, as runCli does (NO_COLOR=1 and FORCE_COLOR unset unless given). */
  env?: NodeJS.ProcessEnv;
  /** Standard input (for the path "-"); empty unless given. */
  stdin?: Buffer;
}

/**
 * The CLI's main() in this process, with its own stdout, stderr, directory, environment and standard
 * input: what runCli reports, without starting a process and loading the models again for every run.
 */
export async function runCliInProcess(args: string[], options: InProcessOptions = {}): Promise<CliRun> {
  const { main } = await import('../src/cli/index.js');
  const stdout = new Captured();
  const stderr = new Captured();
  const code = await main([process.execPath, BIN, ...args], {
    stdout, stderr, cwd: options.cwd ?? process.cwd(), env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
    stdin: Readable.from(options.stdin ? [options.stdin] : []),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

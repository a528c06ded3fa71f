import { createReadStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type AtomicFile, openAtomic, temporaryUnderWay } from '../fix/write.js';
import type { StreamFormat } from './stream.js';

/**
 * Where a streamed report goes: a file (written to a temporary file beside it and renamed into place
 * when the report is complete, so a reader never sees half a report and an interrupted run leaves the old
 * one) or standard output (written as it comes, waiting when the reader is slower). Text is gathered into
 * pieces of about 64 KiB, so thousands of small writes do not each cost a system call.
 *
 * A format with its head at the end (StreamFormat.headAtEnd: JUnit, HTML) has its files and tail spooled
 * to a temporary file, and `finish` writes the head, then copies the spool after it: memory holds one piece,
 * never the report.
 */
export interface ReportOutput {
  write(text: string): Promise<void>;
  /** Write the rest and put the report in place; `head` goes before everything written (headAtEnd). */
  finish(head?: string): Promise<void>;
  /** Stop: remove temporary files; a file's old content stays. */
  abandon(): Promise<void>;
}

const PIECE = 64 * 1024;

/** A sink that gathers text into pieces and hands each to `put`. */
function gathered(put: (bytes: Buffer) => Promise<void>) {
  let parts: string[] = [];
  let length = 0;
  const flush = async () => {
    if (length === 0) return;
    const bytes = Buffer.from(parts.join(''));
    parts = []; length = 0;
    await put(bytes);
  };
  return {
    async write(text: string) {
      parts.push(text);
      length += text.length;
      if (length >= PIECE) await flush();
    },
    flush,
  };
}

/** What a report can be written to besides a file: standard output, or a stream like it. */
export interface ReportStream {
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
  once(event: 'error' | 'drain', listener: (...args: any[]) => void): unknown;
  off(event: 'error' | 'drain', listener: (...args: any[]) => void): unknown;
}

/** Write to a stream, waiting for 'drain' when its buffer is full (a reader slower than the checks). */
function streamPut(stream: ReportStream): (bytes: Buffer) => Promise<void> {
  return (bytes) => new Promise((done, fail) => {
    const onError = (error: Error) => fail(error);
    stream.once('error', onError);
    const flushed = stream.write(bytes, () => undefined);
    const settle = () => { stream.off('error', onError); done(); };
    if (flushed) settle();
    else stream.once('drain', settle);
  });
}

/** A hidden temporary file in `dir` for a spooled body; removed by `remove`. */
async function spoolFile(dir: string): Promise<{ file: AtomicFile; path: string }> {
  const path = join(dir, `.gradphoto-${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(path, 'wx', 0o600);
  temporaryUnderWay(path);
  const remove = async () => {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    temporaryUnderWay(path, false);
  };
  return {
    path,
    file: { write: async (bytes) => { await handle.writeFile(bytes); }, commit: () => handle.close(), abandon: remove },
  };
}

/** Copy a spooled file after what `put` has written, piece by piece. */
async function copySpool(path: string, put: (bytes: Buffer) => Promise<void>): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: PIECE })) await put(chunk as Buffer);
}

/**
 * The output of a report in `format`: the file `out` (the same refusals as writeAtomic: never an input,
 * never through a link) or standard output.
 */
export async function openReport(format: Pick<StreamFormat, 'headAtEnd'>, out: string | undefined, options: { inputs: string[]; stdout?: ReportStream }): Promise<ReportOutput> {
  const target = out === undefined ? undefined : await openAtomic(out, { force: true, inputs: options.inputs });
  const put = target ? (bytes: Buffer) => target.write(bytes) : streamPut(options.stdout ?? process.stdout);
  let spool: { file: AtomicFile; path: string } | undefined;
  if (format.headAtEnd) {
    try {
      spool = await spoolFile(out === undefined ? tmpdir() : dirname(resolve(out)));
    } catch (error) {
      await target?.abandon();
      throw error;
    }
  }
  const sink = gathered(spool ? (bytes) => spool!.file.write(bytes) : put);
  const abandon = async () => {
    await spool?.file.abandon();
    await target?.abandon();
  };
  return {
    write: sink.write,
    async finish(head) {
      try {
        await sink.flush();
        if (spool) {
          await spool.file.commit();
          if (head) await put(Buffer.from(head));
          await copySpool(spool.path, put);
          await spool.file.abandon();
        }
      } catch (error) {
        await abandon();
        throw error;
      }
      await target?.commit();
    },
    abandon,
  };
}

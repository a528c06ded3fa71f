import { constants, rmSync } from 'node:fs';
import { mkdtemp, open, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { looksLikeImage } from '../formats/container.js';
import { fsFailure } from '../core/load.js';

export type Target =
  | { path: string; raw?: Buffer }
  /** A path that cannot be a photo to check: reported as an error, the batch goes on. */
  | { path: string; raw?: Buffer; failure: { messageId: string; data: Record<string, string | number> } };
// `path` is the name as shown (and as rules see it); `raw`, when present, is the name's bytes on disk,
// which are not UTF-8 (a GBK name from a Windows zip): files are opened by those bytes.

/** Where to open a target: its raw bytes when its name is not UTF-8 (a Buffer again after crossing threads). */
export function fsPathOf(target: { path: string; raw?: Uint8Array }): string | Buffer {
  return target.raw ? Buffer.from(target.raw.buffer, target.raw.byteOffset, target.raw.byteLength) : target.path;
}

const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg']);
const SNIFF_BYTES = 32;
const collator = new Intl.Collator('en', { numeric: true });
const SLASH = Buffer.from('/');
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** GB18030 is a superset of GBK and GB2312, the encodings of Chinese Windows (and of its zip files). */
const chinese = new TextDecoder('gb18030');

/** A file name's bytes as text: UTF-8 when they are, else as GB18030 (undecodable bytes become U+FFFD). */
function decodeName(bytes: Buffer): { text: string; utf8: boolean } {
  try {
    return { text: utf8.decode(bytes), utf8: true };
  } catch {
    return { text: chinese.decode(bytes), utf8: false };
  }
}

/** Opens only a regular file, and never blocks: a pipe swapped in after the walk looked is not waited on. */
async function startsLikeImage(path: Buffer): Promise<boolean> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!(await handle.stat()).isFile()) return false;
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
      return looksLikeImage(buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return false; // unreadable non-.jpg files in a folder are not photos we were asked about
  }
}

/** A file system entry found in the walk: its name as shown, its bytes, and its real path's bytes. */
interface Entry { path: string; raw: Buffer; utf8: boolean; real: Buffer }

/**
 * Photos in a folder: every .jpg/.jpeg (any case), and any other regular file whose first bytes are
 * a picture (a PNG or HEIC named .png/.heic is still a photo someone meant to upload). Hidden files
 * and folders are skipped, and so are the folders in `skip` (gradphoto's own output folders); symbolic
 * links to folders are not followed, so link loops cannot hang the walk. Nothing but a regular file is
 * ever opened: a pipe, socket or device is reported as not a regular file, and a folder that cannot
 * be read is reported too, so its photos cannot go unchecked without anyone knowing.
 */
async function photosInFolder(folder: string, skip: Buffer[]): Promise<Target[]> {
  const rootPath = normalize(folder).replace(/(.)\/+$/, '$1');
  const rootRaw = Buffer.from(rootPath);
  const root: Entry = { path: rootPath, raw: rootRaw, utf8: true, real: await realpath(rootRaw, { encoding: 'buffer' }).catch(() => rootRaw) };
  const found: Target[] = [];
  const target = (entry: Entry, failure?: NonNullable<Extract<Target, { failure: unknown }>['failure']>): Target => ({
    path: entry.path, ...(entry.utf8 ? {} : { raw: entry.raw }), ...(failure ? { failure } : {}),
  });
  const child = (parent: Entry, name: Buffer): Entry => {
    const decoded = decodeName(name);
    const under = (base: Buffer) => Buffer.concat(base.at(-1) === 0x2f ? [base, name] : [base, SLASH, name]);
    return {
      path: parent.path.endsWith('/') ? parent.path + decoded.text : `${parent.path}/${decoded.text}`,
      raw: under(parent.raw), utf8: parent.utf8 && decoded.utf8, real: under(parent.real),
    };
  };
  const folders = [root];
  for (let folderEntry = folders.pop(); folderEntry; folderEntry = folders.pop()) {
    let names: Awaited<ReturnType<typeof readdir>>;
    try {
      names = await readdir(folderEntry.raw, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      found.push(target(folderEntry, { messageId: 'folderUnreadable', data: { path: folderEntry.path, reason: code } }));
      continue;
    }
    for (const dirent of names) {
      const name = dirent.name as unknown as Buffer;
      if (name[0] === 0x2e) continue; // hidden: .git, .DS_Store, a fix in progress (.name.tmp)
      const entry = child(folderEntry, name);
      const isNamedPhoto = PHOTO_EXTENSIONS.has(extname(entry.path).toLowerCase());
      if (dirent.isDirectory()) {
        if (!skip.some((s) => s.equals(entry.real))) folders.push(entry);
      } else if (dirent.isFile()) {
        if (isNamedPhoto || await startsLikeImage(entry.raw)) found.push(target(entry));
      } else if (dirent.isSymbolicLink()) {
        // A link to a photo counts; a link to a folder is not followed; a dangling link named .jpg is reported by the loader.
        const info = await stat(entry.raw).catch(() => undefined);
        if (info?.isDirectory()) continue;
        if (info && !info.isFile()) found.push(target(entry, { messageId: 'notRegularFile', data: { path: entry.path } }));
        else if (isNamedPhoto || (info?.isFile() && await startsLikeImage(entry.raw))) found.push(target(entry));
      } else {
        // A pipe, socket or device: opening it could block forever (a pipe waits for a writer).
        found.push(target(entry, { messageId: 'notRegularFile', data: { path: entry.path } }));
      }
    }
  }
  return found.sort((a, b) => collator.compare(a.path, b.path));
}

export interface DiscoverOptions {
  /** Folders never searched for photos (the --out and --annotate folders), unless named on the command line. */
  skip?: string[];
  /** Where the path "-" is read from (standard input unless given). */
  stdin?: NodeJS.ReadableStream;
}

/** Expand command-line paths into files to check, in a stable order, keeping problems as targets. */
export async function discover(paths: string[], options: DiscoverOptions = {}): Promise<Target[]> {
  const skip = await Promise.all((options.skip ?? []).map((path) =>
    realpath(path, { encoding: 'buffer' }).catch(() => Buffer.from(resolve(path)))));
  const targets: Target[] = [];
  let fromStdin: Promise<Target> | undefined; // "-" named twice is read once
  // A photo named twice (`check dir dir/a.jpg`, or a pattern and a folder that overlap) is checked once.
  const seen = new Set<string>();
  const add = async (target: Target) => {
    if (!('failure' in target)) {
      const real = await realpath(fsPathOf(target), { encoding: 'buffer' }).catch(() => undefined);
      if (real) {
        const key = real.toString('latin1');
        if (seen.has(key)) return;
        seen.add(key);
      }
    }
    targets.push(target);
  };
  for (const path of paths) {
    // `-`: the photo comes on standard input (`cat photo.jpg | gradphoto check -`).
    if (path === '-') {
      await add(await (fromStdin ??= readStdin(options.stdin ?? process.stdin)));
      continue;
    }
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      // A quoted pattern ("class/*.jpg", as Windows shells pass it): expanded here.
      // fast-glob loads only for a path that does not exist (about 80 ms of a single check's start-up otherwise).
      const fg = (info as NodeJS.ErrnoException).code === 'ENOENT' ? (await import('fast-glob')).default : undefined;
      if (fg?.isDynamicPattern(path)) {
        const matches = (await fg(path.replace(/\\/g, '/'), { onlyFiles: true, unique: true, followSymbolicLinks: false })).sort(collator.compare);
        if (matches.length === 0) targets.push({ path, failure: { messageId: 'noMatch', data: { path } } });
        for (const match of matches) await add({ path: match });
        continue;
      }
      targets.push({ path, failure: fsFailure(info, path) });
      continue;
    }
    if (info.isDirectory()) {
      if (PHOTO_EXTENSIONS.has(extname(path).toLowerCase())) {
        targets.push({ path, failure: { messageId: 'isDirectory', data: { path } } });
        continue;
      }
      const photos = await photosInFolder(path, skip);
      if (photos.length === 0) targets.push({ path, failure: { messageId: 'emptyFolder', data: { path } } });
      for (const photo of photos) await add(photo);
      continue;
    }
    await add({ path });
  }
  return targets;
}

/** The private temporary folders of photos read from standard input, until removeStdinCopies. */
const stdinCopies = new Set<string>();
let removedAtExit = false;

/** Remove the copies of photos read from standard input (the run that read them is over). */
export function removeStdinCopies(): void {
  for (const dir of stdinCopies) rmSync(dir, { recursive: true, force: true });
  stdinCopies.clear();
}

/**
 * Standard input, read to its end into a private temporary file (removed by removeStdinCopies, or when
 * the process exits), so the photo is loaded like any other; it is shown as "-".
 */
async function readStdin(stdin: NodeJS.ReadableStream): Promise<Target> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  const dir = await mkdtemp(join(tmpdir(), 'gradphoto-stdin-'));
  if (!removedAtExit) { removedAtExit = true; process.on('exit', removeStdinCopies); } // one listener, however many runs
  stdinCopies.add(dir);
  const file = join(dir, 'stdin');
  await writeFile(file, Buffer.concat(chunks), { mode: 0o600 });
  return { path: '-', raw: Buffer.from(file) };
}

import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { lstat, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export class WriteRefusal extends Error {
  constructor(readonly messageId: 'exists' | 'isInput' | 'symlink' | 'notFolder' | 'outside', readonly path: string) {
    super(`${messageId}: ${path}`);
  }
}

/** Temporary files of writes under way: removed if the run is interrupted (abandonWrites). */
const underWay = new Set<string>();

/** A temporary file of the caller's (a spooled report) to remove with the others if the run is interrupted; `false` when it is gone. */
export function temporaryUnderWay(path: string, present = true): void {
  if (present) underWay.add(path);
  else underWay.delete(path);
}

/** Remove the temporary files of writes under way, synchronously (the process is about to exit). */
export function abandonWrites(): void {
  for (const temporary of underWay) {
    try { unlinkSync(temporary); } catch { /* already renamed or removed */ }
  }
  underWay.clear();
}

/** A write that failed for a reason of the file system's; the message names the target, never the temporary file. */
export class WriteFailed extends Error {
  constructor(readonly code: string, readonly path: string, message: string) {
    super(message);
  }
}

/** A file-system error while writing `target`, as a sentence saying what to do. */
function writeFailed(error: NodeJS.ErrnoException, target: string): WriteFailed {
  const folder = dirname(resolve(target));
  const code = error.code ?? 'EIO';
  const reason = code === 'ENOENT' ? `the folder ${folder} does not exist; create it or choose another path`
    : code === 'ENOTDIR' ? `a part of ${folder} is a file, not a folder; choose another path`
    : code === 'EACCES' || code === 'EPERM' ? `no permission to write in ${folder}; choose a folder you can write to`
    : code === 'EROFS' ? `${folder} is on a read-only disk; choose another folder`
    : code === 'ENOSPC' || code === 'EDQUOT' ? `the disk holding ${folder} is full; free some space or choose another disk`
    : code === 'EISDIR' ? `${target} is a folder; give a file name`
    : `the system refused it (${code}); check the folder and try again`;
  return new WriteFailed(code, target, reason);
}

/**
 * The output path inside --out-dir for a photo known by `name`, its path inside the folder checked
 * ("甲班/照片.png") or its file name: the same subfolders, the name with a .jpg extension. No part of
 * the name can lead out of the folder.
 */
export function outputPathIn(dir: string, name: string): string {
  const folders = dirname(name).split(/[\\/]/).filter((part) => part !== '' && part !== '.' && part !== '..');
  const stem = basename(name).replace(/\.[^.]*$/, '') || 'photo';
  return join(dir, ...folders, `${stem}.jpg`);
}

/** A file being written: bytes appended in order, then `commit` renames it into place, or `abandon` removes it. */
export interface AtomicFile {
  write(bytes: Uint8Array | string): Promise<void>;
  commit(): Promise<void>;
  abandon(): Promise<void>;
}

/**
 * Write bytes to `target` atomically: a new temporary file in the same folder (created exclusively,
 * flushed to disk), then a rename. Refuses to replace an existing file unless `force`, never
 * replaces the input, never writes through a symbolic link, never writes outside `root`.
 */
export async function writeAtomic(target: string, bytes: Buffer, options: { force: boolean; inputs: string[]; root?: string }): Promise<void> {
  const file = await openAtomic(target, options);
  await file.write(bytes); // a failed write removes the temporary file itself
  await file.commit();
}

/**
 * writeAtomic for bytes that come piece by piece (a report streamed as results arrive): the same refusals,
 * made before anything is written, then a temporary file appended to and renamed over `target` by `commit`.
 */
export async function openAtomic(target: string, options: { force: boolean; inputs: string[]; root?: string }): Promise<AtomicFile> {
  const absolute = resolve(target);
  if (options.root) {
    const root = await realpath(resolve(options.root));
    const parent = await realpath(dirname(absolute));
    if (parent !== root && !parent.startsWith(`${root}/`)) throw new WriteRefusal('outside', target);
  }
  const existing = await lstat(absolute).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new WriteRefusal('symlink', target);
  if (existing) {
    const real = await realpath(absolute);
    for (const input of options.inputs) {
      if (await realpath(input).catch(() => resolve(input)) === real) throw new WriteRefusal('isInput', target);
    }
    if (!existing.isFile()) throw new WriteRefusal('notFolder', target);
    if (!options.force) throw new WriteRefusal('exists', target);
  }
  // A name of its own, not the target's plus a suffix: a legal 254-byte target name plus a suffix is
  // over the 255-byte limit (ENAMETOOLONG). Hidden, so discovery never takes it for a photo.
  const temporary = join(dirname(absolute), `.gradphoto-${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o644).catch((error: NodeJS.ErrnoException) => { throw writeFailed(error, target); });
  underWay.add(temporary);
  const abandon = async () => {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    underWay.delete(temporary);
  };
  return {
    async write(bytes) {
      try {
        await handle.writeFile(bytes);
      } catch (error) {
        await abandon();
        throw writeFailed(error as NodeJS.ErrnoException, target);
      }
    },
    async commit() {
      try {
        await handle.sync();
      } catch (error) {
        await abandon();
        throw writeFailed(error as NodeJS.ErrnoException, target);
      }
      await handle.close();
      try {
        await rename(temporary, absolute);
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw writeFailed(error as NodeJS.ErrnoException, target);
      } finally {
        underWay.delete(temporary);
      }
    },
    abandon,
  };
}

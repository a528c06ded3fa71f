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

/** Remove the temporary files of writes under way, synchronously (the process is about to exit). */
export function abandonWrites(): void {
  for (const temporary of underWay) {
    try { unlinkSync(temporary); } catch { /* already renamed or removed */ }
  }
  underWay.clear();
}

/** The output path for an input inside --out: its base name with a .jpg extension, never a path of its own. */
export function outputPathIn(dir: string, input: string): string {
  const stem = basename(input).replace(/\.[^.]*$/, '') || 'photo';
  return join(dir, `${stem}.jpg`);
}

/**
 * Write bytes to `target` atomically: a new temporary file in the same folder (created exclusively,
 * flushed to disk), then a rename. Refuses to replace an existing file unless `force`, never
 * replaces the input, never writes through a symbolic link, never writes outside `root`.
 */
export async function writeAtomic(target: string, bytes: Buffer, options: { force: boolean; inputs: string[]; root?: string }): Promise<void> {
  const absolute = resolve(target);
  if (options.root) {
    const root = await realpath(resolve(options.root));
    const parent = await realpath(dirname(absolute));
    if (parent !== root && !parent.startsWith(root + '/')) throw new WriteRefusal('outside', target);
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
  const handle = await open(temporary, 'wx', 0o644);
  underWay.add(temporary);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    underWay.delete(temporary);
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, absolute);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  } finally {
    underWay.delete(temporary);
  }
}

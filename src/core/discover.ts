import { open, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import fg from 'fast-glob';
import { looksLikeImage } from '../formats/container.js';
import { fsFailure } from './load.js';

export type Target =
  | { path: string }
  /** A path that cannot be a photo to check: reported as an error, the batch goes on. */
  | { path: string; failure: { messageId: string; data: Record<string, string | number> } };

const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg']);
const SNIFF_BYTES = 32;
const collator = new Intl.Collator('en', { numeric: true });

async function startsLikeImage(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
      return looksLikeImage(buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return false; // unreadable non-.jpg files in a folder are not photos we were asked about
  }
}

/**
 * Photos in a folder: every .jpg/.jpeg (any case), and any other file whose first bytes are a
 * picture (a PNG or HEIC named .png/.heic is still a photo someone meant to upload). Hidden files
 * are skipped; symbolic links to folders are not followed, so link loops cannot hang the walk.
 */
async function photosInFolder(folder: string): Promise<string[]> {
  const entries = await fg('**/*', {
    cwd: folder, dot: false, onlyFiles: false, followSymbolicLinks: false,
    suppressErrors: true, objectMode: true, markDirectories: false,
  });
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.path);
    const isNamedPhoto = PHOTO_EXTENSIONS.has(extname(entry.name).toLowerCase());
    if (entry.dirent.isDirectory()) {
      continue;
    }
    if (entry.dirent.isSymbolicLink()) {
      // A link to a photo counts; a link to a folder or a dangling link named .jpg is reported by the loader.
      const target = await stat(path).catch(() => undefined);
      if (target?.isDirectory()) continue;
      if (isNamedPhoto || (target?.isFile() && await startsLikeImage(path))) found.push(path);
      continue;
    }
    if (isNamedPhoto || await startsLikeImage(path)) found.push(path);
  }
  return found.sort(collator.compare);
}

/** Expand command-line paths into files to check, in a stable order, keeping problems as targets. */
export async function discover(paths: string[]): Promise<Target[]> {
  const targets: Target[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      targets.push({ path, failure: fsFailure(info, path) });
      continue;
    }
    if (info.isDirectory()) {
      if (PHOTO_EXTENSIONS.has(extname(path).toLowerCase())) {
        targets.push({ path, failure: { messageId: 'isDirectory', data: { path } } });
        continue;
      }
      const photos = await photosInFolder(path);
      if (photos.length === 0) targets.push({ path, failure: { messageId: 'emptyFolder', data: { path } } });
      for (const photo of photos) targets.push({ path: photo });
      continue;
    }
    targets.push({ path });
  }
  return targets;
}

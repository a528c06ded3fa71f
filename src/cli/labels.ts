import { stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';

/**
 * Each photo found inside a folder given on the command line, by its path inside that folder
 * ("甲班/照片.jpg" for class/甲班/照片.jpg): what a teacher recognises in a report, and the name its
 * fixed photo or annotation keeps under --out-dir / --annotate, so 甲班/照片.jpg and 乙班/照片.jpg stay apart.
 * Photos named directly are not in the map.
 */
export async function pathsInFolders(args: string[], photos: string[]): Promise<Map<string, string>> {
  const folders: string[] = [];
  for (const arg of args) if ((await stat(arg).catch(() => undefined))?.isDirectory()) folders.push(arg);
  const inside = new Map<string, string>();
  for (const photo of photos) {
    for (const folder of folders) {
      const path = relative(folder, photo);
      if (path && !isAbsolute(path) && path !== '..' && !path.startsWith(`..${sep}`)) { inside.set(photo, path); break; }
    }
  }
  return inside;
}

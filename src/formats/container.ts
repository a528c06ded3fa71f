import type { ContainerInfo, ContainerName } from '../contract/types.js';

export type { ContainerInfo, ContainerName };

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** ISO-BMFF (HEIF family): the major brand and compatible brands in the `ftyp` box decide. */
function sniffIsoBmff(bytes: Uint8Array): ContainerName | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return undefined;
  const boxSize = Math.min(bytes.length, (bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) >>> 0 || 16);
  const brands = [ascii(bytes, 8, 4)];
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(bytes, at, 4));
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'AVIF';
  if (brands.some((b) => HEIC_BRANDS.has(b)) || brands[0] === 'mif1' || brands[0] === 'msf1') return 'HEIC';
  return undefined;
}

export function sniffContainer(bytes: Uint8Array): ContainerInfo {
  const b = bytes;
  const name: ContainerName =
    b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff ? 'JPEG'
    : b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' ? 'PNG'
    : b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP' ? 'WebP'
    : b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') ? 'GIF'
    : b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*') ? 'TIFF'
    : b.length >= 14 && ascii(b, 0, 2) === 'BM' ? 'BMP'
    : b.length >= 5 && ascii(b, 0, 5) === '%PDF-' ? 'PDF'
    : sniffIsoBmff(b) ?? 'unknown';
  return { name, label: name === 'unknown' ? 'unknown' : name };
}

/** True when the bytes start like a picture gradphoto should look at (used to find mis-named photos in folders). */
export function looksLikeImage(bytes: Uint8Array): boolean {
  const { name } = sniffContainer(bytes);
  return name !== 'unknown' && name !== 'PDF';
}

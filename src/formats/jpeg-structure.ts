/**
 * A walk over the JPEG marker segments: frame type, quantisation tables, density and where the
 * image really ends. Reads bytes only (no decoding), so it works on files sharp refuses.
 */

import type { JpegCoding, JpegStructure, QuantTable } from '../contract/types.js';

export type { JpegCoding, JpegStructure, QuantTable };

const SOF_CODING: Record<number, JpegCoding> = {
  0xc0: 'baseline', 0xc1: 'extended', 0xc2: 'progressive', 0xc3: 'lossless',
  0xc5: 'hierarchical', 0xc6: 'hierarchical', 0xc7: 'hierarchical',
  0xc9: 'arithmetic', 0xca: 'arithmetic', 0xcb: 'arithmetic',
  0xcd: 'arithmetic', 0xce: 'arithmetic', 0xcf: 'arithmetic',
};

function readDqt(bytes: Uint8Array, start: number, end: number, out: QuantTable[]): void {
  let at = start;
  while (at < end) {
    const pq = bytes[at] >> 4;
    const id = bytes[at] & 0x0f;
    at += 1;
    const precision = pq === 0 ? 8 : 16;
    const size = precision === 8 ? 64 : 128;
    if (at + size > end) return;
    const values: number[] = [];
    for (let i = 0; i < 64; i++) {
      values.push(precision === 8 ? bytes[at + i] : (bytes[at + 2 * i] << 8) | bytes[at + 2 * i + 1]);
    }
    at += size;
    // A later table with the same id replaces the earlier one for the frames after it; keep the first set.
    if (!out.some((t) => t.id === id)) out.push({ id, precision, values });
  }
}

/** Skip entropy-coded data after SOS: stop at the first marker that is not a stuffed 0xFF00 or a restart marker. */
function skipScan(bytes: Uint8Array, at: number): number {
  const n = bytes.length;
  while (at < n - 1) {
    if (bytes[at] !== 0xff) { at++; continue; }
    const next = bytes[at + 1];
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) { at += next === 0xff ? 1 : 2; continue; }
    return at;
  }
  return n;
}

export function parseJpegStructure(bytes: Uint8Array): JpegStructure {
  const s: JpegStructure = { quantTables: [], componentTables: [], hasExif: false, trailingBytes: 0, truncated: false };
  const n = bytes.length;
  let at = 2;
  while (at < n) {
    if (bytes[at] !== 0xff) {
      s.malformed = `byte 0x${bytes[at].toString(16)} at offset ${at} where a marker was expected`;
      // Some writers leave junk before a marker: resynchronise on the next 0xFF.
      while (at < n && bytes[at] !== 0xff) at++;
      continue;
    }
    while (at < n && bytes[at] === 0xff) at++; // fill bytes
    if (at >= n) break;
    const marker = bytes[at++];
    if (marker === 0xd9) { s.endOffset = at; break; }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    if (at + 2 > n) break;
    const length = (bytes[at] << 8) | bytes[at + 1];
    const segStart = at + 2;
    const segEnd = at + length;
    if (length < 2 || segEnd > n) { s.malformed = `segment 0xFF${marker.toString(16).toUpperCase()} runs past the end of the file`; break; }
    if (marker in SOF_CODING) {
      s.coding ??= SOF_CODING[marker];
      s.precision ??= bytes[segStart];
      s.frameHeight ??= (bytes[segStart + 1] << 8) | bytes[segStart + 2];
      s.frameWidth ??= (bytes[segStart + 3] << 8) | bytes[segStart + 4];
      const count = bytes[segStart + 5];
      if (s.components === undefined) {
        s.components = count;
        for (let c = 0; c < count; c++) s.componentTables.push(bytes[segStart + 6 + c * 3 + 2]);
      }
    } else if (marker === 0xdb) {
      readDqt(bytes, segStart, segEnd, s.quantTables);
    } else if (marker === 0xe0 && length >= 16 && String.fromCharCode(...bytes.subarray(segStart, segStart + 5)) === 'JFIF\0') {
      s.jfifDensity = {
        units: bytes[segStart + 7],
        x: (bytes[segStart + 8] << 8) | bytes[segStart + 9],
        y: (bytes[segStart + 10] << 8) | bytes[segStart + 11],
      };
    } else if (marker === 0xe1 && String.fromCharCode(...bytes.subarray(segStart, segStart + 4)) === 'Exif') {
      s.hasExif = true;
    } else if (marker === 0xee && String.fromCharCode(...bytes.subarray(segStart, segStart + 5)) === 'Adobe') {
      s.adobeTransform = bytes[segStart + 11];
    }
    at = segEnd;
    if (marker === 0xda) at = skipScan(bytes, at);
  }
  if (s.endOffset === undefined) s.truncated = true;
  else s.trailingBytes = n - s.endOffset;
  return s;
}

/** The description ('desc' tag) of an ICC profile, e.g. "sRGB IEC61966-2.1" or "Display P3". */
export function iccDescription(icc: Uint8Array | undefined): string | undefined {
  if (!icc || icc.length < 132) return undefined;
  const view = new DataView(icc.buffer, icc.byteOffset, icc.byteLength);
  const count = view.getUint32(128);
  for (let i = 0; i < count && 132 + i * 12 + 12 <= icc.length; i++) {
    const entry = 132 + i * 12;
    const signature = String.fromCharCode(...icc.subarray(entry, entry + 4));
    if (signature !== 'desc') continue;
    const offset = view.getUint32(entry + 4);
    const size = view.getUint32(entry + 8);
    if (offset + size > icc.length || size < 12) return undefined;
    const type = String.fromCharCode(...icc.subarray(offset, offset + 4));
    if (type === 'desc') {
      const length = view.getUint32(offset + 8);
      return String.fromCharCode(...icc.subarray(offset + 12, offset + 12 + Math.max(0, length - 1))).trim();
    }
    if (type === 'mluc') {
      const recordSize = view.getUint32(offset + 12);
      if (view.getUint32(offset + 8) < 1 || recordSize < 12) return undefined;
      const length = view.getUint32(offset + 20);
      const start = offset + view.getUint32(offset + 24);
      let text = '';
      for (let at = start; at + 1 < start + length && at + 1 < icc.length; at += 2) text += String.fromCharCode(view.getUint16(at));
      return text.trim();
    }
  }
  return undefined;
}

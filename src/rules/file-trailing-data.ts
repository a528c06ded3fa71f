import { defineRule, pass, skip, warn } from '../contract/rule.js';

export interface TrailingDataOptions {
  /** A few bytes (a newline, zero padding from some writers) are harmless. */
  maxBytes: number;
}

/** Bytes after the JPEG end-of-image marker: size padding, a second picture (MPO), a half-overwritten file. */
export default defineRule<TrailingDataOptions>({
  id: 'file.trailing-data',
  meta: {
    description: { zh: 'JPEG 结束标记之后没有多余数据', en: 'no data after the JPEG end marker' },
    messageIds: ['ok', 'trailing', 'secondImage', 'notJpeg', 'noEnd'],
    defaultOptions: { maxBytes: 8 },
    needs: 'bytes',
  },
  check({ photo, options }) {
    const jpeg = photo.jpeg;
    if (!jpeg) return skip('notJpeg', { data: { format: photo.container.label } });
    if (jpeg.endOffset === undefined) return skip('noEnd');
    const bytes = jpeg.trailingBytes;
    const rest = { data: { bytes, max: options.maxBytes }, measured: bytes, expected: { max: options.maxBytes } };
    if (bytes <= options.maxBytes) return pass('ok', rest);
    const after = photo.bytes.subarray(jpeg.endOffset, jpeg.endOffset + 3);
    const secondImage = after[0] === 0xff && after[1] === 0xd8 && after[2] === 0xff;
    return warn(secondImage ? 'secondImage' : 'trailing', rest);
  },
});

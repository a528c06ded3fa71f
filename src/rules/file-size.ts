import { defaultProfileOptions } from '../profiles/index.js';
import { defineRule, fail, pass, round, warn } from '../contract/rule.js';

export interface FileSizeOptions {
  /** Pass window, bytes. */
  minBytes: number;
  maxBytes: number;
  /** Outer band that is ambiguous ("KB" as 1000 or 1024 bytes): warn, do not fail. */
  warnMinBytes: number;
  warnMaxBytes: number;
}

/** File size in bytes against the profile's byte window (warn bands where "KB" may mean 1000 or 1024 bytes). */
export default defineRule<FileSizeOptions>({
  id: 'file.size',
  meta: {
    description: { zh: '文件大小在 {minBytes}–{maxBytes} 字节之间', en: 'file size within {minBytes}–{maxBytes} bytes' },
    messageIds: ['ok', 'tooSmall', 'tooLarge', 'nearLow', 'nearHigh'],
    defaultOptions: defaultProfileOptions<FileSizeOptions>('file.size'),
    needs: 'bytes',
  },
  check({ photo, options }) {
    const bytes = photo.fileSize;
    const data = { bytes, kb: round(bytes / 1024), min: options.minBytes, max: options.maxBytes };
    const rest = { data, measured: bytes, expected: { min: options.minBytes, max: options.maxBytes } };
    if (bytes >= options.minBytes && bytes <= options.maxBytes) return pass('ok', rest);
    if (bytes >= options.warnMinBytes && bytes < options.minBytes) return warn('nearLow', rest);
    if (bytes > options.maxBytes && bytes <= options.warnMaxBytes) return warn('nearHigh', rest);
    return fail(bytes < options.minBytes ? 'tooSmall' : 'tooLarge', rest);
  },
});

import { defineRule, fail, pass } from '../contract/rule.js';

/** The file can be read and fully decoded. A failure makes the file's verdict `error`. */
export default defineRule({
  id: 'file.decode',
  meta: {
    description: { zh: '文件能完整读取和解码', en: 'the file can be read and fully decoded' },
    messageIds: ['ok', 'empty', 'truncated', 'corrupt', 'heic', 'unsupportedJpeg', 'unsupportedFormat', 'notAnImage', 'tooManyPixels', 'tooLittleData', 'decodeTimeout',
      // A file that cannot be read at all is reported under this rule too (core/run.ts errorResult).
      'notFound', 'noPermission', 'isDirectory', 'notRegularFile', 'symlinkLoop', 'readFailed', 'fileTooLarge', 'emptyFolder', 'folderUnreadable', 'noMatch'],
    defaultOptions: {},
    needs: 'bytes',
  },
  check({ photo }) {
    if (photo.decodeFailure) {
      return fail(photo.decodeFailure.messageId, { data: photo.decodeFailure.data, measured: photo.decodeFailure.messageId, expected: 'decodable' });
    }
    return pass('ok', { data: { format: photo.container.label }, measured: 'decodable', expected: 'decodable' });
  },
});

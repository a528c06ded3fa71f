import { defineRule, fail, pass, warn } from '../contract/rule.js';

/** The name's extension, as node:path's extname gives it ('' for ".hidden"): rules run in the web page too. */
function extname(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot);
}

export interface FileFormatOptions {
  extensions: string[];
  /** Progressive JPEGs are valid but some upload systems refuse them. */
  progressive: 'pass' | 'warn' | 'fail';
}

/** The real container, from the magic bytes, and how the JPEG is coded. */
export default defineRule<FileFormatOptions>({
  id: 'file.format',
  meta: {
    description: { zh: '文件真实格式为 JPEG（按文件头判断），扩展名为 .jpg', en: 'the file really is a JPEG (by its bytes) named .jpg' },
    messageIds: ['ok', 'notJpeg', 'heic', 'wrongExtension', 'progressive', 'unusualCoding', 'twelveBit'],
    defaultOptions: { extensions: ['.jpg', '.jpeg'], progressive: 'warn' },
    needs: 'bytes',
  },
  check({ photo, options }) {
    const extension = extname(photo.path).toLowerCase();
    const coding = photo.jpeg?.coding;
    const measured = { container: photo.container.name, coding: coding ?? null, extension };
    const expected = { container: 'JPEG', coding: 'baseline', extension: options.extensions };
    const base = { measured, expected };
    if (photo.container.name === 'HEIC') return fail('heic', { ...base, data: { extension } });
    if (photo.container.name !== 'JPEG') {
      return fail('notJpeg', { ...base, data: { format: photo.container.label, extension } });
    }
    const findings = [];
    if (photo.jpeg?.precision === 12) findings.push(fail('twelveBit', base));
    if (coding === 'arithmetic' || coding === 'lossless' || coding === 'hierarchical') {
      findings.push(fail('unusualCoding', { ...base, data: { coding } }));
    }
    // "-" is a photo read from standard input: it has no name to judge.
    if (photo.path !== '-' && !options.extensions.includes(extension)) {
      findings.push(fail('wrongExtension', { ...base, data: { extension: extension || '(none)' } }));
    }
    if (coding === 'progressive' && options.progressive !== 'pass') {
      findings.push((options.progressive === 'fail' ? fail : warn)('progressive', base));
    }
    return findings.length > 0 ? findings : pass('ok', { ...base, data: { coding: coding ?? 'baseline' } });
  },
});

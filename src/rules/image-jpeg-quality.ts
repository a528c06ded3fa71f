import { estimateJpegQuality } from '../formats/jpeg-quality.js';
import { defaultProfileOptions } from '../profiles/index.js';
import { defineRule, fail, pass, skip } from '../contract/rule.js';

export interface JpegQualityOptions {
  minQuality: number;
}

/** Encoder quality, estimated from the quantisation tables; the standard asks for at least 60. */
export default defineRule<JpegQualityOptions>({
  id: 'image.jpeg-quality',
  meta: {
    description: { zh: 'JPEG 压缩质量不低于 {minQuality}', en: 'JPEG quality at least {minQuality}' },
    messageIds: ['ok', 'tooLow', 'notJpeg', 'noTables'],
    defaultOptions: defaultProfileOptions<JpegQualityOptions>('image.jpeg-quality'),
    needs: 'bytes',
  },
  check({ photo, options }) {
    if (photo.container.name !== 'JPEG' || !photo.jpeg) return skip('notJpeg', { data: { format: photo.container.label } });
    const estimate = estimateJpegQuality(photo.jpeg.quantTables, photo.jpeg.componentTables);
    if (!estimate) return skip('noTables');
    const rest = {
      data: { quality: estimate.quality, min: options.minQuality },
      measured: estimate,
      expected: { min: options.minQuality },
    };
    return estimate.quality >= options.minQuality ? pass('ok', rest) : fail('tooLow', rest);
  },
});

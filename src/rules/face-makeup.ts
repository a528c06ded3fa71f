import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, pass, round, skip, warn } from '../contract/rule.js';

export interface MakeupOptions {
  /** Lip chroma (CIELAB) above the face's own skin chroma from which lipstick reads as heavy. */
  lipChromaWarn: number;
}

/** No heavy makeup (the notice: 不可化浓妆). Warn only: a person decides. */
export default defineRule<MakeupOptions>({
  id: 'face.makeup',
  meta: {
    description: { zh: '不化浓妆（仅提示）', en: 'no heavy makeup (a warning only)' },
    messageIds: ['ok', 'lipstick', 'noSingleFace'],
    defaultOptions: { lipChromaWarn: 27 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    const lips = round(regions.lipChromaExcess);
    const rest = { data: { lips, max: options.lipChromaWarn }, measured: { lipChromaAboveSkin: lips }, expected: { lipChromaAboveSkin: { max: options.lipChromaWarn } } };
    return lips >= options.lipChromaWarn ? warn('lipstick', rest) : pass('ok', rest);
  },
});

import { faces } from '../analysis/face.js';
import { defineRule, fail, pass } from '../contract/rule.js';

/** Exactly one human face; faces far smaller than the main one (people far behind) are ignored. */
export default defineRule({
  id: 'face.count',
  meta: {
    description: { zh: '照片中恰好有一张人脸', en: 'exactly one human face' },
    messageIds: ['ok', 'none', 'onlySmall', 'unlikeHuman', 'many', 'cutAtEdge'],
    defaultOptions: {},
  },
  async check({ photo }) {
    const analysis = await faces(photo);
    const cut = analysis.cutAtEdge.length;
    const count = analysis.faces.length + cut;
    const rest = { data: { count, ignored: analysis.ignoredSmall }, measured: { faces: count, ignoredSmall: analysis.ignoredSmall, ...(cut > 0 ? { cutAtEdge: cut } : {}) }, expected: 1 };
    if (count === 1) return pass('ok', rest);
    if (analysis.faces.length === 1 && cut > 0) {
      const sides = [...new Set(analysis.cutAtEdge.map((face) => face.side))];
      return fail('cutAtEdge', { ...rest, data: { ...rest.data, side: sides.length === 2 ? 'both' : sides[0] } });
    }
    if (count === 0 && analysis.unlikeHuman !== undefined) {
      return fail('unlikeHuman', { ...rest, data: { ...rest.data, score: Math.round(analysis.unlikeHuman * 100) / 100 }, measured: { ...rest.measured, detectorScore: analysis.unlikeHuman } });
    }
    if (count === 0 && analysis.ignoredSmall > 0) {
      const share = Math.round((100 * analysis.largestWidth) / photo.pixels.width);
      return fail('onlySmall', { ...rest, data: { ...rest.data, share } });
    }
    return fail(count === 0 ? 'none' : 'many', rest);
  },
});

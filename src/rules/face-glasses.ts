import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, fail, pass, round, skip, warn } from '../contract/rule.js';

export interface GlassesOptions {
  /** Bridge edge ratio: frames across the nose make a strong horizontal edge there. */
  bridgeFail: number;
  bridgeWarn: number;
  /** Eye regions this much darker (L*) than the cheeks: tinted lenses or sunglasses. */
  tintedFail: number;
  /** A lower-rim edge this strong under the eyes is a lens when the bridge edge is at least rimBridgeMin (alone it is not:
   * a street portrait without glasses measured 6.5). */
  lowerRimFail: number;
  rimBridgeMin: number;
}

/** Glasses, clear or tinted: the notice says glasses off. */
export default defineRule<GlassesOptions>({
  id: 'face.glasses',
  meta: {
    description: { zh: '未戴眼镜（通知要求摘眼镜）', en: 'no glasses (the notice says glasses off)' },
    messageIds: ['ok', 'glasses', 'maybe', 'tinted', 'noSingleFace'],
    defaultOptions: { bridgeFail: 2.6, bridgeWarn: 1.95, tintedFail: 45, lowerRimFail: 5, rimBridgeMin: 1.75 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    const bridge = round(regions.glassesBridge, 2);
    const darkness = round(regions.lensDarkness);
    const lowerRim = round(regions.glassesLowerRim, 2);
    const rest = {
      data: { bridge, darkness, lowerRim },
      measured: { bridgeEdge: bridge, lensDarkness: darkness, lowerRim },
      expected: { bridgeEdge: { max: options.bridgeWarn }, lensDarkness: { max: options.tintedFail }, lowerRim: { max: options.lowerRimFail } },
    };
    if (darkness > options.tintedFail) return fail('tinted', rest);
    // Cues combined: a strong bridge edge alone, or a weaker one with lens rims under the eyes.
    if (bridge >= options.bridgeFail || (bridge >= options.rimBridgeMin && lowerRim >= options.lowerRimFail)) return fail('glasses', rest);
    if (bridge >= options.bridgeWarn) return warn('maybe', rest);
    return pass('ok', rest);
  },
});

import { background } from '../analysis/background.js';
import { colourName, deltaE2000, rgbToLab, type Rgb } from '../analysis/colour.js';
import { defaultProfileOptions } from '../profiles/index.js';
import { defineRule, fail, pass, round, warn } from '../contract/rule.js';

export interface BackgroundColorOptions {
  reference: Rgb;
  /** CIEDE2000 distance to the reference: up to passBelow passes; a blue up to warnBelow warns. */
  passBelow: number;
  warnBelow: number;
  minShare: number;
  /** Chroma (CIELAB) as a share of the reference's: below chromaWarn a near blue is greyish (warns), below chromaFail it is grey-teal, not blue. */
  chromaWarn: number;
  chromaFail: number;
}

/** Mean colour of the background against the standard's light blue, as a CIEDE2000 distance. */
export default defineRule<BackgroundColorOptions>({
  id: 'background.color',
  meta: {
    description: { zh: '背景为浅蓝色，参考值 RGB({reference})', en: 'light blue background, reference RGB({reference})' },
    messageIds: ['ok', 'offBlue', 'notBlue', 'notFound'],
    defaultOptions: defaultProfileOptions<BackgroundColorOptions>('background.color'),
  },
  async check({ photo, options }) {
    const bg = await background(photo);
    // A diploma photo shows the backdrop around the head and shoulders: one with almost none is a face
    // crop, not a compliant photo (so it fails rather than going unmeasured).
    if (bg.share < options.minShare) return fail('notFound', { data: { share: Math.round(bg.share * 100) }, measured: { backgroundShare: round(bg.share * 100) }, expected: { minBackgroundShare: options.minShare * 100 } });
    const mean = bg.mean.map(Math.round) as Rgb;
    const distance = round(deltaE2000(rgbToLab(mean), rgbToLab(options.reference)));
    const { hue, lightness } = colourName(mean);
    const name = lightness === 'normal' || hue === 'white' || hue === 'black' ? hue : `${lightness} ${hue}`;
    const [r, g, b] = mean;
    const data = { r, g, b, distance, name, max: options.passBelow };
    const rest = { data, measured: { rgb: mean, deltaE2000: distance, name }, expected: { rgb: options.reference, maxDeltaE2000: options.passBelow } };
    // ΔE2000 forgives lost chroma near grey: a grey-teal wall RGB(107,157,180) is only 13.6 from the reference.
    const chroma = (rgb: Rgb) => { const [, a, bb] = rgbToLab(rgb); return Math.hypot(a, bb); };
    const chromaShare = chroma(mean) / Math.max(1e-6, chroma(options.reference));
    if (hue === 'blue' && distance <= options.passBelow && chromaShare < options.chromaFail) return fail('offBlue', rest);
    if (hue === 'blue' && distance <= options.passBelow && chromaShare < options.chromaWarn) return warn('offBlue', rest);
    if (hue === 'blue' && distance <= options.passBelow) return pass('ok', rest);
    if (hue === 'blue' && distance <= options.warnBelow) return warn('offBlue', rest);
    return fail(hue === 'blue' ? 'offBlue' : 'notBlue', rest);
  },
});

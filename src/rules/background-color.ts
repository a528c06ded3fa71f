import { background } from '../analysis/background.js';
import { colourName, deltaE2000, rgbToLab, type Rgb } from '../analysis/colour.js';
import { defaultProfileOptions } from '../profiles/index.js';
import type { ColourData } from '../profiles/types.js';
import { defineRule, fail, pass, round, warn } from '../contract/rule.js';

export interface BackgroundColorOptions {
  /** The colours the profile allows, the first the one fix puts by default; each with its names for messages. */
  colours: ColourData[];
  /** CIEDE2000 distance to the nearest allowed colour: up to passBelow passes; the same kind of colour up to warnBelow warns. */
  passBelow: number;
  warnBelow: number;
  minShare: number;
  /**
   * Chroma (CIELAB) as a share of a colourful reference's: below chromaWarn a near blue is greyish (warns),
   * below chromaFail it is grey-teal, not blue. Not applied to white and grey references.
   */
  chromaWarn: number;
  chromaFail: number;
}

const chroma = (rgb: Rgb) => { const [, a, b] = rgbToLab(rgb); return Math.hypot(a, b); };
/** A reference this colourless is a white or a grey: lost chroma says nothing against it. */
const NEUTRAL_CHROMA = 8;

/** Mean colour of the background against the profile's allowed colours, as a CIEDE2000 distance to the nearest. */
export default defineRule<BackgroundColorOptions>({
  id: 'background.color',
  meta: {
    description: { zh: '背景为{colours}', en: 'background {colours}' },
    messageIds: ['ok', 'offColour', 'otherColour', 'notFound'],
    defaultOptions: defaultProfileOptions<BackgroundColorOptions>('background.color'),
  },
  async check({ photo, options }) {
    const bg = await background(photo);
    // A diploma photo shows the backdrop around the head and shoulders: one with almost none is a face
    // crop, not a compliant photo (so it fails rather than going unmeasured).
    if (bg.share < options.minShare) return fail('notFound', { data: { share: Math.round(bg.share * 100) }, measured: { backgroundShare: round(bg.share * 100) }, expected: { minBackgroundShare: options.minShare * 100 } });
    const mean = bg.mean.map(Math.round) as Rgb;
    const lab = rgbToLab(mean);
    const distances = options.colours.map((c) => round(deltaE2000(lab, rgbToLab(c.rgb))));
    const target = distances.indexOf(Math.min(...distances));
    const reference = options.colours[target].rgb;
    const distance = distances[target];
    const { hue, lightness } = colourName(mean);
    const name = lightness === 'normal' || hue === 'white' || hue === 'black' ? hue : `${lightness} ${hue}`;
    // The same kind of colour as the nearest allowed one: a blue for a blue, a white or grey for a white or grey.
    const referenceHue = colourName(reference).hue;
    const neutral = (h: string) => h === 'white' || h === 'grey';
    const sameKind = hue === referenceHue || (neutral(hue) && neutral(referenceHue));
    const [r, g, b] = mean;
    const data = { r, g, b, distance, name, max: options.passBelow, target, targetRgb: reference.join(',') };
    const rest = {
      data,
      measured: { rgb: mean, deltaE2000: distance, name },
      expected: { rgb: reference, maxDeltaE2000: options.passBelow, allowed: options.colours.map((c) => c.rgb) },
    };
    // ΔE2000 forgives lost chroma near grey: a grey-teal wall RGB(107,157,180) is only 13.6 from the light blue.
    const referenceChroma = chroma(reference);
    const chromaShare = referenceChroma < NEUTRAL_CHROMA ? 1 : chroma(mean) / referenceChroma;
    if (sameKind && distance <= options.passBelow && chromaShare < options.chromaFail) return fail('offColour', rest);
    if (sameKind && distance <= options.passBelow && chromaShare < options.chromaWarn) return warn('offColour', rest);
    if (sameKind && distance <= options.passBelow) return pass('ok', rest);
    if (sameKind && distance <= options.warnBelow) return warn('offColour', rest);
    return fail(sameKind ? 'offColour' : 'otherColour', rest);
  },
});

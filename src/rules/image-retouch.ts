import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, pass, round, skip, warn } from '../contract/rule.js';
import type { Finding } from '../contract/types.js';

export interface RetouchOptions {
  /** Cheek texture / eye-region texture below which skin looks airbrushed. */
  smoothBelow: number;
  /** Software names of beauty apps (EXIF Software), matched case-insensitively. */
  apps: string[];
}

/** Over-beautified skin or beauty-app traces: warn only, a person should look. */
export default defineRule<RetouchOptions>({
  id: 'image.retouch',
  meta: {
    description: { zh: '无过度美颜、磨皮', en: 'no heavy beautification or skin smoothing' },
    messageIds: ['ok', 'app', 'smooth', 'noSingleFace'],
    defaultOptions: {
      smoothBelow: 0.025,
      apps: ['meitu', '美图', 'beautycam', 'beauty', '美颜', 'facetune', 'snow', 'b612', 'ulike', '醒图', '轻颜', 'faceu', 'youcam', 'airbrush', 'picsart'],
    },
  },
  async check({ photo, options }) {
    const software = String(photo.exif?.Software ?? '');
    const findings: Finding[] = [];
    const app = options.apps.find((name) => software.toLowerCase().includes(name.toLowerCase()));
    const regions = await faceRegions(photo);
    const texture = regions ? round(regions.skinTexture, 3) : null;
    const measured = { software: software || null, skinTexture: texture };
    const expected = { skinTexture: { min: options.smoothBelow } };
    if (app) findings.push(warn('app', { data: { software }, measured, expected }));
    if (!regions && findings.length === 0) return skip('noSingleFace', { data: { count: 0 } });
    if (texture !== null && texture < options.smoothBelow) findings.push(warn('smooth', { data: { texture }, measured, expected }));
    return findings.length > 0 ? findings : pass('ok', { data: { texture: texture ?? 0 }, measured, expected });
  },
});

import type { Lang } from '../contract/types.js';
import type { Profile } from '../profiles/types.js';
import { ruleOptions } from '../rules/index.js';

const WORDS = {
  en: { frame: 'frame', bytes: 'bytes', background: 'background', dpi: 'dpi', confidence: 'confidence', sources: 'sources: ', default: ' (default)', sure: { high: 'high', medium: 'medium', low: 'low' } },
  zh: { frame: '尺寸', bytes: '字节', background: '背景', dpi: '分辨率', confidence: '可信度', sources: '来源：', default: '（默认）', sure: { high: '高', medium: '中', low: '低' } },
} as const;

/**
 * `gradphoto profiles`: each profile's id and name, its main numbers (frame, byte window, background
 * reference, dpi) as the profile resolves them, how sure we are of them and where they come from.
 */
export function formatProfilesListing(profiles: Iterable<Profile>, lang: Lang, defaultId?: string): string {
  const w = WORDS[lang];
  const blocks: string[] = [];
  for (const profile of profiles) {
    const size = ruleOptions<{ minBytes: number; maxBytes: number }>(profile, 'file.size');
    const colour = ruleOptions<{ reference: number[] }>(profile, 'background.color');
    const dpi = ruleOptions<{ dpi: number }>(profile, 'image.dpi');
    blocks.push([
      `${profile.id}${profile.id === defaultId ? w.default : ''}  ${profile.description[lang]}`,
      `   ${w.frame} ${profile.frame.width}x${profile.frame.height} · ${w.bytes} ${size.minBytes}–${size.maxBytes} · ${w.background} RGB(${colour.reference.join(',')}) · ${w.dpi} ${dpi.dpi} · ${w.confidence} ${w.sure[profile.confidence]}`,
      ...profile.sources.map((source, i) => `   ${i === 0 ? w.sources : ''.padEnd(w.sources.length * (lang === 'zh' ? 2 : 1))}${source}`),
    ].join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

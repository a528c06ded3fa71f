import type { Lang } from '../contract/types.js';
import type { Profile } from '../profiles/types.js';
import { ruleOptions } from '../rules/index.js';
import type { BackgroundColorOptions } from '../rules/background-color.js';
import { frameSize } from './localise.js';

const WORDS = {
  en: { glassesAllowed: 'glasses allowed', glassesWarn: 'glasses warn', glassesForbidden: 'no glasses', frame: 'frame', bytes: 'bytes', background: 'background', dpi: 'dpi', confidence: 'confidence', sources: 'sources: ', default: ' (default)', sure: { high: 'high', medium: 'medium', low: 'low' } },
  zh: { glassesAllowed: '可戴眼镜', glassesWarn: '眼镜仅提醒', glassesForbidden: '不可戴眼镜', frame: '尺寸', bytes: '字节', background: '背景', dpi: '分辨率', confidence: '可信度', sources: '来源：', default: '（默认）', sure: { high: '高', medium: '中', low: '低' } },
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
    const { colours } = ruleOptions<BackgroundColorOptions>(profile, 'background.color');
    const dpi = profile.rules['image.dpi']?.level === 'off' ? '–' : ruleOptions<{ dpi: number }>(profile, 'image.dpi').dpi;
    const glasses = { off: w.glassesAllowed, warn: w.glassesWarn, error: w.glassesForbidden }[profile.rules['face.glasses']?.level ?? 'error'];
    blocks.push([
      `${profile.id}${profile.id === defaultId ? w.default : ''}  ${profile.description[lang]}`,
      `   ${w.frame} ${frameSize(profile, lang)} · ${w.bytes} ${size.minBytes}–${size.maxBytes} · ${w.dpi} ${dpi} · ${glasses} · ${w.confidence} ${w.sure[profile.confidence]}`,
      `   ${w.background} ${colours.map((c) => `${c.id}: ${c.name[lang]} RGB(${c.rgb.join(',')})`).join(lang === 'zh' ? '、' : ', ')}`,
      ...profile.sources.map((source, i) => `   ${i === 0 ? w.sources : ''.padEnd(w.sources.length * (lang === 'zh' ? 2 : 1))}${source}`),
    ].join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

import { counted, interpolate, ruleName, uiStrings } from '../i18n/index.js';
import type { Lang, PhotoPictures, Report } from '../contract/types.js';
import type { RosterReport, Student } from '../roster/roster.js';
import { RuleCounts, type StreamFormat, wholeReport } from './stream.js';

export const escapeHtml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Pictures that go with a photo's entry: a thumbnail and the annotated measurements, as data: URIs. */
/** A photo's pictures for the HTML report (made per photo by photo-outputs.ts). */
export type Pictures = PhotoPictures;

const STYLE = `
:root{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#1d1d1f;background:#f5f5f7}
body{margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:22px;margin:0 0 4px}
.summary{margin:0 0 12px;color:#444}
.rules{margin:0 0 16px;color:#444;font-size:14px}
.filters button{font:inherit;padding:6px 14px;margin-right:6px;border:1px solid #bbb;border-radius:16px;background:#fff;cursor:pointer}
.filters button[aria-pressed=true]{background:#1d1d1f;color:#fff;border-color:#1d1d1f}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:14px;margin-top:16px}
.card{background:#fff;border-radius:12px;padding:12px;display:flex;gap:12px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.card img.thumb{width:120px;height:160px;object-fit:cover;border-radius:6px;background:#ddd;flex:none}
.card .nothumb{width:120px;height:160px;border-radius:6px;background:#e5e5ea;flex:none}
.path{font-weight:600;overflow-wrap:anywhere}
.student{font-size:14px;color:#333}
.rule{font-weight:600}
.badge{display:inline-block;font-size:12px;padding:2px 8px;border-radius:10px;color:#fff;margin:4px 0}
.pass .badge{background:#248a3d}.fail .badge{background:#d70015}.error .badge{background:#8944ab}
ul{margin:6px 0 0;padding-left:18px;font-size:13px}
li.warn{color:#8a5a00}
details{margin-top:6px;font-size:13px}
details img{width:240px;max-width:100%;border-radius:6px;margin-top:6px}
body[data-filter=failing] .card:not(.fail):not(.error){display:none}
body[data-filter=errors] .card:not(.error){display:none}
.empty{display:none;color:#666;margin-top:16px}
.roster{background:#fff;border-radius:12px;padding:12px 16px;margin:0 0 16px;font-size:14px}
.roster h2{font-size:16px;margin:0 0 6px}
`;

const SCRIPT = `
const buttons=[...document.querySelectorAll('.filters button')];
function apply(filter){document.body.dataset.filter=filter;buttons.forEach(b=>b.setAttribute('aria-pressed',String(b.dataset.filter===filter)));
const shown=[...document.querySelectorAll('.card')].filter(c=>getComputedStyle(c).display!=='none').length;
document.querySelector('.empty').style.display=shown?'none':'block';document.querySelector('.count').textContent=String(shown);}
buttons.forEach(b=>b.addEventListener('click',()=>apply(b.dataset.filter)));apply('all');
`;

/** How the page names things: each photo by its path inside the folder checked, the profile by its name. */
export interface HtmlView {
  labels?: ReadonlyMap<string, string>;
  profileName?: string;
}

/** A message with `commands` shown as code, everything else escaped. */
const messageHtml = (message: string) => escapeHtml(message).replace(/`([^`]*)`/g, '<code>$1</code>');

/**
 * One self-contained page: summary, filters, and a card per photo with its thumbnail, verdict and what to
 * fix. Cards are written as results arrive, each with its pictures, and forgotten; the summary above them
 * is known only at the end, so the head comes last (headAtEnd).
 */
export function htmlStream(profile: string, lang: Lang, roster?: RosterReport, view: HtmlView = {}): StreamFormat {
  const ui = uiStrings(lang);
  const studentOf = new Map(roster?.assignments.map(({ photo, student }) => [photo, student]) ?? []);
  const failing = new RuleCounts();
  let first = true;
  return {
    headAtEnd: true,
    head(summary) {
      const byRule = failing.sorted().map(([rule, n]) => `<span title="${escapeHtml(rule)}">${escapeHtml(ruleName(lang, rule))}</span> ×${n}`).join(lang === 'zh' ? '，' : ', ');
      return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(ui.html.title)}</title><style>${STYLE}</style></head>
<body data-filter="all">
<h1>${escapeHtml(ui.html.title)} · ${escapeHtml(view.profileName ?? profile)}</h1>
<p class="summary">${escapeHtml(interpolate(ui.html.summary, counted(summary!)))}</p>
${byRule ? `<p class="rules">${escapeHtml(ui.html.byRule)}: ${byRule}</p>` : ''}
${roster ? formatRosterHtml(roster, lang) : ''}
<div class="filters"><button data-filter="all">${escapeHtml(ui.html.all)}</button><button data-filter="failing">${escapeHtml(ui.html.failing)}</button><button data-filter="errors">${escapeHtml(ui.html.errors)}</button> <span class="count"></span></div>
<main class="grid">
`;
    },
    file(file, picture) {
      failing.add(file, 'fail');
      const problems = file.checks.filter((c) => c.status === 'fail' || c.status === 'warn')
        .map((c) => `<li class="${c.status}"><span class="rule" title="${escapeHtml(c.rule)}">${escapeHtml(ruleName(lang, c.rule))}</span>${lang === 'zh' ? '：' : ': '}${messageHtml(c.message)}</li>`).join('');
      const thumb = picture?.thumbnail ? `<img class="thumb" alt="${escapeHtml(ui.html.photo)}" src="${picture.thumbnail}">` : '<div class="nothumb"></div>';
      const overlay = picture?.overlay ? `<details><summary>${escapeHtml(ui.html.overlay)}</summary><img alt="${escapeHtml(ui.html.overlay)}" src="${picture.overlay}"></details>` : '';
      const student = studentOf.get(file.path);
      const studentLine = student ? `<div class="student">${escapeHtml([student.name, student.studentId].filter(Boolean).join(' '))}</div>` : '';
      const card = `<article class="card ${file.verdict}">${thumb}<div>${studentLine}<div class="path" title="${escapeHtml(file.path)}">${escapeHtml(view.labels?.get(file.path) ?? file.path)}</div>`
        + `<span class="badge">${escapeHtml(ui.verdict[file.verdict])}</span>${problems ? `<ul>${problems}</ul>` : ''}${overlay}</div></article>`;
      const piece = first ? card : `\n${card}`;
      first = false;
      return piece;
    },
    tail: () => `
</main>
<p class="empty">${escapeHtml(ui.html.nothing)}</p>
<script>${SCRIPT}</script>
</body></html>
`,
  };
}

/** The whole page at once (htmlStream's pieces, head first). */
export function formatHtml(result: Report, lang: Lang, pictures: ReadonlyMap<string, Pictures> = new Map(), roster?: RosterReport, view: HtmlView = {}): string {
  return wholeReport(htmlStream(result.profile, lang, roster, view), result.files, result.summary, (file) => pictures.get(file.path));
}

const who = (s: Student) => [s.studentId, s.name, s.idNumber].filter(Boolean).join(' ');

/** The roster: who has no photo, which photos match nobody, duplicates and bad ID numbers. */
function formatRosterHtml(roster: RosterReport, lang: Lang): string {
  const ui = uiStrings(lang).roster;
  const list = (title: string, items: string[]) => (items.length === 0 ? ''
    : `<h3>${escapeHtml(interpolate(title, { count: items.length }))}</h3><ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`);
  return `<section class="roster"><h2>${escapeHtml(interpolate(ui.title, { students: roster.students, matched: roster.matched }))}</h2>`
    + list(ui.missing, roster.missing.map((s) => `${who(s)} (${interpolate(ui.line, { line: s.line })})`))
    + list(ui.unmatched, roster.unmatched)
    + list(ui.duplicates, roster.duplicatePhotos.map((d) => `${who(d.student)}: ${d.photos.join(', ')}`))
    + list(ui.duplicateRows, roster.duplicateRows.map((d) => `${d.key}: ${d.lines.join(', ')}`))
    + list(ui.badId, roster.badIdNumbers.map((b) => `${b.photo} (${ui.expected} ${b.expected})`))
    + '</section>';
}

/** The page: pick or drop photos (and a roster), see each rule's result, the overlay, fix and download. */
import { zipSync } from 'fflate';
import { summarise } from '../../src/contract/summary.js';
import type { Lang, Report, ReportFile } from '../../src/contract/types.js';
import { interpolate, ruleName, uiStrings } from '../../src/i18n/index.js';
import { reviewMessage } from '../../src/report/fix-review.js';
import { matchRoster, parseRoster, type RosterReport, type Student } from '../../src/roster/roster.js';
import type { CheckedFix } from '../../src/fix/verdict.js';
import { DEFAULT_PROFILE, profiles } from '../../src/profiles/index.js';
import type { Geometry } from './pipeline.js';
import { PAGE } from './strings.js';
import type { Request } from './worker.js';

/** A photo the page has checked; its pixels stay in the checking thread under `key`. */
interface Checked {
  key: number;
  name: string;
  bytes: Uint8Array;
  /** Whether it decoded (the overlay and fix need a photo). */
  photo: boolean;
  result: ReportFile;
  fix?: Pick<CheckedFix, 'status' | 'refusal' | 'judgement'> & { said?: Record<Lang, string>; outcome?: { jpeg: Uint8Array; steps: string[]; review?: { messageId: string; data: Record<string, string | number> } }; check?: { verdict: ReportFile['verdict'] } };
}

/** The checking thread (worker.ts): the page asks, it answers, in order of the requests' ids. */
const thread = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const waiting = new Map<number, { resolve: (reply: unknown) => void; reject: (error: Error) => void }>();
let requests = 0;
thread.addEventListener('message', (event: MessageEvent<{ id: number; reply?: unknown; error?: string }>) => {
  const { id, reply, error } = event.data;
  const pending = waiting.get(id);
  waiting.delete(id);
  if (error !== undefined) pending?.reject(new Error(error)); else pending?.resolve(reply);
});
type Ask = Request extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never;
function ask<T>(request: Ask, transfer: Transferable[] = []): Promise<T> {
  const id = ++requests;
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (reply: unknown) => void, reject });
    thread.postMessage({ ...request, id }, transfer);
  });
}
const geometry = (item: Checked) => ask<Geometry>({ op: 'geometry', key: item.key });
const fixPhoto = (item: Checked) => ask<NonNullable<Checked['fix']>>({ op: 'fix', key: item.key });
let keys = 0;

let lang: Lang = 'zh';
/** The profile photos are checked against: a built-in's id, or a school's own profile file's. */
let profileId = DEFAULT_PROFILE;
/** A school's own standard, loaded from its profile file: listed after the built-ins as the select's value "own". */
let ownProfile: { id: string; description: Record<Lang, string>; text: string; file: string } | undefined;
const OWN = 'own';
let usingOwn = false;
let checked: Checked[] = [];
let students: Student[] | undefined;
let filter = 'all';

const $ = <T extends Element>(selector: string) => document.querySelector(selector) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children);
  return node;
};
const words = () => PAGE[lang];
const progress = (text: string) => { $('[data-progress]').textContent = text; };

function download(name: string, bytes: Uint8Array | string, type: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function translateStatic() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const node of document.querySelectorAll<HTMLElement>('[data-text]')) node.textContent = (words() as Record<string, unknown>)[node.dataset.text!] as string;
  $('[data-action=lang]').textContent = words().switchTo;
  // Every built-in standard, named in the page's language.
  const select = $<HTMLSelectElement>('[data-input=profile]');
  const listed = [...profiles.values()].map((p) => ({ value: p.id, name: p.description[lang], selected: !usingOwn && p.id === profileId }));
  if (ownProfile) listed.push({ value: OWN, name: `${ownProfile.description[lang]} (${ownProfile.file})`, selected: usingOwn });
  select.replaceChildren(...listed.map(({ value, name, selected }) => {
    const option = el('option', { value }, name);
    if (selected) option.setAttribute('selected', '');
    return option;
  }));
}

/**
 * A school's own profile file (the JSON `gradphoto --profile file.json` takes): validated in the checking
 * thread by the CLI's own reader; every mistake is shown with its key and line, and the standard in use stays.
 */
async function loadProfileFile(file: File) {
  const text = await file.text();
  const problem = $<HTMLElement>('[data-profile-error]');
  try {
    const loaded = await ask<{ id: string; description: Record<Lang, string> }>({ op: 'profileFile', text, file: file.name });
    ownProfile = { ...loaded, text, file: file.name };
    problem.hidden = true;
    profileId = loaded.id;
    usingOwn = true;
    translateStatic();
    await switchProfile(OWN, true);
  } catch (error) {
    problem.textContent = `${words().profileProblem}\n${(error as Error).message}`;
    problem.hidden = false;
  }
}

/** Another standard: every photo is checked again against it (their pixels stay decoded in the checking thread). */
async function switchProfile(value: string, loaded = false) {
  const own = value === OWN && ownProfile;
  profileId = own ? own.id : value;
  usingOwn = Boolean(own);
  if (own) { if (!loaded) await ask({ op: 'profileFile', text: own.text, file: own.file }); } else await ask({ op: 'profile', profile: value });
  for (const item of checked) {
    item.result = await ask<ReportFile>({ op: 'rerun', key: item.key, lang });
    item.fix = undefined;
  }
  document.body.dataset.profile = profileId;
  if (checked.length === 0) return;
  progress(interpolate(words().done, { ...runResult().summary, seconds: lastSeconds.toFixed(1) }));
  showClass();
  const shown = shownItem();
  if (shown) await showStudent(shown);
}

/** The photo the student view shows, if it is open. */
function shownItem(): Checked | undefined {
  const open = $<HTMLElement>('[data-view=student]');
  return open.hidden ? undefined : checked.find((item) => open.querySelector('h2')?.firstChild?.textContent === item.name);
}

/** The overlay as SVG over the photo: allowed bands, face boxes, head-top and eye lines, face width marks. */
function overlay(g: Geometry): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${g.width} ${g.height}`);
  svg.setAttribute('data-overlay', '');
  const add = (tag: string, attrs: Record<string, string | number>) => {
    const node = document.createElementNS(ns, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    svg.append(node);
  };
  for (const [name, [y0, y1]] of [['head-top', g.bands.headTop], ['eye-line', g.bands.eyeLine]] as const) {
    add('rect', { x: 0, y: y0, width: g.width, height: y1 - y0, fill: '#34c759', 'fill-opacity': 0.15, stroke: '#34c759', 'stroke-dasharray': '4 3', 'data-band': name });
  }
  add('line', { x1: g.width / 2, y1: 0, x2: g.width / 2, y2: g.height, stroke: '#34c759', 'stroke-dasharray': '2 4' });
  for (const face of g.faces) add('rect', { x: face.x, y: face.y, width: face.width, height: face.height, fill: 'none', stroke: face.main ? '#0a84ff' : '#ff3b30', 'stroke-width': 2, 'data-face': face.main ? 'main' : 'other' });
  if (g.headTopY !== undefined) add('line', { x1: 0, y1: g.headTopY, x2: g.width, y2: g.headTopY, stroke: '#ff9500', 'stroke-width': 2, 'data-line': 'head-top' });
  if (g.eyeLineY !== undefined) add('line', { x1: 0, y1: g.eyeLineY, x2: g.width, y2: g.eyeLineY, stroke: '#af52de', 'stroke-width': 2, 'data-line': 'eye-line' });
  if (g.centreX !== undefined && g.cheekY !== undefined) {
    for (const w of g.bands.faceWidth) for (const side of [-1, 1]) add('line', { x1: g.centreX + (side * w) / 2, y1: g.cheekY - 8, x2: g.centreX + (side * w) / 2, y2: g.cheekY + 8, stroke: '#34c759', 'stroke-width': 2 });
  }
  for (const [x, y] of g.irises ?? []) add('circle', { cx: x, cy: y, r: 3, fill: 'none', stroke: '#0a84ff', 'stroke-width': 1.5 });
  return svg;
}

function ruleList(result: ReportFile): HTMLUListElement {
  const status = uiStrings(lang).status;
  const list = el('ul', { class: 'rules' });
  for (const check of result.checks) {
    list.append(el('li', { 'data-rule': check.rule, 'data-status': check.status },
      el('span', { class: 'badge' }, status[check.status]), el('span', { class: 'name' }, ruleName(lang, check.rule)), el('span', { class: 'message' }, check.message)));
  }
  return list;
}

async function showStudent(item: Checked) {
  const view = $<HTMLElement>('[data-view=student]');
  view.hidden = false;
  view.replaceChildren();
  const result = item.result;
  view.append(el('h2', {}, item.name, ' ', el('span', { class: 'verdict', 'data-verdict': result.verdict }, uiStrings(lang).verdict[result.verdict])));
  if (result.error) view.append(el('p', { 'data-error': result.error.messageId }, result.error.message));
  const figure = el('figure', { class: 'overlay-figure' });
  if (item.photo) {
    const box = el('div', { class: 'overlay' }, el('img', { src: URL.createObjectURL(new Blob([item.bytes as BlobPart])), alt: item.name }));
    box.append(overlay(await geometry(item)));
    figure.append(box, el('figcaption', { class: 'caption' }, words().overlay));
  }
  const side = el('div', {}, ruleList(result));
  if (item.photo) {
    const button = el('button', { type: 'button', class: 'primary', 'data-action': 'fix' }, words().fix);
    button.addEventListener('click', () => void runFix(item, side, button));
    side.prepend(button);
    if (item.fix) showFix(item, side);
  }
  view.append(el('div', { class: 'result' }, figure, side));
}

async function runFix(item: Checked, side: HTMLElement, button: HTMLButtonElement) {
  button.disabled = true;
  button.textContent = words().fixing;
  item.fix = await fixPhoto(item);
  button.disabled = false;
  button.textContent = words().fix;
  showFix(item, side);
}

function fixedName(name: string) {
  return `${name.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '')}-fixed.jpg`;
}

function showFix(item: Checked, side: HTMLElement) {
  side.querySelector('[data-fix]')?.remove();
  const fix = item.fix!;
  const box = el('div', { 'data-fix': fix.status }, el('h3', {}, words().fixStatus[fix.status]));
  if (fix.status === 'refused') {
    box.append(el('p', {}, fix.said![lang]));
  } else {
    const jpeg = fix.outcome!.jpeg;
    const url = (bytes: Uint8Array) => URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'image/jpeg' }));
    box.append(el('div', { class: 'compare' },
      el('figure', {}, el('img', { src: url(item.bytes), alt: words().before, 'data-image': 'before' }), el('figcaption', {}, words().before)),
      el('figure', {}, el('img', { src: url(jpeg), alt: words().after, 'data-image': 'after' }), el('figcaption', {}, `${words().after} · ${(jpeg.length / 1024).toFixed(1)} KB`))));
    const steps = fix.outcome!.steps.map((step) => uiStrings(lang).fixSteps[step as keyof ReturnType<typeof uiStrings>['fixSteps']] ?? step).join(' · ');
    box.append(el('p', {}, steps), el('p', {}, interpolate(words().recheck, { verdict: uiStrings(lang).verdict[fix.check!.verdict] })));
    if (fix.outcome!.review) box.append(el('p', { class: 'review', 'data-review': fix.outcome!.review.messageId }, reviewMessage(lang, fix.outcome!.review).message));
    if (fix.judgement?.retake.length) box.append(el('p', {}, interpolate(words().retake, { rules: fix.judgement.retake.map((id) => ruleName(lang, id)).join(lang === 'zh' ? '、' : ', ') })));
    const link = el('a', { class: 'primary', 'data-download': 'fixed', href: url(jpeg), download: fixedName(item.name) }, words().download);
    box.append(link);
  }
  const button = side.querySelector('[data-action=fix]');
  if (button) button.after(box); else side.prepend(box);
}

function runResult(): Report {
  return summarise(profileId, checked.map((item) => item.result));
}

function roster(): RosterReport | undefined {
  return students ? matchRoster(students, checked.map((item) => item.name)) : undefined;
}

function showClass() {
  const view = $<HTMLElement>('[data-view=class]');
  const report = roster();
  if (checked.length < 2 && !report) { view.hidden = true; return; }
  view.hidden = false;
  const w = words();
  const studentOf = new Map(report?.assignments.map(({ photo, student }) => [photo, student]) ?? []);
  const select = el('select', { 'data-filter': '' }, ...[['all', w.all], ['fail', w.failing], ['warn', w.warning], ['pass', w.passing]].map(([value, text]) => {
    const option = el('option', { value }, text);
    if (value === filter) option.setAttribute('selected', '');
    return option;
  }));
  select.addEventListener('change', () => { filter = (select as HTMLSelectElement).value; showClass(); });
  const csv = el('button', { type: 'button', class: 'primary', 'data-action': 'csv' }, w.csv);
  csv.addEventListener('click', () => void ask<string>({ op: 'csv', keys: checked.map((item) => item.key), lang, roster: roster() })
    .then((text) => download('gradphoto.csv', text, 'text/csv;charset=utf-8')));
  const zip = el('button', { type: 'button', class: 'primary', 'data-action': 'zip' }, w.zip);
  zip.addEventListener('click', () => void fixAll(zip));
  const rows = checked.filter((item) => filter === 'all' || (filter === 'warn' ? item.result.checks.some((c) => c.status === 'warn') : item.result.verdict === filter));
  const table = el('table', {}, el('thead', {}, el('tr', {}, ...(report ? [el('th', {}, w.student)] : []), el('th', {}, w.file), el('th', {}, w.verdict), el('th', {}, w.problems))));
  const body = el('tbody');
  for (const item of rows) {
    const student = studentOf.get(item.name);
    const problems = item.result.error ? [item.result.error.message] : [...new Set(item.result.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => `${ruleName(lang, c.rule)}${c.status === 'warn' ? ' ▲' : ''}`))];
    const row = el('tr', { 'data-photo': item.name, 'data-verdict': item.result.verdict },
      ...(report ? [el('td', {}, student ? [student.studentId, student.name].filter(Boolean).join(' ') : '—')] : []),
      el('td', {}, item.name), el('td', { 'data-verdict': item.result.verdict }, uiStrings(lang).verdict[item.result.verdict]), el('td', {}, problems.join(lang === 'zh' ? '、' : ', ')));
    row.addEventListener('click', () => void showStudent(item));
    body.append(row);
  }
  table.append(body);
  const parts: Node[] = [el('h2', {}, interpolate(w.done, { ...runResult().summary, seconds: lastSeconds.toFixed(1) })), el('label', {}, `${w.filter} `, select), csv, zip, el('div', { class: 'table-wrap' }, table)];
  if (report) {
    const section = el('div', { class: 'roster', 'data-roster': '' }, el('h3', {}, interpolate(w.rosterLine, { students: report.students, matched: report.matched })));
    const list = (key: string, title: string, items: string[]) => { if (items.length) section.append(el('h4', {}, title), el('ul', { 'data-roster-list': key }, ...items.map((text) => el('li', {}, text)))); };
    list('missing', w.missing, report.missing.map((s) => [s.studentId, s.idNumber, s.name].filter(Boolean).join(' ')));
    list('unmatched', w.unmatched, report.unmatched);
    list('duplicates', w.duplicates, report.duplicatePhotos.map(({ student, photos }) => `${student.name ?? student.studentId}: ${photos.join(', ')}`));
    list('badIds', w.badIds, report.badIdNumbers.map(({ photo, idNumber, expected }) => `${photo}: ${idNumber} (→ ${expected})`));
    parts.splice(1, 0, section);
  }
  view.replaceChildren(...parts);
}

async function fixAll(button: HTMLButtonElement) {
  button.disabled = true;
  const files: Record<string, Uint8Array> = {};
  let done = 0;
  for (const item of checked) {
    progress(interpolate(words().fixing + ' {done}/{total}', { done: ++done, total: checked.length }));
    if (!item.photo) continue;
    item.fix ??= await fixPhoto(item);
    if (item.fix.status === 'fixed' || item.fix.status === 'unchanged') files[item.name.replace(/\.[^.]*$/, '') + '.jpg'] = item.fix.outcome!.jpeg;
  }
  download('gradphoto-fixed.zip', zipSync(files, { level: 0 }), 'application/zip');
  progress(interpolate(words().zipped, { count: Object.keys(files).length }));
  button.disabled = false;
}

/** A picked or dropped file and the name it is reported by (its path inside a dropped or picked folder). */
interface Picked { file: File; name: string }

const PHOTO = /\.(jpe?g|png|webp|gif|bmp|tiff?|heic|heif|avif)$/i;
const ROSTER = /\.(csv|txt)$/i;

/**
 * What a folder holds, as the CLI finds it: photos by their extension (or any image/ type), a roster CSV;
 * hidden files and the rest (Thumbs.db, .DS_Store, notes) are left out. Loose files are taken as given.
 */
function sortPicked(items: Picked[], fromFolder: boolean): Picked[] {
  return items
    .filter(({ file, name }) => !fromFolder || (!name.split('/').some((part) => part.startsWith('.')) && (PHOTO.test(name) || ROSTER.test(name) || file.type.startsWith('image/'))))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every file under a dropped entry, with its path from the dropped folder's parent. */
async function entryFiles(entry: FileSystemEntry, prefix = ''): Promise<Picked[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, name: prefix + entry.name }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const out: Picked[] = [];
  // readEntries hands over a folder's entries a batch at a time (100 in Chromium) until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) out.push(...await entryFiles(child, `${prefix}${entry.name}/`));
  }
  return out;
}

/** A drop's files, folders walked (a browser without entries gives its files alone). */
async function droppedFiles(transfer: DataTransfer): Promise<{ items: Picked[]; folder: boolean }> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.()).filter((entry): entry is FileSystemEntry => !!entry);
  if (entries.length === 0) return { items: [...transfer.files].map((file) => ({ file, name: file.name })), folder: false };
  const items: Picked[] = [];
  for (const entry of entries) items.push(...await entryFiles(entry));
  return { items, folder: entries.some((entry) => entry.isDirectory) };
}

let lastSeconds = 0;
async function checkFiles(given: Picked[]) {
  const photos = given.filter(({ name }) => !ROSTER.test(name));
  const csv = given.find(({ name }) => ROSTER.test(name))?.file;
  if (csv) await readRoster(csv);
  if (photos.length === 0) { showClass(); return; }
  checked = [];
  void ask({ op: 'forget' });
  $<HTMLElement>('[data-view=student]').hidden = true;
  const started = performance.now();
  progress(words().loadingModels);
  for (const { file, name } of photos) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const key = ++keys;
    const { result, photo } = await ask<{ result: ReportFile; photo: boolean }>({ op: 'check', key, name, bytes: bytes.slice(), lang });
    checked.push({ key, name, bytes, photo, result });
    progress(interpolate(words().checking, { done: checked.length, total: photos.length }));
  }
  lastSeconds = (performance.now() - started) / 1000;
  const summary = runResult().summary;
  progress(interpolate(words().done, { ...summary, seconds: lastSeconds.toFixed(1) }));
  document.body.dataset.checked = String(checked.length);
  showClass();
  if (checked.length === 1) await showStudent(checked[0]);
}

async function readRoster(file: File) {
  students = parseRoster(Buffer.from(await file.arrayBuffer()), file.name);
  document.body.dataset.roster = String(students.length);
  showClass();
}

async function switchLanguage() {
  lang = lang === 'zh' ? 'en' : 'zh';
  translateStatic();
  for (const item of checked) item.result = await ask<ReportFile>({ op: 'word', key: item.key, lang });
  showClass();
  const shown = shownItem();
  if (shown) await showStudent(shown);
}

function start() {
  translateStatic();
  $('[data-action=lang]').addEventListener('click', () => void switchLanguage());
  const standard = $<HTMLSelectElement>('[data-input=profile]');
  standard.addEventListener('change', () => void switchProfile(standard.value));
  const profileFile = $<HTMLInputElement>('[data-input=profile-file]');
  profileFile.addEventListener('change', () => { const file = profileFile.files?.[0]; if (file) void loadProfileFile(file); });
  const photos = $<HTMLInputElement>('[data-input=photos]');
  photos.addEventListener('change', () => void checkFiles([...photos.files ?? []].map((file) => ({ file, name: file.name }))));
  const folder = $<HTMLInputElement>('[data-input=folder]');
  folder.addEventListener('change', () => void checkFiles(sortPicked([...folder.files ?? []].map((file) => ({ file, name: file.webkitRelativePath || file.name })), true)));
  const rosterInput = $<HTMLInputElement>('[data-input=roster]');
  rosterInput.addEventListener('change', () => { const file = rosterInput.files?.[0]; if (file) void readRoster(file); });
  const drop = $<HTMLElement>('[data-drop]');
  drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    if (event.dataTransfer) void droppedFiles(event.dataTransfer).then(({ items, folder: fromFolder }) => checkFiles(sortPicked(items, fromFolder)));
  });
  document.body.dataset.ready = 'true';
}

start();

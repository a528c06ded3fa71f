import { Help, type Command, type Option } from 'commander';
import type { Lang } from '../contract/types.js';
import { WIDE, wrapLines } from '../report/wrap.js';

/** Every word of `--help`, and commander's own, per language: a Chinese user gets Chinese help. */
export const helpText = {
  en: {
    program: 'Check diploma photos against the national graduate photo standard before upload, and fix what can be fixed.',
    version: 'print the version number',
    help: 'show help for a command',
    helpCommand: 'show help for a command',
    paths: 'photo files or folders of photos',
    usage: '[options] <paths...>',
    programUsage: '[options] [command]',
    pathsArgument: '<paths...>',
    helpCommandTerm: 'help [command]',
    check: 'check photos (files or folders) against the profile\'s rules',
    format: 'report format',
    out: 'write the report to this file instead of the screen (needed for html)',
    lang: 'message language (default: zh, or en when LANG starts with en)',
    profile: 'standard to check against: a built-in id (gradphoto profiles) or a profile file; default from gradphoto.config.json beside the photos, else ouc-graduate',
    rule: 'load an extra rule module (repeatable)',
    ruleOptions: 'options for the --rule rules, as JSON keyed by rule id: \'{"local.my-rule": {"pattern": "^\\\\d+$"}}\'',
    ruleTimeLimit: 'seconds a --rule rule may take on one photo before it is stopped and reported as not run (default 5)',
    disable: 'turn rules off, comma-separated (e.g. face.glasses for a centre that allows them)',
    verbose: 'list passing checks in batches too',
    concurrency: 'photos checked at once, each in its own thread (default and most: the number of cores)',
    admission: 'fail photos that are the admission photo again (a folder is matched by the student number or ID number in the names)',
    roster: 'class roster (CSV with 学号/身份证号/姓名 columns, UTF-8 or GBK): report students without photos and photos matching nobody',
    annotate: 'write a PNG per photo with the face box, landmarks and allowed bands drawn on it',
    maxWarnings: 'exit 1 when more than this many photos have warnings (like ESLint\'s --max-warnings)',
    strict: 'exit 1 when any photo has a warning (the same as --max-warnings 0)',
    noColor: 'no colour in the text report',
    serve: 'serve the web page (check and fix in the browser) on 127.0.0.1 and open it',
    port: 'port to listen on (0: any free port)',
    noOpen: 'do not open the browser',
    rules: 'list the rules of a profile with what each checks and its limits',
    rulesProfile: 'standard whose rules to list: a built-in id (gradphoto profiles) or a profile file; default ouc-graduate',
    profiles: 'list the built-in profiles (photo standards): frame, bytes, background, dpi, sources and how sure they are',
    fix: 'crop, recolour and re-encode photos so they meet the standard (never touches the inputs)',
    fixOut: 'write the fixed photo to this file (one photo)',
    fixOutDir: 'write the fixed photos into this folder (subfolders kept)',
    background: 'the new background: one of the profile\'s colours (blue, white, grey...; default its first), or keep',
    force: 'replace existing output files (never an input)',
    keepFailed: 'also write results that still fail what fix should mend, named <name>-not-fixed.jpg',
    fixFormat: 'report format',
    fixProfile: 'standard to fix for',
    fixRoster: 'class roster (as for check), for --name-by',
    nameBy: 'name each fixed photo by this roster column: 学号, 身份证号 or 姓名 (needs --roster)',
    hint: '(gradphoto {command}--help shows the options)',
  },
  zh: {
    program: '上传前按国家毕业生照片标准检查学历照片，并修正能修正的问题。',
    version: '显示版本号',
    help: '显示命令的帮助',
    helpCommand: '显示命令的帮助',
    paths: '照片文件或照片文件夹',
    usage: '[选项] <照片或文件夹...>',
    programUsage: '[选项] [命令]',
    pathsArgument: '<照片或文件夹...>',
    helpCommandTerm: 'help [命令]',
    check: '按标准的各项规则检查照片（文件或文件夹）',
    format: '报告格式',
    out: '把报告写入此文件，而不是显示在屏幕上（html 格式必需）',
    lang: '提示语言（默认中文；LANG 以 en 开头时为英文）',
    profile: '检查所依据的标准：内置标准名（gradphoto profiles）或标准文件；默认取照片旁 gradphoto.config.json 的设置，否则为 ouc-graduate',
    rule: '加载额外的规则模块（可重复）',
    ruleOptions: '--rule 规则的选项，JSON 格式，以规则 id 为键：\'{"local.my-rule": {"pattern": "^\\\\d+$"}}\'',
    ruleTimeLimit: '--rule 规则检查一张照片最多可用的秒数，超时即停止并报告为未运行（默认 5）',
    disable: '关闭规则，用逗号分隔（例如允许戴眼镜的学习中心：face.glasses）',
    verbose: '批量检查时也列出通过的项目',
    concurrency: '同时检查的照片数，每张一个线程（默认值和上限：CPU 核数）',
    admission: '照片与录取照片相同则不通过（文件夹按文件名中的学号或身份证号匹配）',
    roster: '班级名单（含 学号/身份证号/姓名 列的 CSV，UTF-8 或 GBK）：列出没有照片的学生和对不上名单的照片',
    annotate: '为每张照片输出一张 PNG，画出人脸框、关键点和允许范围',
    maxWarnings: '有提示的照片超过此数量时退出码为 1（同 ESLint 的 --max-warnings）',
    strict: '任何照片有提示即退出码为 1（等同 --max-warnings 0）',
    noColor: '文字报告不使用颜色',
    serve: '在本机 127.0.0.1 上提供网页版（在浏览器里检查和修正），并打开浏览器',
    port: '监听的端口（0：任一空闲端口）',
    noOpen: '不打开浏览器',
    rules: '列出标准的各项规则：检查什么、界限是多少',
    rulesProfile: '要列出其规则的标准：内置标准名（gradphoto profiles）或标准文件；默认为 ouc-graduate',
    profiles: '列出内置的照片标准：尺寸、字节、背景、分辨率、来源及可信度',
    fix: '裁切、换背景、重新编码，使照片符合标准（从不改动原文件）',
    fixOut: '把修正后的照片写入此文件（仅限一张照片）',
    fixOutDir: '把修正后的照片写入此文件夹（保留子文件夹）',
    background: '新背景：标准允许的颜色之一（blue、white、grey 等，默认第一种），或 keep 保留原背景',
    force: '替换已存在的输出文件（从不替换原文件）',
    keepFailed: '修正后仍不合格的结果也写出，文件名为 <名称>-not-fixed.jpg',
    fixFormat: '报告格式',
    fixProfile: '修正所依据的标准',
    fixRoster: '班级名单（同 check），供 --name-by 使用',
    nameBy: '按名单的这一列命名修正后的照片：学号、身份证号或姓名（需要 --roster）',
    hint: '（运行 gradphoto {command}--help 查看选项）',
  },
} as const;

export type HelpText = (typeof helpText)['en'];

const TITLES: Record<string, string> = { 'Usage:': '用法：', 'Options:': '选项：', 'Arguments:': '参数：', 'Commands:': '命令：', 'Global Options:': '全局选项：' };

/** An option's help line without "(default: [])": a repeatable option starts with none, which says nothing. */
function optionText(help: Help, option: Option): string {
  return Help.prototype.optionDescription.call(help, option).replace(/ \(default: \[\]\)$/, '');
}

/** Commander's help layout, English: only the empty-list defaults left out. */
export function englishHelp(): Partial<Help> {
  return { optionDescription(option: Option) { return optionText(this as Help, option); } };
}

/** Commander's help layout with its headings and "(choices: …, default: …)" in Chinese. */
export function chineseHelp(): Partial<Help> {
  return {
    // commander breaks lines only at spaces, and a Chinese description has none: lines ran to 136 columns.
    // The same greedy wrap as commander's, with a break allowed between Chinese characters.
    boxWrap(text: string, width: number) {
      if (width < (this as Help).minWidthToWrap) return text;
      return text.split(/\r\n|\n/).map((line) => wrapLines(line, width, (part) => (this as Help).displayWidth(part)).join('\n')).join('\n');
    },
    styleTitle: (title: string) => TITLES[title] ?? title,
    // A Chinese character and a full-width bracket or colon take two columns of a terminal: counted as one,
    // "check [选项] <照片或文件夹...>" pushed its description out of line with the others.
    displayWidth(text: string) {
      return Help.prototype.displayWidth.call(this, text) + (text.match(WIDE) ?? []).length;
    },
    subcommandTerm: (command: Command) => Help.prototype.subcommandTerm.call(new Help(), command).replace(' [options]', ' [选项]'),
    optionDescription(option: Option) {
      const text = optionText(this as Help, option);
      return text.replace(/ \((choices: .*|default: .*)\)$/, (_whole, inner: string) =>
        `（${inner.replace('choices: ', '可选：').replace(', default: ', '；默认：').replace('default: ', '默认：')}）`);
    },
  };
}

/** Commander's error lines ("error: unknown option '--x'") in the user's language, each starting "gradphoto:". */
export function translateCommanderError(text: string, lang: Lang): string {
  const line = text.replace(/^error: /, 'gradphoto: ');
  if (lang === 'en') return line;
  return line
    .replace(/unknown option '(.*?)'/, "未知选项 '$1'")
    .replace(/unknown command '(.*?)'/, "未知命令 '$1'")
    .replace(/missing required argument '(.*?)'/, "缺少参数 '$1'")
    .replace(/option '(.*?)' argument missing/, "选项 '$1' 缺少取值")
    .replace(/option '(.*?)' argument '(.*?)' is invalid\. Allowed choices are (.*)\./, "选项 '$1' 的取值 '$2' 无效，可选：$3。")
    .replace(/too many arguments(?: for '(.*?)')?\. Expected (\d+) arguments? but got (\d+)\./, '参数过多：应为 $2 个，实际 $3 个。')
    .replace(/\(Did you mean (one of )?(.*)\?\)/, '（是不是 $2？）');
}

/** The language for help and usage errors, before commander has parsed anything: --lang, else the environment. */
export function langFromArgv(argv: string[], fallback: Lang): Lang {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--lang' && (argv[i + 1] === 'en' || argv[i + 1] === 'zh')) return argv[i + 1] as Lang;
    const joined = /^--lang=(en|zh)$/.exec(arg);
    if (joined) return joined[1] as Lang;
  }
  return fallback;
}

export type { Command };

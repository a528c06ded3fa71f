/** The page's own words; verdicts, statuses, rule names and messages come from src/i18n like the CLI's. */
export const PAGE = {
  zh: {
    title: '毕业照片自检', switchTo: 'English', intro: '选择或拖入照片（学生一张；老师可拖入整个班级文件夹，并附名单 CSV）。照片只在本机检查，不会上传。',
    pick: '选择照片', profile: '照片标准', profileFile: '学校自己的标准（JSON 文件，可选）', profileProblem: '这个标准文件有错误，仍按原标准检查：', folder: '选择整个文件夹', roster: '班级名单 CSV（可选）', loadingModels: '正在载入人脸模型…', checking: '正在检查 {done}/{total}…',
    done: '已检查 {total} 张：通过 {pass}，不通过 {fail}，错误 {error}（{seconds} 秒）', fix: '一键修正', fixing: '正在修正…',
    download: '下载修正后的照片', before: '原图', after: '修正后', recheck: '修正后复查：{verdict}', retake: '只能重拍：{rules}',
    fixStatus: { fixed: '已修正', unchanged: '已符合要求，无需修改', notFixed: '未能修正', refused: '无法修正' },
    filter: '显示', all: '全部', failing: '不通过', warning: '需注意', passing: '通过', csv: '下载 CSV 报告', zip: '修正全部并下载 ZIP',
    student: '学生', file: '文件', verdict: '结果', problems: '问题', missing: '名单中无照片的学生', unmatched: '不在名单中的照片',
    duplicates: '一人多张照片', badIds: '身份证号校验位错误', rosterLine: '名单：{students} 人，已匹配 {matched} 人', privacy: '全部在浏览器中完成：照片不离开这台电脑。',
    overlay: '标注：人脸框、头顶线与眼睛线，绿色为允许范围', zipped: '已打包 {count} 张修正后的照片',
  },
  en: {
    title: 'Diploma photo check', switchTo: '中文', intro: 'Pick or drop a photo (a teacher: a whole class folder, and the class roster CSV). Photos are checked on this machine and never uploaded.',
    pick: 'Choose photos', profile: 'Photo standard', profileFile: 'Your school\'s own standard (a JSON profile, optional)', profileProblem: 'This standard file has mistakes; photos are still checked against the standard before:', folder: 'Choose a folder', roster: 'Class roster CSV (optional)', loadingModels: 'Loading the face models…', checking: 'Checking {done}/{total}…',
    done: 'Checked {total}: {pass} pass, {fail} fail, {error} error ({seconds} s)', fix: 'Fix it', fixing: 'Fixing…',
    download: 'Download the fixed photo', before: 'Before', after: 'After', recheck: 'Check of the result: {verdict}', retake: 'Only a new photo can mend: {rules}',
    fixStatus: { fixed: 'Fixed', unchanged: 'Already compliant: nothing to change', notFixed: 'Not fixed', refused: 'Cannot be fixed' },
    filter: 'Show', all: 'all', failing: 'failing', warning: 'with warnings', passing: 'passing', csv: 'Download the CSV report', zip: 'Fix all and download a ZIP',
    student: 'Student', file: 'File', verdict: 'Verdict', problems: 'Problems', missing: 'Students on the roster with no photo', unmatched: 'Photos matching nobody on the roster',
    duplicates: 'Several photos for one student', badIds: 'ID numbers with a wrong check digit', rosterLine: 'Roster: {students} students, {matched} matched', privacy: 'Everything runs in this browser: no photo leaves this computer.',
    overlay: 'Overlay: face box, head-top and eye lines; green bands are the allowed ranges', zipped: '{count} fixed photos zipped',
  },
};
export type PageStrings = typeof PAGE.zh;

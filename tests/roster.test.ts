import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeText, idCheckDigit, matchRoster, parseCsv, readRoster } from '../src/roster/roster.js';
import { EXAMPLE, runCliInProcess, tempDir, writeTemp } from './helpers.js';

test('ID number check digit (GB 11643): the standard example and a wrong one', () => {
  assert.equal(idCheckDigit('11010519491231002'), 'X');
  assert.equal(idCheckDigit('44030119900101123'), '4');
});

test('roster files: UTF-8 with BOM, GBK from Excel, quoted cells', async () => {
  const dir = await tempDir();
  // 学号,姓名 / 2026001,张三 / 2026002,李四 in GBK, as Excel saves a CSV on Chinese Windows.
  const gbk = Buffer.concat([Buffer.from('D1A7BAC5', 'hex'), Buffer.from(','), Buffer.from('D0D5C3FB', 'hex'), Buffer.from('\r\n2026001,'),
    Buffer.from('D5C5C8FD', 'hex'), Buffer.from('\r\n2026002,'), Buffer.from('C0EECBC4', 'hex'), Buffer.from('\r\n')]);
  const fromGbk = await readRoster(await writeTemp(dir, 'gbk.csv', gbk));
  assert.deepEqual(fromGbk.map((s) => [s.studentId, s.name]), [['2026001', '张三'], ['2026002', '李四']]);
  const utf8 = Buffer.from('\ufeff学号,姓名,身份证号\n"2026001","张三, 小名",11010519491231002x\n', 'utf8');
  const fromUtf8 = await readRoster(await writeTemp(dir, 'utf8.csv', utf8));
  assert.deepEqual(fromUtf8[0], { line: 2, studentId: '2026001', name: '张三, 小名', idNumber: '11010519491231002X' });
  assert.equal(decodeText(Buffer.from('\ufeffa', 'utf8')), 'a');
  assert.deepEqual(parseCsv('a,"b ""c""",d\r\n1,2,3'), [['a', 'b "c"', 'd'], ['1', '2', '3']]);
  // A stray quote inside a cell is a character (the hand-written parser read the rest of the file as one cell).
  assert.deepEqual(parseCsv('学号,姓名\n2026001,张"三\n2026002,李四\n'), [['学号', '姓名'], ['2026001', '张"三'], ['2026002', '李四']]);
  assert.deepEqual(parseCsv('学号\t姓名\n2026001\t张三\n\t\n'), [['学号', '姓名'], ['2026001', '张三']]);
  const unclosed = await writeTemp(dir, 'unclosed.csv', Buffer.from('学号,姓名\n2026001,"张三\n2026002,李四\n'));
  await assert.rejects(readRoster(unclosed), { message: `the roster ${unclosed} cannot be read as CSV: a quoted cell is never closed (the file ends inside it, at line 3): look for a " opening a cell without one closing it` });
});

test('matching photos to students by file name: missing, unmatched, duplicates, bad ID numbers', () => {
  const students = [
    { line: 2, studentId: '2026001', name: '张三' },
    { line: 3, studentId: '2026002', name: '李四' },
    { line: 4, studentId: '2026003', name: '王五', idNumber: '11010519491231002X' },
    { line: 5, studentId: '2026003', name: '王五五' },
  ];
  const report = matchRoster(students, [
    'class/2026001.jpg', 'class/2026001_张三 (2).jpg', 'class/11010519491231002X.jpg', 'class/陌生人.jpg', 'class/110105194912310021.jpg',
  ]);
  assert.equal(report.students, 4);
  assert.deepEqual(report.missing.map((s) => s.studentId), ['2026002', '2026003']);
  assert.deepEqual(report.unmatched, ['class/陌生人.jpg', 'class/110105194912310021.jpg']);
  assert.deepEqual(report.duplicatePhotos.map((d) => d.photos), [['class/2026001.jpg', 'class/2026001_张三 (2).jpg']]);
  assert.deepEqual(report.duplicateRows, [{ key: '2026003', lines: [4, 5] }]);
  assert.deepEqual(report.badIdNumbers, [{ photo: 'class/110105194912310021.jpg', idNumber: '110105194912310021', expected: 'X' }]);
});

test('check --roster: the report lists who has no photo; JSON, CSV and HTML carry the roster', async () => {
  const dir = await tempDir();
  await copyFile(EXAMPLE, join(dir, '2026001.jpg'));
  await writeTemp(dir, 'extra.jpg', await readFile(EXAMPLE));
  const roster = await writeTemp(dir, 'roster.csv', Buffer.from('学号,姓名\n2026001,张三\n2026002,李四\n'));
  const text = await runCliInProcess(['check', dir, '--roster', roster, '--lang', 'zh']);
  assert.match(text.stdout, /名单：共 2 名学生，1 名有照片。/);
  assert.match(text.stdout, /缺少照片（1）：\n {2}- 2026002 李四/);
  assert.match(text.stdout, /extra\.jpg/);
  const json = JSON.parse((await runCliInProcess(['check', dir, '--roster', roster, '--format', 'json'])).stdout);
  assert.deepEqual(json.roster.missing.map((s: { studentId: string }) => s.studentId), ['2026002']);
  assert.equal(json.roster.unmatched.length, 1);
  // CSV: the student's columns on each photo's row, and a row for the student with no photo.
  const csv = (await runCliInProcess(['check', dir, '--roster', roster, '--format', 'csv', '--lang', 'zh'])).stdout;
  const rows = csv.replace(/^\ufeff/, '').trimEnd().split('\r\n').map((row) => row.match(/"(?:[^"]|"")*"/g)!.map((cell) => cell.slice(1, -1)));
  assert.deepEqual(rows[0].slice(0, 5), ['学号', '身份证号', '姓名', '文件', '结果']);
  const photoRow = rows.find((row) => row[3].endsWith('2026001.jpg'))!;
  assert.deepEqual(photoRow.slice(0, 3), ['=""2026001""', '', '张三']); // ="2026001": Excel keeps it as text
  const extraRow = rows.find((row) => row[3].endsWith('extra.jpg'))!;
  assert.deepEqual(extraRow.slice(0, 3), ['', '', '']);
  assert.match(extraRow[7], /名单中找不到与此照片对应的学生/);
  assert.deepEqual(rows.find((row) => row[0] === '=""2026002""'), ['=""2026002""', '', '李四', '', '缺少照片', '', '', '未找到该学生的照片：请让学生提交，或检查文件命名。']);
  assert.equal(rows.length, 4, 'header, two photos, one missing student');
  const page = join(dir, 'report.html');
  await runCliInProcess(['check', dir, '--roster', roster, '--format', 'html', '--out', page, '--lang', 'zh']);
  const html = await readFile(page, 'utf8');
  assert.match(html, /<section class="roster"><h2>名单：共 2 名学生，1 名有照片。<\/h2>/);
  assert.match(html, /<li>2026002 李四 \(第 3 行\)<\/li>/);
  const bad = await runCliInProcess(['check', dir, '--roster', join(dir, 'nope.csv')]);
  assert.equal(bad.code, 2);
});

// `npm test`'s runner (after the build): every dist/tests/*.test.js, two files at a time, as
// `node --test --test-concurrency=2 dist/tests/` ran them, with the same reporter (spec on a terminal, else
// TAP) and exit code. Only the order differs: the files that take longest start first. `node --test`
// starts them in name order, which left web.test.js (about a minute) to run alone at the end while the
// other core idled. Files not named here follow in name order; a file named here that is gone is skipped.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const LONGEST_FIRST = ['web', 'reliability', 'fix', 'fuzz', 'package', 'profiles', 'plugin', 'matte', 'reports'];

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'tests');
const rank = (file) => {
  const at = LONGEST_FIRST.indexOf(file.replace(/\.test\.js$/, ''));
  return at < 0 ? LONGEST_FIRST.length : at;
};
const files = readdirSync(dir).filter((file) => file.endsWith('.test.js')).sort()
  .sort((a, b) => rank(a) - rank(b))
  .map((file) => join(dir, file));

const stream = run({ files, concurrency: 2 });
stream.on('test:fail', () => { process.exitCode = 1; });
stream.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);

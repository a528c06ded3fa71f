// `npm test`'s runner (after the build): every dist/tests/*.test.js, two files at a time (see below), as
// `node --test --test-concurrency=2 dist/tests/` ran them, with the same reporter (spec on a terminal, else
// TAP) and exit code. Only the order differs: the files that take longest start first. `node --test`
// starts them in name order, which left web.test.js (about a minute) to run alone at the end while the
// other core idled. Files not named here follow in name order; a file named here that is gone is skipped.
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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

// Two files at a time on this project's 2-core machine, one per core on bigger ones; GRADPHOTO_TEST_CONCURRENCY
// sets it (3 on 2 cores measured 147 s against 164 s, once each, and made a time-limit test flaky: not the default).
const stream = run({ files, concurrency: Number(process.env.GRADPHOTO_TEST_CONCURRENCY ?? Math.max(2, availableParallelism())) });
stream.on('test:fail', () => { process.exitCode = 1; });
stream.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);

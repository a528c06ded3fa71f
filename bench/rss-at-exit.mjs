// Preloaded by npm run bench:memory (node --import): prints the process's peak resident set (every thread, KiB) to stderr at exit.
process.on('exit', () => {
  process.stderr.write(`\ngradphoto-bench-maxrss ${process.resourceUsage().maxRSS}\n`);
});

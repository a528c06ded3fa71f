// Preloaded by npm run bench (node --import): prints the process's CPU time (every thread, ms) to stderr at exit.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ngradphoto-bench-cpu ${((user + system) / 1000).toFixed(1)}\n`);
});

/**
 * What a run of the CLI reads and writes of its process: its output streams, working directory,
 * environment and standard input. The binary passes the process's own (processIo); a caller in the same
 * process (the tests) passes its own, so main() can run many times in one process, each run with its own
 * output, language and settings, and nothing of one run carried into the next.
 */
export interface CliOutput {
  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
  /** Only a terminal gets colour (unless FORCE_COLOR) and the progress bar. */
  isTTY?: boolean;
  /** A terminal's width, for --help. */
  columns?: number;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'error' | 'drain', listener: (...args: any[]) => void): unknown;
  off(event: 'error' | 'drain', listener: (...args: any[]) => void): unknown;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /**
   * The working directory: where gradphoto.config.json is looked for up to, what a profile file and the
   * relative paths on the command line are relative to. A directory other than the process's is entered
   * for the run (process.chdir) and left after it, so runs in different directories must not overlap.
   */
  cwd: string;
  /** LANG/LC_ALL/LC_MESSAGES, NO_COLOR/FORCE_COLOR, CI, GRADPHOTO_ENGINE (the worker threads get this environment). */
  env: NodeJS.ProcessEnv;
  /** Read for the path "-" (a photo piped in). */
  stdin?: NodeJS.ReadableStream;
}

/** The process's own: what the gradphoto binary runs with. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env,
    get stdin() { return process.stdin; }, // only when read: process.stdin opens standard input
  };
}

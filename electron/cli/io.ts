// Where the CLI writes: standard output and error by default, a recorder in tests.

export interface CliIo {
  /** One line (or several) of the command's output. */
  out(text: string): void;
  /** Errors, warnings and notes. */
  err(text: string): void;
}

export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
  };
}

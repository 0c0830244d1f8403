// The vmnetlab command: subcommand dispatch, usage text and exit codes (0 good, 1 the command's own failure, 2 bad usage or a bad lab file).
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { closestMatch } from '../../core/api/schema';
import packageJson from '../../package.json' with { type: 'json' };
import { runCheck } from './check';
import { runMatrix } from './matrix';
import { runRun } from './run';
import { runServe } from './serve';
import { processIo, type CliIo } from './io';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Command {
  readonly name: string;
  /** The arguments, for the usage line: "LAB [LAB…]". */
  readonly args: string;
  readonly summary: string;
  run(args: readonly string[], io: CliIo): Promise<number> | number;
}

/** Every subcommand, in the order the usage lists them; a new one is one more entry. */
export const COMMANDS: readonly Command[] = [
  { name: 'check', args: 'LAB [LAB…]', summary: 'check lab files and list every problem in them', run: runCheck },
  { name: 'run', args: 'LAB [SCRIPT|-]', summary: 'run a lab and a script of steps in it (ping, curl, set, show, wait…)', run: runRun },
  { name: 'matrix', args: 'LAB', summary: 'print who can reach whom in a lab, and why', run: runMatrix },
  { name: 'serve', args: '[LAB] [--port N] [--open]', summary: 'serve the lab to a browser on 127.0.0.1', run: runServe },
];

export const VERSION: string = packageJson.version;

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args}`.length));
  const lines = COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: vmnetlab <command> [arguments]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    `  ${'-h, --help'.padEnd(width)}  show this help (vmnetlab <command> --help: that command's)`,
    `  ${'-V, --version'.padEnd(width)}  print the version`,
    '',
    'Exit status: 0 when all went well, 1 when what the command did failed, 2 for bad usage or a bad lab file.',
  ].join('\n');
}

/** Runs the command line `argv` (without node and the script); returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.err(usage());
      return EXIT_USAGE;
    }
    if (first === '-h' || first === '--help' || first === 'help') {
      if (first === 'help' && rest[0] !== undefined) return main([rest[0], '--help'], io);
      io.out(usage());
      return EXIT_OK;
    }
    if (first === '-V' || first === '--version') {
      io.out(`vmnetlab ${VERSION}`);
      return EXIT_OK;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) {
      const guess = first.startsWith('-') ? undefined : closestMatch(first, COMMANDS.map((c) => c.name));
      io.err(`vmnetlab: unknown ${first.startsWith('-') ? 'option' : 'command'} '${first}'${guess ? `; did you mean '${guess}'?` : ''}`);
      io.err('');
      io.err(usage());
      return EXIT_USAGE;
    }
    return await command.run(rest, io);
  } catch (e) {
    // A bug of ours: say so in one line; the stack trace helps no one at a terminal.
    io.err(`vmnetlab: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_FAILED;
  }
}

/** True when this module is the program node was started with (node dist/cli.mjs), not an import (bin/vmnetlab.js, tests). */
function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntry()) {
  // stdout closed early (vmnetlab check … | head) is not an error worth a trace.
  process.stdout.on('error', () => undefined);
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

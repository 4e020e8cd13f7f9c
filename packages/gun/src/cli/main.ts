#!/usr/bin/env node
import { CommanderError } from 'commander';
import { parseArgs } from './args.js';
import { ExitCodes } from './exit-codes.js';
import { CliFailure, runCli } from './run.js';

/** The `gun` command: parses the arguments, runs the request, exits with curl-like codes. */
async function main(): Promise<void> {
  let code: number;
  try {
    code = await runCli(parseArgs(process.argv.slice(2)), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
  } catch (error) {
    if (error instanceof CommanderError) {
      code = error.exitCode === 0 ? 0 : ExitCodes.USAGE;
    } else if (error instanceof CliFailure) {
      process.stderr.write(`${error.message}\n`);
      code = error.exitCode;
    } else {
      process.stderr.write(`gun: ${String(error)}\n`);
      code = 1;
    }
  }
  process.exitCode = code;
}

void main();

/**
 * Runs a command for a test without a shell in between (arguments stay arguments) and fails with
 * the command line and what it wrote to stderr, so a failed setup step says which one and why.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `args[0]` with the rest as its arguments; resolves to its stdout. */
export async function sh(...args: string[]): Promise<string> {
  try {
    return (await run(args[0]!, args.slice(1), { timeout: 60_000 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${args.join(' ')}: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

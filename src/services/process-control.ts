/**
 * Starting, finding and stopping the service processes segflow owns. A service is "ours" only
 * when the PID in its pid file is alive *and* its command line carries the marker we started
 * it with, so a recycled PID is never killed by mistake.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** True when `pid` is alive and its command line contains `marker`. */
export async function isOwnedProcess(pid: number, marker: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.replaceAll('\0', ' ').includes(marker);
  } catch {
    return false;
  }
}

/** Reads a pid file; undefined when absent or not a number. */
export async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a long-running process detached from this one, stdout and stderr appended to `logFile`. */
export function spawnDetached(command: string, args: string[], options: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string }): number {
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env: options.env ?? process.env, cwd: options.cwd });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Returns how it ended. */
export async function stopProcess(pid: number, graceMs = 30_000): Promise<'terminated' | 'killed' | 'not-running'> {
  if (!alive(pid)) return 'not-running';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'terminated';
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'terminated';
  }
  while (alive(pid)) await sleep(100);
  return 'killed';
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isPortListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs a command to completion; on failure the error carries the tail of its output.
 * `ownSession` runs it in a session of its own (`setsid --wait`): a daemon it leaves behind is
 * then out of this process's group, so a terminal's Ctrl-C reaches segflow only and segflow
 * stops the daemon itself, in order (the Elasticsearch launcher's server is one).
 */
export async function runCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; ownSession?: boolean } = {}): Promise<string> {
  if (options.ownSession) [command, args] = ['setsid', ['--wait', command, ...args]];
  try {
    const { stdout } = await run(command, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    const output = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message.split('\n')[0]}\n${output}`, { cause: err });
  }
}

/** Last `lines` lines of a log file, for start-up failure reports. */
export async function tailFile(file: string, lines = 40): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines - 1).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

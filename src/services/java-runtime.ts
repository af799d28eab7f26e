/**
 * Finds the JDKs on this machine, so Kafka runs on the default Java 17+ and Elasticsearch on
 * the newest JDK present (Debian puts them in /usr/lib/jvm; Temurin installs there too).
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface JavaRuntime {
  /** JAVA_HOME of this runtime, or undefined for the `java` found on PATH. */
  readonly home: string | undefined;
  readonly executable: string;
  /** Feature release number (17, 21, 25, ...). */
  readonly major: number;
}

/** Asks a `java` executable for its version; undefined when it is not a working JDK. */
export async function probeJava(executable: string, home: string | undefined): Promise<JavaRuntime | undefined> {
  try {
    const { stderr } = await run(executable, ['-version'], { timeout: 20_000 });
    const match = /version "(\d+)(?:\.(\d+))?/.exec(stderr);
    if (!match) return undefined;
    // Java 8 and older report "1.8"; everything segflow supports reports the feature number first.
    const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
    return { home, executable, major };
  } catch {
    return undefined;
  }
}

/** Every JDK in /usr/lib/jvm plus the given home, newest first. */
export async function listJavaRuntimes(extraHome?: string): Promise<JavaRuntime[]> {
  const homes = new Set<string>();
  if (extraHome) homes.add(path.resolve(extraHome));
  try {
    for (const entry of await readdir('/usr/lib/jvm', { withFileTypes: true })) {
      if (entry.isDirectory()) homes.add(path.join('/usr/lib/jvm', entry.name));
    }
  } catch {
    // No /usr/lib/jvm: only the PATH java remains.
  }
  const found: JavaRuntime[] = [];
  for (const home of homes) {
    const runtime = await probeJava(path.join(home, 'bin', 'java'), home);
    if (runtime) found.push(runtime);
  }
  const onPath = await probeJava('java', undefined);
  if (onPath) found.push(onPath);
  return found.sort((a, b) => b.major - a.major);
}

/**
 * Picks the JDK for a service: the configured home when given (it must work), else the newest
 * JDK with at least `minMajor` (or the oldest one when `prefer` is 'oldest').
 */
export async function selectJava(
  service: string,
  configuredHome: string | undefined,
  minMajor: number,
  prefer: 'newest' | 'oldest' = 'newest',
): Promise<JavaRuntime> {
  if (configuredHome) {
    const runtime = await probeJava(path.join(configuredHome, 'bin', 'java'), configuredHome);
    if (!runtime) throw new Error(`${service}: no working java in ${configuredHome}/bin/java`);
    if (runtime.major < minMajor) throw new Error(`${service}: ${configuredHome} is Java ${runtime.major}; Java ${minMajor}+ is required`);
    return runtime;
  }
  const candidates = (await listJavaRuntimes()).filter((r) => r.major >= minMajor);
  const chosen = prefer === 'newest' ? candidates[0] : candidates[candidates.length - 1];
  if (!chosen) throw new Error(`${service}: no Java ${minMajor}+ found (looked in /usr/lib/jvm and on PATH); install a JDK or set its JAVA_HOME`);
  return chosen;
}

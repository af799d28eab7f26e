/**
 * The Node.js release segflow runs on, read from package.json's `engines.node` so the CLI, the
 * test command and npm agree on one number. npm only warns about `engines`; the CLI and the test
 * command refuse an older Node up front with how to get the right one, instead of failing later
 * on an API or dependency that the older release lacks.
 */
import packageJson from '../../package.json' with { type: 'json' };

type Version = readonly [number, number, number];

function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function atLeast(version: Version, minimum: Version): boolean {
  for (let i = 0; i < 3; i++) {
    if (version[i]! !== minimum[i]!) return version[i]! > minimum[i]!;
  }
  return true;
}

/**
 * Why `version` cannot run segflow under the `engines` range `range` (only the form
 * `>=X.Y.Z` is used by this project), or undefined when it can.
 */
export function nodeVersionProblem(range: string, version: string, executable: string): string | undefined {
  const minimumText = /^>=\s*(\S+)$/.exec(range.trim())?.[1];
  const minimum = minimumText === undefined ? undefined : parseVersion(minimumText);
  if (minimum === undefined) return `package.json engines.node is "${range}"; expected the form ">=X.Y.Z"`;
  const current = parseVersion(version);
  if (current === undefined) return `cannot read the Node.js version "${version}" of ${executable}`;
  if (atLeast(current, minimum)) return undefined;
  return `segflow needs Node.js ${minimum.join('.')} or newer (Node.js 24 LTS); ${executable} is ${version}. ` +
    'In the checkout, `. scripts/use-node-24.sh` installs Node.js 24 from the npm registry into .local/node and puts it first on PATH (README, "Node.js 24").';
}

/** Exits with the reason when the running Node.js is older than package.json's engines.node. */
export function requireSupportedNode(): void {
  const problem = nodeVersionProblem(packageJson.engines.node, process.version, process.execPath);
  if (problem === undefined) return;
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

/**
 * The `integ-test-zip` Elasticsearch distribution has no `rest-root` module, so `GET /` answers
 * 405 and clients that start with `info()` fail. segflow ships a small module of its own,
 * `segflow-rest-root` (Java source in services/elasticsearch-root-module), that serves `GET /`
 * and `HEAD /` like Elasticsearch's main endpoint. It is compiled by Maven against the exact
 * Elasticsearch version in use and copied into `<es home>/modules/segflow-rest-root/`.
 *
 * The build lands in `<folder of the distribution>/segflow-rest-root/<hash>/`, where the hash
 * covers the Elasticsearch version and the module's source: that folder existing is the marker
 * that the build is done, so a start reuses it and a new version or changed source rebuilds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from './process-control.ts';
import { projectRoot } from './services-config.ts';

export const ROOT_MODULE_NAME = 'segflow-rest-root';

/** The Maven project of the module. */
export const rootModuleSourceDir = path.join(projectRoot, 'services', 'elasticsearch-root-module');

const DESCRIPTOR = 'plugin-descriptor.properties';

/**
 * Builds the module for `esVersion` (unless a build of the same source and version is cached)
 * and installs it into `<esHome>/modules/segflow-rest-root/`. Idempotent: files already in
 * place are left untouched, so a running node's jar is never rewritten under it.
 */
export async function installRootModule(esHome: string, esVersion: string, mavenRepo: string | undefined): Promise<void> {
  await installElasticsearchModule({ name: ROOT_MODULE_NAME, sourceDir: rootModuleSourceDir }, esHome, esVersion, mavenRepo);
}

/** A module of segflow's own: its name (its folder under `modules/`) and its Maven project. */
export interface ElasticsearchModuleSource {
  readonly name: string;
  readonly sourceDir: string;
}

/** Builds (or reuses the cached build of) one of segflow's modules and installs it, as installRootModule does. */
export async function installElasticsearchModule(module: ElasticsearchModuleSource, esHome: string, esVersion: string, mavenRepo: string | undefined): Promise<void> {
  const built = await buildModule(module, path.join(path.dirname(esHome), module.name), esVersion, mavenRepo);
  await syncFolder(built, path.join(esHome, 'modules', module.name));
}

/** Returns the folder holding the module's jar and descriptor, building it when not cached. */
async function buildModule({ name, sourceDir }: ElasticsearchModuleSource, cacheDir: string, esVersion: string, mavenRepo: string | undefined): Promise<string> {
  const key = await buildKey(sourceDir, esVersion);
  const done = path.join(cacheDir, key);
  if ((await listFiles(done)) !== undefined) return done;

  await mkdir(cacheDir, { recursive: true });
  // A private build folder, renamed into place when complete: concurrent starts cannot mix
  // their outputs, and an interrupted build never looks finished.
  const buildDir = path.join(cacheDir, `build-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await runCommand('mvn', [
      '-B', '-q',
      ...(mavenRepo ? [`-Dmaven.repo.local=${mavenRepo}`] : []),
      '-f', path.join(sourceDir, 'pom.xml'),
      `-Des.version=${esVersion}`,
      `-Dsegflow.buildDir=${buildDir}`,
      'package',
    ], { cwd: sourceDir });
    const output = path.join(buildDir, 'module');
    await checkBuild(output, esVersion);
    try {
      await rename(output, done);
    } catch (err) {
      // Another start finished the same build first; theirs is as good as ours.
      if ((await listFiles(done)) === undefined) throw err;
    }
  } catch (err) {
    throw new Error(`${name}: could not build the Elasticsearch module from ${sourceDir}: ${(err as Error).message}`, { cause: err });
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
  // Builds for other versions or older source are no longer needed (in-progress builds are kept).
  for (const entry of await readdir(cacheDir)) {
    if (entry !== key && !entry.startsWith('build-')) await rm(path.join(cacheDir, entry), { recursive: true, force: true });
  }
  return done;
}

/** The module must be exactly one jar plus a descriptor naming the Elasticsearch version it was built for. */
async function checkBuild(dir: string, esVersion: string): Promise<void> {
  const files = (await listFiles(dir)) ?? [];
  const jars = files.filter((f) => f.endsWith('.jar'));
  if (jars.length !== 1 || !files.includes(DESCRIPTOR)) {
    throw new Error(`expected one jar and ${DESCRIPTOR} in ${dir}, found: ${files.join(', ') || 'nothing'}`);
  }
  const descriptor = await readFile(path.join(dir, DESCRIPTOR), 'utf8');
  if (!descriptor.split('\n').includes(`elasticsearch.version=${esVersion}`)) {
    throw new Error(`${path.join(dir, DESCRIPTOR)} does not declare elasticsearch.version=${esVersion}`);
  }
}

/** Hash of the Elasticsearch version and every file of the module's source (pom.xml, src/). */
async function buildKey(sourceDir: string, esVersion: string): Promise<string> {
  const hash = createHash('sha256').update(`elasticsearch ${esVersion}\n`);
  const files = [path.join(sourceDir, 'pom.xml')];
  const src = path.join(sourceDir, 'src');
  for (const entry of await readdir(src, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
  }
  for (const file of files.sort()) {
    hash.update(`${path.relative(sourceDir, file)}\n`).update(await readFile(file)).update('\n');
  }
  return `${esVersion}-${hash.digest('hex').slice(0, 16)}`;
}

/**
 * Makes `to` hold exactly the files of `from`: changed files are written to a temporary name
 * and renamed over the old one, unchanged files are not touched, and files `from` lacks (a jar
 * of an older build, which would clash with the new one in the module's class loader) go.
 */
async function syncFolder(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  await chmod(to, 0o755);
  const wanted = (await listFiles(from)) ?? [];
  for (const file of wanted) {
    const content = await readFile(path.join(from, file));
    const target = path.join(to, file);
    const current = await readFile(target).catch(() => undefined);
    if (current?.equals(content)) continue;
    const temp = path.join(to, `.${file}.${process.pid}.tmp`);
    await writeFile(temp, content, { mode: 0o644 });
    await chmod(temp, 0o644);
    await rename(temp, target);
  }
  for (const file of (await listFiles(to)) ?? []) {
    const inProgress = file.startsWith('.') && file.endsWith('.tmp');
    if (!wanted.includes(file) && !inProgress) await rm(path.join(to, file), { recursive: true, force: true });
  }
}

/** Names in a folder, or undefined when it does not exist. */
async function listFiles(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch {
    return undefined;
  }
}

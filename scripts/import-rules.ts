/**
 * The import rules of src/ (README "Layout"): no import circle, and no import from one role's
 * folder into another's. Roles are the deployable parts; src/cli is the composition root and
 * may import any of them; every other folder (src/inventory, src/contract, src/runtime, ...) is a
 * library and imports no role; nothing imports src/cli. Type-only imports count: a circle through types is still one
 * module graph to read.
 *
 *   node --import tsx scripts/import-rules.ts     # prints every problem, exit 1 when any
 *
 * test/unit/structure/import-rules.test.ts runs the same check in the unit suite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROLES = ['api', 'collector', 'enricher', 'inventory-sync', 'kibana', 'ui', 'goldmane'] as const;
const COMPOSITION_ROOT = 'cli';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

// Static `import`/`export ... from`, side-effect `import '...'` and dynamic `import('...')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\1/g;

/** Relative module specifiers of one source, comments removed first (they quote imports). */
export function relativeImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const match of code.matchAll(SPECIFIER)) {
    if (match[2]!.startsWith('.')) found.push(match[2]!);
  }
  return found;
}

/** Module graph of `srcDir`: each .ts file (paths relative to srcDir) → the src files it imports. */
export function importGraph(srcDir = SRC): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(srcDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(srcDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
  for (const file of files) {
    const text = readFileSync(path.join(srcDir, file), 'utf8');
    const targets = relativeImports(text)
      .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)))
      .filter((target) => !target.startsWith('../'));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Top-level folder of a src-relative path ('' for a file directly in src/). */
function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** Import arrows that cross role boundaries, as "from → to: why". */
export function boundaryProblems(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const roles: ReadonlySet<string> = new Set(ROLES);
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    const own = folderOf(from);
    if (own === COMPOSITION_ROOT) continue;
    for (const to of targets) {
      const other = folderOf(to);
      if (other === COMPOSITION_ROOT) {
        problems.push(`src/${from} → src/${to}: imports the composition root src/${COMPOSITION_ROOT}/ (nothing may; move what it needs into a library)`);
        continue;
      }
      if (other === own || !roles.has(other)) continue;
      problems.push(roles.has(own)
        ? `src/${from} → src/${to}: the ${own} role imports the ${other} role's folder (share it through a library, or compose in src/cli)`
        : `src/${from} → src/${to}: the library src/${own}/ imports the ${other} role's folder`);
    }
  }
  return problems;
}

/** Import circles (strongly connected components of more than one module, or a self-import). */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; edge: number }> = [{ node: start, edge: 0 }];
    index.set(start, next); low.set(start, next); next++;
    stack.push(start); onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = (graph.get(frame.node) ?? []).filter((t) => graph.has(t));
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!index.has(to)) {
          index.set(to, next); low.set(to, next); next++;
          stack.push(to); onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfImport = (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfImport) circles.push(component.sort());
      }
    }
  }
  return circles;
}

/** Every import-rule problem in src/, one line each. */
export function importRuleProblems(srcDir = SRC): string[] {
  const graph = importGraph(srcDir);
  return [
    ...importCircles(graph).map((c) => `import circle: ${c.map((f) => `src/${f}`).join(', ')}`),
    ...boundaryProblems(graph),
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = importRuleProblems();
  for (const p of problems) process.stdout.write(`${p}\n`);
  process.stdout.write(`import rules: ${problems.length} problem(s) in src/\n`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

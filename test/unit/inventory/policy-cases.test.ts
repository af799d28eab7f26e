/**
 * Every acceptance case in test/testdata/policy-cases runs through `segflow explain`: the case's
 * resources are written to a temporary file, each flow is run through the real CLI
 * (`node bin/segflow.js explain … --output json`), and verdict, action, trace and pending are
 * compared exactly where the case specifies them. The same flows are also checked in process
 * through the Inventory API.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Inventory, loadResourceText, parseProtocol } from '../../../src/inventory/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// A copy of the shared acceptance cases (the policy cases the project was specified with), kept in
// the repository so a clone anywhere runs them.
const CASES_DIR = process.env.SEGFLOW_POLICY_CASES ?? resolve(ROOT, 'test/testdata/policy-cases');
const CLI = join(ROOT, 'bin/segflow.js');

interface ScopeExpect { action?: string; trace?: string[] }
interface SideExpect extends ScopeExpect { pending?: ScopeExpect }
interface CaseFlow {
  id: string;
  src: string;
  dst: string;
  protocol: string | number;
  dstPort?: number;
  srcPort?: number;
  icmpType?: number;
  icmpCode?: number;
  time?: string;
  expect: { verdict?: string; egress?: SideExpect; ingress?: SideExpect };
}
interface PolicyCase { name: string; description: string; resources: string; flows: CaseFlow[] }

interface ScopeOut { action: string; trace: string[] }
interface ExplainOut { verdict: string; egress: ScopeOut & { pending: ScopeOut }; ingress: ScopeOut & { pending: ScopeOut } }

const caseFiles = readdirSync(CASES_DIR).filter((f) => f.endsWith('.yaml')).sort();
const work = mkdtempSync(join(tmpdir(), 'segflow-policy-cases-'));
after(() => rmSync(work, { recursive: true, force: true }));

function cliArgs(resourceFile: string, f: CaseFlow): string[] {
  const args = [CLI, 'explain', '--resources', resourceFile, '--src', f.src, '--dst', f.dst, '--protocol', String(f.protocol), '--output', 'json'];
  if (f.dstPort !== undefined) args.push('--dst-port', String(f.dstPort));
  if (f.srcPort !== undefined) args.push('--src-port', String(f.srcPort));
  if (f.icmpType !== undefined) args.push('--icmp-type', String(f.icmpType));
  if (f.icmpCode !== undefined) args.push('--icmp-code', String(f.icmpCode));
  if (f.time !== undefined) args.push('--time', f.time);
  return args;
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

/** Compares only what the case specifies; the message names the case, flow and field. */
function check(where: string, out: ExplainOut, e: CaseFlow['expect']): void {
  if (e.verdict !== undefined) assert.equal(out.verdict, e.verdict, `${where}: verdict`);
  for (const side of ['egress', 'ingress'] as const) {
    const exp = e[side];
    if (!exp) continue;
    const got = out[side];
    if (exp.action !== undefined) assert.equal(got.action, exp.action, `${where}: ${side}.action`);
    if (exp.trace !== undefined) assert.deepEqual(got.trace, exp.trace, `${where}: ${side}.trace`);
    if (exp.pending) {
      if (exp.pending.action !== undefined) assert.equal(got.pending.action, exp.pending.action, `${where}: ${side}.pending.action`);
      if (exp.pending.trace !== undefined) assert.deepEqual(got.pending.trace, exp.pending.trace, `${where}: ${side}.pending.trace`);
    }
  }
}

/** Runs tasks with at most `limit` in flight (the machine is shared). */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

it('finds the policy cases', () => {
  assert.ok(caseFiles.length >= 11, `expected the acceptance cases in ${CASES_DIR}, found ${caseFiles.length}`);
});

for (const file of caseFiles) {
  const c = parse(readFileSync(join(CASES_DIR, file), 'utf8')) as PolicyCase;
  describe(`${c.name}: ${c.description}`, () => {
    const resourceFile = join(work, `${c.name}.yaml`);
    writeFileSync(resourceFile, c.resources);

    it('loads without errors or warnings', () => {
      const loaded = loadResourceText(c.resources, resourceFile);
      assert.deepEqual(loaded.issues.map((i) => i.message), []);
    });

    it(`every flow through the segflow explain CLI (${c.flows.length} flows)`, async () => {
      await pool(c.flows, 3, async (f) => {
        const r = await runCli(cliArgs(resourceFile, f));
        assert.equal(r.code, 0, `${c.name} ${f.id}: exit code ${r.code}, stderr: ${r.stderr}`);
        assert.equal(r.stderr, '', `${c.name} ${f.id}: unexpected stderr`);
        check(`${c.name} ${f.id} (CLI)`, JSON.parse(r.stdout) as ExplainOut, f.expect);
      });
    });

    it('every flow in process (cached and uncached agree)', () => {
      const inv = Inventory.fromResources(loadResourceText(c.resources, resourceFile).resources);
      for (const f of c.flows) {
        const protocol = parseProtocol(f.protocol);
        assert.ok(protocol !== null, `${f.id}: protocol`);
        const flow = {
          srcIp: f.src, dstIp: f.dst, protocol, dstPort: f.dstPort, srcPort: f.srcPort, icmpType: f.icmpType, icmpCode: f.icmpCode,
          time: f.time === undefined ? undefined : Date.parse(f.time),
        };
        const v = inv.explain(flow);
        check(`${c.name} ${f.id} (in process)`, v as unknown as ExplainOut, f.expect);
        assert.equal(inv.explain(flow), v, `${f.id}: second call is served from the cache`);
        const cold = inv.engine.explainUncached(flow);
        assert.deepEqual(cold.egress.trace, v.egress.trace);
        assert.deepEqual(cold.ingress.trace, v.ingress.trace);
      }
    });
  });
}

/**
 * The verdict cache: hits only for the exact flow tuple and revision, source ports only when
 * they matter, and a correct fall-through when front-array slots collide.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VerdictCache } from '../../../src/inventory/policy/verdict-cache.ts';
import { Inventory, loadResourceText, type Verdict } from '../../../src/inventory/index.ts';

const fake = (n: number): Verdict => ({ verdict: n % 2 ? 'allow' : 'deny', revision: n } as unknown as Verdict);

describe('VerdictCache', () => {
  it('returns a verdict only for the same tuple at the same revision', () => {
    const c = new VerdictCache(1000);
    assert.equal(c.lookup(1, 10, 20, 5555, false, 6, 80), undefined);
    c.set(fake(1));
    assert.equal(c.lookup(1, 10, 20, 6666, false, 6, 80)?.revision, 1, 'source port ignored when no rule uses it');
    assert.equal(c.lookup(1, 10, 20, 5555, false, 6, 81), undefined);
    assert.equal(c.lookup(1, 20, 10, 5555, false, 6, 80), undefined);
    assert.equal(c.lookup(1, 10, 20, 5555, false, 17, 80), undefined);
    assert.equal(c.lookup(2, 10, 20, 5555, false, 6, 80), undefined, 'a new revision starts empty');
  });

  it('keys on the source port when rules use it, and on address tokens', () => {
    const c = new VerdictCache(1000);
    c.lookup(1, '8.8.8.8', 20, 5555, true, 6, 80);
    c.set(fake(3));
    assert.equal(c.lookup(1, '8.8.8.8', 20, 5555, true, 6, 80)?.revision, 3);
    assert.equal(c.lookup(1, '8.8.8.8', 20, 5556, true, 6, 80), undefined);
    assert.equal(c.lookup(1, '8.8.4.4', 20, 5555, true, 6, 80), undefined);
  });

  it('many tuples (front-array collisions) all come back right from the LRU', () => {
    const c = new VerdictCache(300_000);
    for (let i = 0; i < 200_000; i++) {
      assert.equal(c.lookup(7, i, i + 1, undefined, false, 6, i % 65536), undefined);
      c.set(fake(i));
    }
    for (let i = 0; i < 200_000; i += 7) assert.equal(c.lookup(7, i, i + 1, undefined, false, 6, i % 65536)?.revision, i);
    assert.equal(c.size, 200_000);
  });

  it('a rule on source ports makes the engine distinguish source ports', () => {
    const r = loadResourceText(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: prod}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: prod}
status: {podIP: 10.0.0.2}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: low-ports}
spec:
  selector: all()
  ingress: [{action: Allow, protocol: TCP, source: {ports: ["1:1023"]}}]
`, 't.yaml');
    const inv = Inventory.fromResources(r.resources);
    assert.equal(inv.explain({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', protocol: 6, srcPort: 999, dstPort: 80 }).ingress.action, 'allow');
    assert.equal(inv.explain({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', protocol: 6, srcPort: 40000, dstPort: 80 }).ingress.action, 'end-of-tier-deny');
  });
});

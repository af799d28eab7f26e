/**
 * Nodes in the inventory: a Node document becomes `Node//<name>`, and a host endpoint with an
 * interface but no expectedIPs takes its node's InternalIP/ExternalIP addresses (as Calico's
 * auto host endpoints do), following the Node as it appears, changes and goes, with times.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Inventory, documentResourceKey, keyOf, loadResourceText, type Node, type Resource } from '../../../src/inventory/index.ts';

function load(text: string): Resource[] {
  const r = loadResourceText(text, 'test.yaml');
  assert.deepEqual(r.issues.map((i) => i.message), []);
  return r.resources;
}

function nodeYaml(name: string, addresses: Array<[string, string]>, labels: Record<string, string> = {}): string {
  return `apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: ${JSON.stringify(labels)}}
spec: {podCIDR: 10.244.1.0/24, podCIDRs: [10.244.1.0/24, "fd00:1::/64"]}
status:
  addresses: ${JSON.stringify(addresses.map(([type, address]) => ({ type, address })))}
`;
}

function hepYaml(name: string, spec: string, labels: Record<string, string> = { role: 'node' }): string {
  return `apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: ${name}, labels: ${JSON.stringify(labels)}}
spec: ${spec}
`;
}

const one = (text: string): Resource => load(text)[0] as Resource;
const NODE1 = nodeYaml('node-1', [['InternalIP', '192.168.0.11'], ['ExternalIP', '203.0.113.11'], ['Hostname', 'node-1'], ['InternalIP', '192.168.0.11']]);

describe('Node resources', () => {
  it('parses name, labels, InternalIP/ExternalIP addresses (not Hostname) and pod CIDRs; key Node//name', () => {
    const n = one(nodeYaml('node-1', [['InternalIP', '192.168.0.11'], ['ExternalIP', '2001:DB8::11'], ['Hostname', 'node-1'], ['InternalDNS', 'node-1.internal']], { zone: 'a' })) as Node;
    assert.equal(n.kind, 'Node');
    assert.equal(keyOf(n), 'Node//node-1');
    assert.equal(documentResourceKey('v1', 'Node', undefined, 'node-1'), 'Node//node-1');
    assert.equal(documentResourceKey('v1', 'Node', 'ignored', 'node-1'), 'Node//node-1', 'cluster-scoped');
    assert.deepEqual(n.addresses, ['192.168.0.11', '2001:db8::11']);
    assert.deepEqual(n.podCIDRs.map((c) => c.text), ['10.244.1.0/24', 'fd00:1::/64']);
    assert.equal(n.labels.get('zone'), 'a');
    const inv = Inventory.fromResources([n]);
    assert.deepEqual(inv.counts(), { Node: 1 });
  });

  it('bad addresses name the field', () => {
    const r = loadResourceText(`apiVersion: v1
kind: Node
metadata: {name: node-1}
spec: {podCIDR: 10.244.1.0/33}
---
apiVersion: v1
kind: Node
metadata: {name: node-2}
status: {addresses: [{type: InternalIP, address: 192.168.0.300}]}
---
apiVersion: v1
kind: Node
metadata: {name: node-3}
status: {addresses: [{address: 192.168.0.3}]}
`, 'nodes.yaml');
    assert.deepEqual(r.issues.map((i) => i.message), [
      'nodes.yaml: document 1: spec.podCIDR: invalid CIDR "10.244.1.0/33"',
      'nodes.yaml: document 2: status.addresses[0].address: invalid IP address "192.168.0.300"',
      'nodes.yaml: document 3: status.addresses[0].type: required field is missing',
    ]);
  });
});

describe('host endpoints with their node\'s addresses', () => {
  it('interfaceName without expectedIPs (eth0 and Calico\'s "*") takes the node\'s InternalIP and ExternalIP', () => {
    const inv = Inventory.fromResources([
      one(NODE1),
      one(hepYaml('node-1-eth0', '{node: node-1, interfaceName: eth0}')),
      one(hepYaml('node-2-auto-hep', '{node: node-2, interfaceName: "*"}')),
      one(nodeYaml('node-2', [['InternalIP', '192.168.0.12']])),
    ]);
    for (const ip of ['192.168.0.11', '203.0.113.11']) {
      const ref = inv.resolve(ip);
      assert.equal(ref.kind, 'host', ip);
      assert.equal(ref.name, 'node-1-eth0', ip);
    }
    assert.equal(inv.resolve('192.168.0.12').name, 'node-2-auto-hep', 'a node applied after its host endpoint');
    assert.deepEqual(inv.endpointAt('192.168.0.11')?.labels.get('role'), 'node');
    // The inventory keeps the host endpoint as declared; only the index fills in the addresses.
    const declared = inv.get('HostEndpoint//node-1-eth0');
    assert.ok(declared && declared.kind === 'HostEndpoint');
    assert.deepEqual(declared.ips, []);
  });

  it('explicit expectedIPs win; no node or no interface takes nothing', () => {
    const inv = Inventory.fromResources([
      one(NODE1),
      one(hepYaml('explicit', '{node: node-1, interfaceName: eth0, expectedIPs: [192.168.0.99]}')),
      one(hepYaml('nodeless', '{interfaceName: eth0}')),
    ]);
    assert.equal(inv.resolve('192.168.0.99').name, 'explicit');
    assert.notEqual(inv.resolve('192.168.0.11').kind, 'host', 'no host endpoint took node-1\'s addresses');
    assert.deepEqual(inv.endpoints.getEndpoint('HostEndpoint//nodeless')?.resource.ips, []);
  });

  it('a node that appears, changes its address and goes later: the host endpoint\'s IPs follow, with times', () => {
    const inv = new Inventory();
    inv.apply(one(hepYaml('node-1-eth0', '{node: node-1, interfaceName: eth0}')), { at: 1000 });
    assert.equal(inv.endpointAt('192.168.0.11'), null, 'no node yet');
    inv.apply(one(NODE1), { at: 2000 });
    const at = (ip: string, t?: number): string | null => inv.endpointAt(ip, t)?.resource.name ?? null;
    assert.equal(at('192.168.0.11', 1500), null, 'the address belongs to the host endpoint only from the node\'s arrival');
    assert.equal(at('192.168.0.11', 2500), 'node-1-eth0');
    assert.equal(at('203.0.113.11', 2500), 'node-1-eth0');
    // The node's internal address changes at 3000.
    inv.apply(one(nodeYaml('node-1', [['InternalIP', '192.168.0.21'], ['ExternalIP', '203.0.113.11']])), { at: 3000 });
    assert.equal(at('192.168.0.11', 2500), 'node-1-eth0');
    assert.equal(at('192.168.0.11', 3500), null, 'the old address was released at the change');
    assert.equal(at('192.168.0.21', 2500), null);
    assert.equal(at('192.168.0.21', 3500), 'node-1-eth0');
    assert.equal(inv.endpoints.history('203.0.113.11').length, 2, 'an unchanged address continues (one ownership per snapshot)');
    assert.equal(at('203.0.113.11', 2500), 'node-1-eth0');
    // A label-only change of the node leaves the host endpoint as it is.
    const uid = inv.endpoints.getEndpoint('HostEndpoint//node-1-eth0')?.uid;
    inv.apply(one(nodeYaml('node-1', [['InternalIP', '192.168.0.21'], ['ExternalIP', '203.0.113.11']], { zone: 'b' })), { at: 3500 });
    assert.equal(inv.endpoints.getEndpoint('HostEndpoint//node-1-eth0')?.uid, uid);
    // The node goes at 4000; the host endpoint stays, without addresses.
    assert.equal(inv.delete('Node//node-1', { at: 4000 }), true);
    assert.equal(at('192.168.0.21', 3900), 'node-1-eth0');
    assert.equal(at('192.168.0.21', 4100), null);
    assert.equal(at('192.168.0.21'), null);
    assert.deepEqual(inv.endpoints.getEndpoint('HostEndpoint//node-1-eth0')?.resource.ips, []);
  });

  it('a host endpoint updated to explicit expectedIPs stops following its node; deleted, it is forgotten', () => {
    const inv = Inventory.fromResources([one(NODE1), one(hepYaml('h', '{node: node-1, interfaceName: eth0}'))]);
    inv.apply(one(hepYaml('h', '{node: node-1, interfaceName: eth0, expectedIPs: [192.168.0.99]}')), { at: 1000 });
    assert.equal(inv.resolve('192.168.0.99').name, 'h');
    assert.notEqual(inv.resolve('192.168.0.11').kind, 'host');
    inv.apply(one(nodeYaml('node-1', [['InternalIP', '192.168.0.31']])), { at: 2000 });
    assert.notEqual(inv.resolve('192.168.0.31').kind, 'host', 'no longer follows the node');
    inv.apply(one(hepYaml('h', '{node: node-1, interfaceName: eth0}')), { at: 3000 });
    assert.equal(inv.resolve('192.168.0.31').name, 'h', 'follows again without expectedIPs');
    inv.delete('HostEndpoint//h', { at: 4000 });
    inv.apply(one(nodeYaml('node-1', [['InternalIP', '192.168.0.41']])), { at: 5000 });
    assert.equal(inv.endpointAt('192.168.0.41'), null, 'a deleted host endpoint does not come back with its node');
  });

  it('a profile change re-derives a node host endpoint from what it declared, keeping its addresses', () => {
    const inv = Inventory.fromResources([
      one(NODE1),
      one(hepYaml('h', '{node: node-1, interfaceName: eth0, profiles: [p1]}')),
      one('apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata: {name: p1}\nspec: {labelsToApply: {team: a}}\n'),
    ]);
    assert.equal(inv.endpointAt('192.168.0.11')?.labels.get('team'), 'a');
    inv.apply(one('apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata: {name: p1}\nspec: {labelsToApply: {team: b}}\n'), { at: 1000 });
    assert.equal(inv.endpointAt('192.168.0.11')?.labels.get('team'), 'b');
    inv.apply(one(nodeYaml('node-1', [['InternalIP', '192.168.0.51']])), { at: 2000 });
    assert.equal(inv.endpointAt('192.168.0.51')?.resource.name, 'h', 'still follows its node after the profile refresh');
  });
});

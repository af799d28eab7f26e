/**
 * Endpoint index: exact-IP endpoints with per-IP ownership history (pod IP reuse), network
 * sets by prefix, address classification, incremental label inheritance, services.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  Inventory, PrefixTable, classifyAddress, loadResourceText, parseCidr, parseIp, type Cidr, type IpAddr, type Resource,
} from '../../../src/inventory/index.ts';

function load(text: string): Resource[] {
  const r = loadResourceText(text, 'test.yaml');
  assert.deepEqual(r.issues.map((i) => i.message), []);
  return r.resources;
}

const ip = (s: string): IpAddr => parseIp(s) as IpAddr;
const cidr = (s: string): Cidr => parseCidr(s) as Cidr;

function pod(name: string, ipText: string, labels: Record<string, string>, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: prod, labels: ${JSON.stringify(labels)}${extra}}
spec: {serviceAccountName: sa}
status: {podIP: "${ipText}"}
`;
}

describe('PrefixTable', () => {
  it('longest-prefix match and all containing prefixes, IPv4 and IPv6', () => {
    const t = new PrefixTable<string>();
    t.add(cidr('10.0.0.0/8'), 'a');
    t.add(cidr('10.1.0.0/16'), 'b');
    t.add(cidr('10.1.2.0/24'), 'c');
    t.add(cidr('0.0.0.0/0'), 'any');
    t.add(cidr('fd00::/8'), 'ula');
    t.add(cidr('fd00:1::/32'), 'ula1');
    assert.deepEqual(t.longest(ip('10.1.2.3')), { prefix: 24, values: ['c'] });
    assert.deepEqual(t.longest(ip('10.1.9.9'))?.values, ['b']);
    assert.deepEqual(t.containing(ip('10.1.2.3')), ['c', 'b', 'a', 'any']);
    assert.deepEqual(t.longest(ip('192.0.2.1'))?.values, ['any']);
    assert.deepEqual(t.longest(ip('fd00:1::5'))?.values, ['ula1']);
    assert.equal(t.longest(ip('2001:db8::1')), undefined);
    assert.equal(t.remove(cidr('10.1.2.0/24'), 'c'), true);
    assert.deepEqual(t.longest(ip('10.1.2.3'))?.values, ['b']);
    assert.equal(t.remove(cidr('10.1.2.0/24'), 'c'), false);
  });
});

describe('address classification', () => {
  const cases: [string, string][] = [
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['192.168.1.1', 'private'], ['100.64.0.1', 'private'],
    ['127.0.0.1', 'private'], ['169.254.1.1', 'private'], ['fd12::1', 'private'], ['fe80::1', 'private'], ['::1', 'private'],
    ['8.8.8.8', 'public'], ['2001:4860::8888', 'public'], ['172.32.0.1', 'public'], ['::ffff:10.0.0.1', 'private'],
  ];
  for (const [a, want] of cases) it(`${a} is ${want}`, () => assert.equal(classifyAddress(ip(a)), want));
});

describe('EndpointIndex', () => {
  it('resolves pods, host endpoints (exact IP), network sets (longest prefix) and unknown addresses', () => {
    const inv = Inventory.fromResources(load(`${pod('web-1', '10.0.0.5', { app: 'web' })}---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: n1-eth0, labels: {role: node}}
spec: {node: n1, interfaceName: eth0, expectedIPs: [192.168.1.11]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: wide}
spec: {nets: [203.0.0.0/8]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: narrow}
spec: {nets: [203.0.113.0/24]}
`));
    assert.deepEqual([inv.resolve('10.0.0.5').kind, inv.resolve('10.0.0.5').name], ['workload', 'web-1']);
    assert.deepEqual([inv.resolve('192.168.1.11').kind, inv.resolve('192.168.1.11').name], ['host', 'n1-eth0']);
    assert.deepEqual([inv.resolve('203.0.113.9').kind, inv.resolve('203.0.113.9').name], ['networkset', 'narrow']);
    assert.equal(inv.resolve('203.1.1.1').name, 'wide');
    assert.equal(inv.resolve('10.9.9.9').kind, 'private');
    assert.equal(inv.resolve('8.8.4.4').kind, 'public');
  });

  it('pod IP reuse: a lookup at time T returns the pod that owned the IP at T', () => {
    const inv = new Inventory();
    const [a] = load(pod('old', '10.0.0.7', { app: 'old' }));
    const [b] = load(pod('new', '10.0.0.7', { app: 'new' }));
    inv.apply(a as Resource, { at: 1000 });
    inv.delete('Pod/prod/old', { at: 2000 });
    inv.apply(b as Resource, { at: 2500 });
    assert.equal(inv.endpointAt('10.0.0.7', 500)?.resource.name, 'old', 'before the first owner appeared the IP was free; it is attributed back to it');
    assert.equal(inv.endpointAt('10.0.0.7', 1500)?.resource.name, 'old');
    assert.equal(inv.endpointAt('10.0.0.7', 2200)?.resource.name, 'new', 'the gap after a release belongs to the next owner');
    assert.equal(inv.endpointAt('10.0.0.7', 3000)?.resource.name, 'new');
    assert.equal(inv.endpointAt('10.0.0.7')?.resource.name, 'new');
    assert.equal(inv.endpoints.history('10.0.0.7').length, 2);
  });

  it('creationTimestamp bounds the new owner; the history per IP is bounded', () => {
    const inv = new Inventory({ historyPerIp: 3 });
    for (let i = 0; i < 6; i++) {
      const [p] = load(pod(`p${i}`, '10.0.0.8', { gen: String(i) }, `, creationTimestamp: "2026-01-01T00:0${i}:00Z"`));
      inv.apply(p as Resource, { at: Date.parse(`2026-01-01T00:0${i}:00Z`) + 1 });
      if (i > 0) inv.delete(`Pod/prod/p${i - 1}`, { at: Date.parse(`2026-01-01T00:0${i}:00Z`) });
    }
    assert.equal(inv.endpoints.history('10.0.0.8').length, 3);
    assert.equal(inv.endpointAt('10.0.0.8', Date.parse('2026-01-01T00:04:30Z'))?.resource.name, 'p4');
    assert.equal(inv.endpointAt('10.0.0.8', Date.parse('2026-01-01T00:01:30Z')), null, 'dropped from the bounded history');
  });

  it('namespace label changes flow into pcns.* labels incrementally', () => {
    const inv = Inventory.fromResources(load(`apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {env: prod}}
---
${pod('web-1', '10.0.0.5', { app: 'web' })}`));
    const before = inv.endpointAt('10.0.0.5');
    assert.equal(before?.labels.get('pcns.env'), 'prod');
    assert.equal(before?.labels.get('pcns.projectcalico.org/name'), 'prod');
    assert.equal(before?.labels.get('pcsa.projectcalico.org/name'), 'sa');
    const rev = inv.revision;
    inv.apply(load('apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {env: staging}}\n')[0] as Resource);
    assert.equal(inv.revision, rev + 1);
    const after = inv.endpointAt('10.0.0.5');
    assert.equal(after?.labels.get('pcns.env'), 'staging');
    assert.notEqual(after?.uid, before?.uid);
  });

  it('Service cluster IP resolves to EndpointSlice backends for DNAT', () => {
    const inv = Inventory.fromResources(load(`apiVersion: v1
kind: Service
metadata: {name: dns, namespace: kube-system}
spec:
  clusterIP: 10.96.0.10
  ports: [{name: dns, port: 53, protocol: UDP, targetPort: 53}, {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: dns-1, namespace: kube-system, labels: {kubernetes.io/service-name: dns}}
addressType: IPv4
endpoints: [{addresses: [10.0.3.53]}, {addresses: [10.0.3.54], conditions: {ready: false}}]
ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 5353, protocol: TCP}]
`));
    const udp = inv.resolveService('10.96.0.10', 17, 53);
    assert.equal(udp?.name, 'dns');
    assert.deepEqual(udp?.backends, [{ ip: '10.0.3.53', protocol: 17, port: 53, portName: 'dns' }]);
    assert.deepEqual(inv.resolveService('10.96.0.10', 6, 53)?.backends.map((b) => b.port), [5353]);
    assert.equal(inv.resolveService('10.96.0.11'), null);
    inv.delete('EndpointSlice/kube-system/dns-1');
    assert.deepEqual(inv.resolveService('10.96.0.10', 17, 53)?.backends, []);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { CollectorMetrics } from '../../../src/collector/collector-metrics.ts';
import type { FlowRecordHandler, FlowSource } from '../../../src/collector/sources/flow-source.ts';
import { withEbpfSource } from '../../../src/collector/sources/ebpf/ebpf-collector-wiring.ts';
import { EbpfFlowSource } from '../../../src/collector/sources/ebpf/ebpf-source.ts';
import { MergedFlowSource } from '../../../src/collector/sources/ebpf/merged-flow-source.ts';
import type { FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';
import { waitFor } from '../../harness/wait-for.ts';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** A stand-in conntrack source that emits what the test gives it. */
class FakeConntrack implements FlowSource {
  readonly name = 'conntrack';
  handler: FlowRecordHandler | null = null;
  running = false;
  async start(onRecords: FlowRecordHandler): Promise<void> {
    this.handler = onRecords;
    this.running = true;
  }
  async stop(): Promise<void> {
    this.running = false;
  }
  status() {
    return { running: this.running };
  }
}

const conntrackRecord: FlowRecordData = {
  source: 'conntrack',
  nodeName: 'n',
  startTimeUnixNano: 1n,
  endTimeUnixNano: 2n,
  ipVersion: 4,
  protocol: 6,
  original: { srcIp: ipToBytes('10.0.0.1'), dstIp: ipToBytes('10.0.0.2'), srcPort: 1234, dstPort: 80 },
  reply: { srcIp: ipToBytes('10.0.0.2'), dstIp: ipToBytes('10.0.0.1'), srcPort: 80, dstPort: 1234 },
  originalPackets: 3,
  originalBytes: 180,
  replyPackets: 2,
  replyBytes: 120,
  eventKind: 'new',
  tcpState: 'ESTABLISHED',
  assured: true,
  unreplied: false,
  conntrackId: 7,
  conntrackMark: 0,
  dataplaneVerdict: 'unknown',
  ruleHint: '',
  icmpType: 0,
  icmpCode: 0,
  icmpId: 0,
  countersValid: true,
};

describe('wiring the eBPF source into the collector', () => {
  const deps = { metrics: new CollectorMetrics(), logger: capturingLogger().logger };
  const config = { enabled: true, interfaces: ['cali1'], interfacePrefixes: [], loaderPath: '/nonexistent/segflow-ebpf' };

  it('leaves the sources alone when eBPF is not configured or disabled', () => {
    const sources = [new FakeConntrack()];
    assert.equal(withEbpfSource(sources, 'n', undefined, deps), sources);
    assert.equal(withEbpfSource(sources, 'n', { ...config, enabled: false }, deps), sources);
  });

  it('merges with the conntrack source, or runs alone without one', () => {
    const conntrack = new FakeConntrack();
    const [merged] = withEbpfSource([conntrack], 'n', config, deps);
    assert.ok(merged instanceof MergedFlowSource);
    assert.equal(merged.name, 'conntrack+ebpf');
    assert.equal(merged.conntrack, conntrack);
    const alone = withEbpfSource([], 'n', config, deps);
    assert.equal(alone.length, 1);
    assert.ok(alone[0] instanceof EbpfFlowSource);
  });
});

describe('merged source when eBPF cannot run', () => {
  it('says so once, starts anyway and passes the conntrack records', async () => {
    const { logger, lines } = capturingLogger();
    const conntrack = new FakeConntrack();
    const ebpf = new EbpfFlowSource({ nodeName: 'n', interfaces: ['x'], loaderPath: '/nonexistent/segflow-ebpf', logger });
    const merged = new MergedFlowSource(conntrack, ebpf, { releaseEveryMs: 10 });
    const got: FlowRecordData[] = [];
    await merged.start((r) => got.push(...r));
    conntrack.handler!([conntrackRecord]);
    await waitFor('the conntrack record released by the merger', async () => (got.length > 0 ? true : undefined), 10_000, 1);
    await merged.stop();
    assert.deepEqual(got, [conntrackRecord]);
    const status = merged.status() as { running: boolean; ebpf: { state: string; reason: string } };
    assert.equal(status.ebpf.state, 'unavailable');
    assert.match(status.ebpf.reason, /cannot run the eBPF loader.*ENOENT/);
    assert.equal(lines.filter((l) => String(l.msg).includes('unavailable')).length, 1);
    assert.equal(ebpf.available, false);
  });

  it('fails to start only when conntrack fails', async () => {
    const { logger } = capturingLogger();
    const broken: FlowSource = { name: 'conntrack', start: () => Promise.reject(new Error('no conntrack tool')), stop: async () => undefined, status: () => ({ running: false }) };
    const merged = new MergedFlowSource(broken, new EbpfFlowSource({ nodeName: 'n', loaderPath: '/nonexistent', logger }));
    await assert.rejects(merged.start(() => undefined), /no conntrack tool/);
  });
});

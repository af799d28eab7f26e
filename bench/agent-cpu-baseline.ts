/**
 * The agent-cpu bench's baselines (run as their own process): what reading the conntrack event
 * stream costs at the least, then dropped — no flow tracking, batching, encoding, spooling or
 * sending. Prints the number of decoded entries on SIGTERM.
 *   node --import tsx bench/agent-cpu-baseline.ts cli <conntrack executable>
 *     the agent's `conntrack -E` command line, read line by line, parsed with the agent's parser;
 *   node --import tsx bench/agent-cpu-baseline.ts netlink <segflow-conntrack-reader executable>
 *     the agent's reader command line, its records decoded with the agent's decoder.
 * And two stages of the agent's own path after the netlink reader, to show where its CPU goes
 * (each a step further, still without spooling or sending):
 *   ... netlink-track <executable>   the agent's conntrack source (reader, decoder, flow tracker,
 *     table listings) with its defaults, its records dropped (parsed counts records);
 *   ... netlink-encode <executable>  + the agent's batcher with its default limits, encoding every
 *     record into batches that are then dropped.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseConntrackLine } from '../src/collector/sources/conntrack/conntrack-event-parser.ts';
import { ConntrackRecordStream } from '../src/collector/sources/conntrack/conntrack-record-decoder.ts';
import { ConntrackSource } from '../src/collector/sources/conntrack/conntrack-source.ts';
import { CollectorMetrics } from '../src/collector/collector-metrics.ts';
import { FlowBatcher } from '../src/collector/flow-batcher.ts';
import { resolveCollectorConfig } from '../src/collector/collector-config.ts';
import { createLogger } from '../src/runtime/logger.ts';
import { applyAgentHeapGrowth } from '../src/collector/agent-heap-growth.ts';

const [mode, executable] = process.argv.slice(2) as [string, string];
// Tuned like the agent's own process, so each stage differs from the next by code only.
applyAgentHeapGrowth();
let parsed = 0;
/** Stops what reads the replay (on SIGTERM, before the count is printed). */
let stopReading: () => Promise<void> | void = () => undefined;
if (mode === 'cli') {
  const child = spawn(executable, ['-E', '-e', 'NEW,DESTROY', '-o', 'extended,id,timestamp', '--buffer-size', '8388608'], { stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: child.stdout }).on('line', (line) => {
    // As the agent's source does: a line that does not parse is counted there, skipped here.
    try {
      parseConntrackLine(line);
      parsed++;
    } catch {
      // not an entry
    }
  });
  stopReading = () => void child.kill('SIGTERM');
} else if (mode === 'netlink') {
  const child = spawn(executable, ['events', '--buffer-size', '8388608'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const records = new ConntrackRecordStream(
    (message) => {
      if (message.kind === 'entry') parsed++;
    },
    () => undefined,
  );
  child.stdout.on('data', (chunk: Buffer) => records.push(chunk));
  stopReading = () => void child.kill('SIGTERM');
} else if (mode === 'netlink-track' || mode === 'netlink-encode') {
  // The agent's own conntrack source with its defaults (as `segflow collect` resolves them),
  // table listings included; its records are dropped, or encoded by the agent's batcher first.
  const config = resolveCollectorConfig({ nodeName: 'node-1', kafka: { brokers: ['127.0.0.1:9092'] } }); // brokers unused: nothing is sent
  const source = new ConntrackSource({ nodeName: config.nodeName, ...config.conntrack, readerPath: executable, metrics: new CollectorMetrics({ defaultMetrics: false }), logger: createLogger('agent-cpu-baseline', 'error') });
  const batcher = mode === 'netlink-encode' ? new FlowBatcher({ agentId: config.agentId, nodeName: config.nodeName, ...config.batch }, () => undefined) : null;
  await source.start((records) => {
    parsed += records.length;
    batcher?.add(records);
  });
  stopReading = () => source.stop();
} else {
  throw new Error(`usage: agent-cpu-baseline.ts cli|netlink|netlink-track|netlink-encode <executable>, got ${JSON.stringify(mode)}`);
}
process.stdout.write('reading\n');
process.on('SIGTERM', () => {
  void Promise.resolve(stopReading()).finally(() => {
    process.stdout.write(`${JSON.stringify({ parsed })}\n`);
    process.exit(0);
  });
});

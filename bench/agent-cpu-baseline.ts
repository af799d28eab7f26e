/**
 * The agent-cpu bench's baselines (run as their own process): what reading the conntrack event
 * stream costs at the least, then dropped — no flow tracking, batching, encoding, spooling or
 * sending. Prints the number of decoded entries on SIGTERM.
 *   node --import tsx bench/agent-cpu-baseline.ts cli <conntrack executable>
 *     the agent's `conntrack -E` command line, read line by line, parsed with the agent's parser;
 *   node --import tsx bench/agent-cpu-baseline.ts netlink <segflow-conntrack-reader executable>
 *     the agent's reader command line, its records decoded with the agent's decoder.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseConntrackLine } from '../src/collector/sources/conntrack/conntrack-event-parser.ts';
import { ConntrackRecordStream } from '../src/collector/sources/conntrack/conntrack-record-decoder.ts';

const [mode, executable] = process.argv.slice(2) as [string, string];
let parsed = 0;
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
  process.on('SIGTERM', () => child.kill('SIGTERM'));
} else if (mode === 'netlink') {
  const child = spawn(executable, ['events', '--buffer-size', '8388608'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const records = new ConntrackRecordStream(
    (message) => {
      if (message.kind === 'entry') parsed++;
    },
    () => undefined,
  );
  child.stdout.on('data', (chunk: Buffer) => records.push(chunk));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
} else {
  throw new Error(`usage: agent-cpu-baseline.ts cli|netlink <executable>, got ${JSON.stringify(mode)}`);
}
process.stdout.write('reading\n');
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ parsed })}\n`);
  process.exit(0);
});

/**
 * The agent-cpu bench's baseline (run as its own process): what reading the conntrack event
 * stream costs at the least — the same `conntrack` command line the agent runs, read line by line
 * and parsed with the agent's own parser, then dropped: no flow tracking, batching, encoding,
 * spooling or sending. Prints the number of parsed entries on SIGTERM.
 *   node --import tsx bench/agent-cpu-baseline.ts <conntrack executable>
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseConntrackLine } from '../src/collector/sources/conntrack/conntrack-event-parser.ts';

const conntrack = process.argv[2]!;
const child = spawn(conntrack, ['-E', '-e', 'NEW,DESTROY', '-o', 'extended,id,timestamp', '--buffer-size', '8388608'], { stdio: ['ignore', 'pipe', 'inherit'] });
let parsed = 0;
createInterface({ input: child.stdout }).on('line', (line) => {
  // As the agent's source does: a line that does not parse is counted there, skipped here.
  try {
    parseConntrackLine(line);
    parsed++;
  } catch {
    // not an entry
  }
});
process.stdout.write('reading\n');
process.on('SIGTERM', () => {
  child.kill('SIGTERM');
  process.stdout.write(`${JSON.stringify({ parsed })}\n`);
  process.exit(0);
});

/**
 * What a Goldmane flow must carry to become a document; every problem is named with its field
 * (Calico's field names), so a dead letter says all that is wrong with the flow at once.
 */
import { parseProtocol } from '../../inventory/model/resources.ts';
import { GoldmaneReporter, type GoldmaneFlow, type GoldmaneFlowKey } from '../../contract/goldmane/goldmane-flow.ts';
import type { IngestProblem } from '../ingest/ingest-problem.ts';
import { calicoAction, checkCalicoHits } from './calico-policy-hits.ts';

/** A flow that passed the checks: its key is there. */
export type CheckedGoldmaneFlow = GoldmaneFlow & { readonly key: GoldmaneFlowKey };

export function checkGoldmaneFlow(flow: GoldmaneFlow, nowMs: number, maxClockSkewMs: number): IngestProblem[] {
  const problems: IngestProblem[] = [];
  const invalid = (field: string, message: string): void => {
    problems.push({ code: 'invalid_field', field, message });
  };
  const k = flow.key;
  if (!k) invalid('Key', 'is missing (every Goldmane flow has a key)');
  else {
    if (!k.sourceName) invalid('Key.source_name', 'is empty');
    if (!k.destName) invalid('Key.dest_name', 'is empty');
    if (parseProtocol(k.proto) === null) invalid('Key.proto', `${JSON.stringify(k.proto)} is not an IP protocol name or number`);
    if (k.destPort < 0 || k.destPort > 65535) invalid('Key.dest_port', `${k.destPort} is not a port number`);
    if (k.reporter !== GoldmaneReporter.Src && k.reporter !== GoldmaneReporter.Dst) invalid('Key.reporter', `${k.reporter} is neither Src (1) nor Dst (2)`);
    const action = calicoAction(k.action);
    if (action !== 'allow' && action !== 'deny') invalid('Key.action', `${k.action} is neither Allow (1) nor Deny (2)`);
    for (const p of checkCalicoHits(k.enforced, 'Key.policies.enforced_policies')) invalid(p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 2));
    for (const p of checkCalicoHits(k.pending, 'Key.policies.pending_policies')) invalid(p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 2));
  }
  if (flow.startTime <= 0) invalid('start_time', `${flow.startTime} is not a Unix time`);
  if (flow.endTime <= flow.startTime) problems.push({ code: 'end_before_start', field: 'end_time', message: `${flow.endTime} is not after start_time ${flow.startTime}` });
  if (flow.endTime * 1000 > nowMs + maxClockSkewMs) problems.push({ code: 'time_in_future', field: 'end_time', message: `${new Date(flow.endTime * 1000).toISOString()} is more than ${maxClockSkewMs} ms ahead of the enricher's clock` });
  for (const name of ['packetsIn', 'packetsOut', 'bytesIn', 'bytesOut', 'connectionsStarted', 'connectionsCompleted', 'connectionsLive'] as const) {
    if (flow[name] < 0 || !Number.isSafeInteger(flow[name])) invalid(name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^connections/, 'num_connections'), `${flow[name]} is not a counter`);
  }
  return problems;
}

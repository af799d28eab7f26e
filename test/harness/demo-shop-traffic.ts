/**
 * One raw TCP record per route of the demo shop (every client → server port the inventory
 * declares, directly and through each Service), as the node agent would report them: what fix
 * tests send through the real pipeline so that every group of the demo has flows, allowed and
 * denied, before and after a change.
 */
import { deriveTrafficPlan, type SyntheticRoute } from '../../src/collector/sources/synthetic/synthetic-traffic-plan.ts';
import type { FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import type { Resource } from '../../src/inventory/index.ts';
import { tcpRecord } from './flow-records.ts';

/** The demo's TCP routes (direct and through Services), allowed and denied. */
export function demoRoutes(resources: readonly Resource[]): SyntheticRoute[] {
  const plan = deriveTrafficPlan(resources);
  return [...plan.allowed, ...plan.denied].filter((r) => r.protocol === 6);
}

/** A record per route, ending at `endMs`; denied routes are SYNs without a reply. */
export function demoRecords(routes: readonly SyntheticRoute[], endMs: number): FlowRecordData[] {
  return routes.map((r) => tcpRecord(r.client.ip, r.dialledIp, r.dialledPort, {
    endMs, denied: r.verdict === 'deny',
    ...(r.kind === 'service' ? { replySrc: r.server.ip, replySport: r.serverPort } : {}),
  }));
}

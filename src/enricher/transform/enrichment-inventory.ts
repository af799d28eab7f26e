/**
 * What the enricher needs from the inventory: a verdict with its trace for a flow, the Service
 * a cluster IP belongs to, and the revision that answered (stamped on every document).
 * The live inventory (followed from the inventory topic) implements it; unit tests and
 * benchmarks can build one from resource files.
 */
import type { FlowInput, Verdict } from '../../inventory/policy/verdict-engine.ts';
import type { EndpointSnapshot, ServiceResolution } from '../../inventory/endpoints/endpoint-index.ts';

export interface EnrichmentInventory {
  /** Increments on every inventory change. */
  readonly revision: number;
  explain(flow: FlowInput): Verdict;
  /** The Service whose cluster IP is `ip` (null when it is not a Service address). */
  resolveService(ip: string, protocol: number, port: number): ServiceResolution | null;
  /** Owner prefix name (`frontend-6d5f8-*`) of the endpoint resource behind `key`, when known. */
  aggregatedName(resourceKey: string): string | null;
  /** Every endpoint, for flows that name their ends instead of addressing them (Goldmane); absent: such flows stay unevaluated. */
  endpoints?(): Iterable<EndpointSnapshot>;
}

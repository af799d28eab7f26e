/**
 * The inventory: Calico/Kubernetes resources, endpoint and policy indexes, and the verdict
 * engine. What the enricher and the API use.
 *
 *   const { resources, issues } = await loadResourcePaths(['cluster/']);
 *   const inventory = Inventory.fromResources(resources);
 *   const v = inventory.explain({ srcIp, dstIp, protocol: 6, dstPort: 8080, time });
 *   v.verdict; v.egress.trace; v.ingress.pending.trace; inventory.revision;
 */
export { Inventory, documentResourceKey, type InventoryOptions, type ApplyOptions } from './inventory.ts';

// Resource model
export {
  keyOf, resourceKey, parseResourceKey, isPolicy, isAdminPolicy, isEndpointResource, isNamespacedKind,
  parseProtocol, protocolName, PROTOCOL_NUMBERS, POLICY_SHORT_KIND,
  type Resource, type ResourceKind, type PolicyKind, type PolicyShortKind, type Policy, type Rule, type RuleAction,
  type EntityRule, type PortMatch, type Tier, type NetworkSet, type EndpointResource, type NamedPort, type Profile,
  type Namespace, type ServiceAccount, type Service, type ServicePort, type EndpointSlice, type Direction,
  type Node, type AdminPolicyKind, type FelixConfiguration, type FailsafePort,
} from './model/resources.ts';
export { parseIp, parseCidr, canonicalIp, cidrContains, classifyAddress, type IpAddr, type Cidr, type AddressClass } from './model/ip.ts';

// Loading
export { loadResourceText, type LoadResult } from './loader/load-text.ts';
export { loadResourcePaths } from './loader/load-files.ts';
export { parseDocument, internalKind, ADMIN_TIERS, type DocumentOrigin, type ParseResult } from './loader/parse-resource.ts';
export { ResourceLoadError, formatIssue, type LoadIssue, type IssueSeverity } from './loader/errors.ts';

// Indexes
export {
  EndpointIndex, type EndpointSnapshot, type EndpointKind, type NetworkSetEntry, type Ownership,
  type ServiceBackend, type ServiceResolution, type EndpointIndexOptions,
} from './endpoints/endpoint-index.ts';
export { PrefixTable } from './endpoints/prefix-table.ts';
export { PolicyIndex, type CompiledPolicy, type TierInfo, type TierPlan, type EndpointPlan } from './policy/policy-index.ts';

// Verdicts
export {
  VerdictEngine, FlowInputError,
  type FlowInput, type Verdict, type SideResult, type ScopeResult, type EndpointRef, type AddressKind, type VerdictEngineOptions, type DecidingStage,
} from './policy/verdict-engine.ts';
export type { SideAction, Scope, StageKind, StageResult, StageOutcome } from './policy/evaluate.ts';
export { HostTopology, DEFAULT_FAILSAFE_INBOUND, DEFAULT_FAILSAFE_OUTBOUND } from './policy/host-topology.ts';
export { hitString, parseHitString, PROFILE_TIER, NO_MATCH, type PolicyHit, type HitAction, type HitKind } from './policy/trace.ts';
export { verdictJson } from './policy/verdict-json.ts';

/**
 * The single field table of the enriched flow document.
 *
 * Every field a flow document may carry is listed here once: its dotted name, its Elasticsearch
 * type, what it means, whether it is an ECS field, a `segflow.*` extension or a compatibility
 * field (Packetbeat's `flow.*`), and how the query API may use it. Everything else is derived
 * from this table or tested against it:
 *
 * - the index template (`buildFlowIndexTemplate` maps exactly these fields, `dynamic: strict`),
 * - the TypeScript type of a document (`FlowDocument`, computed from the table at compile time),
 * - the query API's filters and group-bys (`api`, `filterable`, `aggregatable`),
 * - the Kibana objects (field descriptions, which fields a visualisation may aggregate on).
 *
 * Adding a field means adding a row here; nothing else has to be edited for it to be indexed.
 * Names follow ECS where ECS has a field (see docs/flow-document-design.md) and live under
 * the `segflow.` product namespace otherwise, as ECS's custom-field guidance asks.
 */

/**
 * Elasticsearch field types the table may use. Only types that exist in the core server:
 * the local integ-test distribution has no x-pack mapper plugins, so `constant_keyword`,
 * `wildcard`, `unsigned_long` and friends would make the template fail there.
 */
export const FLOW_FIELD_TYPES = ['date', 'keyword', 'ip', 'long', 'boolean', 'flattened', 'nested', 'binary'] as const;
export type FlowFieldType = (typeof FLOW_FIELD_TYPES)[number];

/** Where a field's name comes from. */
export type FlowFieldGroup = 'ecs' | 'segflow' | 'compat';

/** One row of the table. Nested fields carry their own sub-table (relative names). */
export interface FlowFieldSpec {
  /** Dotted path in the document (relative to the nested parent for nested sub-fields). */
  readonly name: string;
  readonly type: FlowFieldType;
  readonly group: FlowFieldGroup;
  readonly description: string;
  /** The value is a list (ES has no array type; this drives the TypeScript type and the API). */
  readonly array?: boolean;
  /** Every document (or every object of the enclosing nested field) has this field. */
  readonly required?: boolean;
  /** Closed vocabulary of a keyword field; narrows the TypeScript type and validates API input. */
  readonly values?: readonly string[];
  /** The query API accepts filters on this field (term/terms, range, CIDR for ip). */
  readonly filterable?: boolean;
  /** The query API (and Kibana) may group by this field (terms / histogram aggregations). */
  readonly aggregatable?: boolean;
  /** Name of the field in the query API (Calico/Goldmane vocabulary where one exists). */
  readonly api?: string;
  /** Sub-fields of a `nested` field, with names relative to it. */
  readonly properties?: readonly FlowFieldSpec[];
}

/**
 * One hit of a policy trace, as stored in the nested trace fields. Mirrors Goldmane's
 * `PolicyHit` so that "kind + name + action together" queries are exact (a keyword array of
 * strings cannot express that without string parsing).
 */
export const POLICY_HIT_FIELDS = [
  { name: 'policy_index', type: 'long', group: 'segflow', required: true, description: '0-based position of this hit in its trace (the trace is ordered by it).' },
  { name: 'tier', type: 'keyword', group: 'segflow', required: true, filterable: true, aggregatable: true, description: 'Tier of the policy; `__PROFILE__` for profile rules.' },
  { name: 'kind', type: 'keyword', group: 'segflow', required: true, filterable: true, aggregatable: true, description: 'Short policy kind as in Calico policy-hit strings: gnp, np, knp, sgnp, snp, sknp, kanp, kbanp, kcnp, pro.' },
  { name: 'namespace', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, description: 'Namespace of a namespaced policy; absent for global kinds and profiles.' },
  { name: 'name', type: 'keyword', group: 'segflow', required: true, filterable: true, aggregatable: true, description: 'Policy (or profile) name, without kind prefix or namespace.' },
  { name: 'action', type: 'keyword', group: 'segflow', required: true, values: ['allow', 'deny', 'pass'], filterable: true, aggregatable: true, description: 'What this hit did: allow or deny end evaluation, pass skips to the next tier.' },
  { name: 'rule_index', type: 'long', group: 'segflow', required: true, filterable: true, description: 'Index of the matching rule in that direction; -1 = end-of-tier default action, -2 = unknown.' },
  { name: 'trigger', type: 'keyword', group: 'segflow', filterable: true, description: 'For an end-of-tier hit: the policy that selected the endpoint (`kind:[ns/]name`).' },
] as const satisfies readonly FlowFieldSpec[];

/** The table. Order is documentation order (ECS first, then the extension). */
export const FLOW_FIELDS = [
  // ---- ECS: base and event -------------------------------------------------------------
  { name: '@timestamp', type: 'date', group: 'ecs', required: true, filterable: true, aggregatable: true, api: 'time', description: 'Time of the latest record in the document (within its aggregation window; never later than the window end).' },
  { name: 'ecs.version', type: 'keyword', group: 'ecs', required: true, description: 'ECS version the document follows.' },
  { name: 'tags', type: 'keyword', group: 'ecs', array: true, filterable: true, description: 'Pipeline markers (aggregated, sampled, partial, synthetic).' },
  { name: 'event.kind', type: 'keyword', group: 'ecs', required: true, values: ['event'], description: 'Always `event` for flow documents.' },
  { name: 'event.category', type: 'keyword', group: 'ecs', required: true, array: true, values: ['network'], description: 'Always `["network"]`.' },
  { name: 'event.type', type: 'keyword', group: 'ecs', required: true, array: true, values: ['connection', 'allowed', 'denied', 'start', 'end'], filterable: true, description: '`connection` plus `allowed`/`denied` from the verdict; `start`/`end` when a connection opened/closed in the window.' },
  { name: 'event.action', type: 'keyword', group: 'ecs', required: true, values: ['network_flow'], description: 'Always `network_flow` (Packetbeat-compatible).' },
  { name: 'event.outcome', type: 'keyword', group: 'ecs', values: ['success', 'failure', 'unknown'], filterable: true, aggregatable: true, description: 'Whether the connection completed, from the observer\'s view; not the policy verdict.' },
  { name: 'event.reason', type: 'keyword', group: 'ecs', filterable: true, aggregatable: true, description: 'Machine-readable drop reason, e.g. policy_denied.' },
  { name: 'event.start', type: 'date', group: 'ecs', required: true, filterable: true, description: 'Start of the aggregation window.' },
  { name: 'event.end', type: 'date', group: 'ecs', required: true, filterable: true, description: 'End of the aggregation window.' },
  { name: 'event.duration', type: 'long', group: 'ecs', description: 'Window length in nanoseconds.' },
  { name: 'event.dataset', type: 'keyword', group: 'ecs', values: ['segflow.flow'], description: 'Always `segflow.flow`.' },
  { name: 'event.module', type: 'keyword', group: 'ecs', values: ['segflow'], description: 'Always `segflow`.' },
  { name: 'event.id', type: 'keyword', group: 'ecs', filterable: true, api: 'id', description: 'Deterministic document id (hash of aggregation key and window start); equals `_id`.' },
  { name: 'event.ingested', type: 'date', group: 'ecs', description: 'When the enricher wrote the document.' },
  { name: 'event.sequence', type: 'long', group: 'ecs', description: 'Highest per-agent batch sequence number that contributed to the document.' },

  // ---- ECS: agent (the node agent that reported) ----------------------------------------
  { name: 'agent.id', type: 'keyword', group: 'ecs', filterable: true, aggregatable: true, description: 'Id of the node agent (collector) that sent the records.' },
  { name: 'agent.ephemeral_id', type: 'keyword', group: 'ecs', description: 'Boot id of the agent process; changes on restart (sequence numbers restart with it).' },
  { name: 'agent.version', type: 'keyword', group: 'ecs', description: 'Version of the agent.' },

  // ---- ECS: source / destination ----------------------------------------------------------
  { name: 'source.ip', type: 'ip', group: 'ecs', filterable: true, aggregatable: true, api: 'source_ip', description: 'Source address (absent when aggregated away).' },
  { name: 'source.port', type: 'long', group: 'ecs', filterable: true, aggregatable: true, api: 'source_port', description: 'Source port (absent when aggregated away, and for ICMP).' },
  { name: 'source.address', type: 'keyword', group: 'ecs', description: 'Source address as reported.' },
  { name: 'source.domain', type: 'keyword', group: 'ecs', filterable: true, description: 'DNS name of an external source, when known.' },
  { name: 'source.bytes', type: 'long', group: 'ecs', description: 'Bytes source → destination in the window.' },
  { name: 'source.packets', type: 'long', group: 'ecs', description: 'Packets source → destination in the window.' },
  { name: 'source.nat.ip', type: 'ip', group: 'ecs', filterable: true, description: 'Source address after SNAT (masquerade, egress gateway).' },
  { name: 'source.nat.port', type: 'long', group: 'ecs', description: 'Source port after SNAT.' },
  { name: 'destination.ip', type: 'ip', group: 'ecs', filterable: true, aggregatable: true, api: 'dest_ip', description: 'Destination address: the backend endpoint the policy was evaluated against (post Service DNAT).' },
  { name: 'destination.port', type: 'long', group: 'ecs', filterable: true, aggregatable: true, api: 'dest_port', description: 'Destination port (post DNAT).' },
  { name: 'destination.address', type: 'keyword', group: 'ecs', description: 'Destination address as reported.' },
  { name: 'destination.domain', type: 'keyword', group: 'ecs', filterable: true, api: 'dest_domain', description: 'DNS name of an external destination, when known.' },
  { name: 'destination.bytes', type: 'long', group: 'ecs', description: 'Bytes destination → source in the window.' },
  { name: 'destination.packets', type: 'long', group: 'ecs', description: 'Packets destination → source in the window.' },

  // ---- ECS: network, related, host, observer, orchestrator ---------------------------------
  { name: 'network.transport', type: 'keyword', group: 'ecs', filterable: true, aggregatable: true, api: 'protocol', description: 'tcp, udp, icmp, ipv6-icmp, sctp, or the protocol number as a string.' },
  { name: 'network.type', type: 'keyword', group: 'ecs', values: ['ipv4', 'ipv6'], filterable: true, aggregatable: true, api: 'ip_version', description: 'IP version.' },
  { name: 'network.iana_number', type: 'keyword', group: 'ecs', filterable: true, description: 'IANA protocol number as a string.' },
  { name: 'network.direction', type: 'keyword', group: 'ecs', values: ['ingress', 'egress', 'inbound', 'outbound', 'internal', 'external', 'unknown'], filterable: true, description: 'Direction from the reporting endpoint\'s view (ingress when reporter = dst).' },
  { name: 'network.bytes', type: 'long', group: 'ecs', description: 'Bytes in both directions.' },
  { name: 'network.packets', type: 'long', group: 'ecs', description: 'Packets in both directions.' },
  { name: 'network.community_id', type: 'keyword', group: 'ecs', filterable: true, description: 'Community ID v1 of the 5-tuple (absent when ports/IPs are aggregated away).' },
  { name: 'related.ip', type: 'ip', group: 'ecs', array: true, filterable: true, api: 'ip', description: 'Every address involved (both ends, NAT and Service IPs) for "any IP" searches.' },
  { name: 'related.hosts', type: 'keyword', group: 'ecs', array: true, filterable: true, description: 'Endpoint names and domains involved.' },
  { name: 'host.name', type: 'keyword', group: 'ecs', filterable: true, aggregatable: true, api: 'host', description: 'Node whose agent reported the flow.' },
  { name: 'observer.hostname', type: 'keyword', group: 'ecs', description: 'Node whose agent observed the flow (same as host.name).' },
  { name: 'observer.type', type: 'keyword', group: 'ecs', description: 'Always `sensor`.' },
  { name: 'observer.product', type: 'keyword', group: 'ecs', description: 'Always `segflow`.' },
  { name: 'observer.vendor', type: 'keyword', group: 'ecs', description: 'Vendor of the observer.' },
  { name: 'observer.version', type: 'keyword', group: 'ecs', description: 'Version of the enricher that wrote the document.' },
  { name: 'orchestrator.type', type: 'keyword', group: 'ecs', description: 'kubernetes, when the inventory comes from one.' },
  { name: 'orchestrator.cluster.name', type: 'keyword', group: 'ecs', filterable: true, aggregatable: true, api: 'cluster', description: 'Cluster name.' },
  { name: 'orchestrator.cluster.id', type: 'keyword', group: 'ecs', description: 'Cluster id.' },

  // ---- ECS: rule = the policy that decided the final verdict ------------------------------
  { name: 'rule.name', type: 'keyword', group: 'ecs', filterable: true, aggregatable: true, description: 'Policy that decided the final verdict (`[ns/]name`).' },
  { name: 'rule.id', type: 'keyword', group: 'ecs', description: 'Stable id of that policy (`kind:[ns/]name`).' },
  { name: 'rule.ruleset', type: 'keyword', group: 'ecs', filterable: true, aggregatable: true, description: 'Tier of that policy.' },
  { name: 'rule.category', type: 'keyword', group: 'ecs', filterable: true, aggregatable: true, description: 'Resource kind of that policy (GlobalNetworkPolicy, NetworkPolicy, …).' },
  { name: 'rule.uuid', type: 'keyword', group: 'ecs', filterable: true, aggregatable: true, description: '`<rule.id>:<direction>:<rule index>` for rule-level aggregations.' },
  { name: 'rule.version', type: 'keyword', group: 'ecs', description: 'Resource version of that policy at decision time.' },

  // ---- compat: Packetbeat flow fields -------------------------------------------------------
  { name: 'flow.id', type: 'keyword', group: 'compat', filterable: true, description: 'Stable id of the 5-tuple (Packetbeat `flow.id`); absent when the tuple is aggregated away.' },
  { name: 'flow.final', type: 'boolean', group: 'compat', description: 'True when the connection ended in this window (Packetbeat `flow.final`).' },

  // ---- segflow: verdict, reporter, capture ----------------------------------------------
  { name: 'segflow.verdict', type: 'keyword', group: 'segflow', required: true, values: ['allow', 'deny'], filterable: true, aggregatable: true, api: 'action', description: 'Policy verdict: allow only if the source\'s egress and the destination\'s ingress both allow.' },
  { name: 'segflow.pending_verdict', type: 'keyword', group: 'segflow', values: ['allow', 'deny'], filterable: true, aggregatable: true, api: 'pending_action', description: 'Verdict if staged policies were enforced.' },
  { name: 'segflow.reporter', type: 'keyword', group: 'segflow', required: true, values: ['src', 'dst'], filterable: true, aggregatable: true, api: 'reporter', description: 'Which end\'s node reported the flow (Calico\'s reporter); both halves of one connection may exist.' },
  { name: 'segflow.capture_source', type: 'keyword', group: 'segflow', values: ['conntrack', 'ebpf', 'synthetic', 'goldmane'], filterable: true, aggregatable: true, api: 'capture_source', description: 'What produced the raw records; `goldmane` = a flow Calico itself reported through Goldmane (no IPs, no source port: see docs/goldmane.md).' },

  { name: 'segflow.primary_report', type: 'boolean', group: 'segflow', description: 'True on the one report of a connection that totals count: the `src` half, or the `dst` half when the source is no endpoint with a reporting node; set on every document since the query keys (src/contract/flow-query-keys.ts).' },
  { name: 'segflow.denied_group', type: 'keyword', group: 'segflow', description: 'On denied flows: hash of the values `/denied` groups by (both ends\' namespace and name, port, protocol, policy, tier, rule), so the view groups on one field (query key: src/contract/flow-query-keys.ts).' },

  // ---- segflow: what Calico reported (flows read from Goldmane; absent on agent flows) ------
  { name: 'segflow.calico.source', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'goldmane_source', description: 'Name of the Goldmane instance (cluster) the flow was read from (`segflow goldmane --source-name`).' },
  { name: 'segflow.calico.action', type: 'keyword', group: 'segflow', values: ['allow', 'deny'], filterable: true, aggregatable: true, api: 'calico_action', description: 'The action Calico\'s dataplane reported for the flow (Goldmane FlowKey.action), as Calico reported it.' },
  { name: 'segflow.calico.enforced', type: 'nested', group: 'segflow', properties: POLICY_HIT_FIELDS, filterable: true, api: 'calico_policy_hits', description: 'Calico\'s enforced policy trace for the reporter\'s side (Goldmane PolicyTrace.enforced_policies), in Calico\'s order.' },
  { name: 'segflow.calico.enforced_str', type: 'keyword', group: 'segflow', array: true, filterable: true, aggregatable: true, api: 'calico_policies', description: 'Calico\'s enforced trace as policy-hit strings `index|tier|kind:[ns/]name|action|rule` (the format of segflow\'s own traces).' },
  { name: 'segflow.calico.pending', type: 'nested', group: 'segflow', properties: POLICY_HIT_FIELDS, filterable: true, api: 'calico_pending_policy_hits', description: 'Calico\'s pending trace (staged policies included; Goldmane PolicyTrace.pending_policies).' },
  { name: 'segflow.calico.pending_str', type: 'keyword', group: 'segflow', array: true, filterable: true, aggregatable: true, api: 'calico_pending_policies', description: 'Calico\'s pending trace as policy-hit strings.' },
  { name: 'segflow.calico.evaluated_verdict', type: 'keyword', group: 'segflow', values: ['allow', 'deny'], filterable: true, aggregatable: true, api: 'segflow_action', description: 'segflow\'s own verdict for the reporter\'s side (egress for src, ingress for dst), evaluated against the inventory; absent when the endpoints could not be resolved.' },
  { name: 'segflow.calico.evaluation', type: 'keyword', group: 'segflow', values: ['agrees', 'disagrees', 'unresolved'], filterable: true, aggregatable: true, api: 'calico_evaluation', description: 'How segflow\'s evaluation compares with Calico\'s report: agrees, disagrees (action or enforced trace differ), or unresolved (an end could not be found in the inventory).' },
  { name: 'segflow.calico.disagreement', type: 'boolean', group: 'segflow', filterable: true, aggregatable: true, api: 'disagreement', description: 'True when Calico\'s reported action or enforced trace contradicts segflow\'s evaluation (a policy set that drifted from the inventory, or a segflow bug).' },
  { name: 'segflow.calico.disagreement_reason', type: 'keyword', group: 'segflow', filterable: true, description: 'What differs (`action: calico allow, segflow deny`, `trace: …`) or why the evaluation is unresolved.' },

  // ---- segflow: source endpoint -------------------------------------------------------------
  { name: 'segflow.source.kind', type: 'keyword', group: 'segflow', required: true, values: ['workload', 'host', 'networkset', 'public', 'private'], filterable: true, aggregatable: true, api: 'source_type', description: 'What the source address resolved to; public/private = unknown address by RFC 1918.' },
  { name: 'segflow.source.name', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'source_name', description: 'Pod, host endpoint or network set name (absent when aggregated away or unknown).' },
  { name: 'segflow.source.aggregated_name', type: 'keyword', group: 'segflow', required: true, filterable: true, aggregatable: true, api: 'source_name_aggr', description: 'Owner prefix (`frontend-6d5f8-*`), host name, set name, or `pub`/`pvt`.' },
  { name: 'segflow.source.namespace', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'source_namespace', description: 'Namespace of the source endpoint; absent for global ones.' },
  { name: 'segflow.source.labels', type: 'flattened', group: 'segflow', filterable: true, aggregatable: true, api: 'source_labels', description: 'Labels of the source endpoint (intersection across aggregated endpoints).' },
  { name: 'segflow.source.service_account', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'source_service_account', description: 'Service account of the source workload.' },
  { name: 'segflow.source.node', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, description: 'Node the source workload runs on.' },

  // ---- segflow: destination endpoint and the Service it was reached through ---------------
  { name: 'segflow.destination.kind', type: 'keyword', group: 'segflow', required: true, values: ['workload', 'host', 'networkset', 'public', 'private'], filterable: true, aggregatable: true, api: 'dest_type', description: 'What the destination address resolved to.' },
  { name: 'segflow.destination.name', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'dest_name', description: 'Pod, host endpoint or network set name.' },
  { name: 'segflow.destination.aggregated_name', type: 'keyword', group: 'segflow', required: true, filterable: true, aggregatable: true, api: 'dest_name_aggr', description: 'Owner prefix, host name, set name, or `pub`/`pvt`.' },
  { name: 'segflow.destination.namespace', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'dest_namespace', description: 'Namespace of the destination endpoint.' },
  { name: 'segflow.destination.labels', type: 'flattened', group: 'segflow', filterable: true, aggregatable: true, api: 'dest_labels', description: 'Labels of the destination endpoint.' },
  { name: 'segflow.destination.service_account', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'dest_service_account', description: 'Service account of the destination workload.' },
  { name: 'segflow.destination.node', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, description: 'Node the destination workload runs on.' },
  { name: 'segflow.destination.service.ip', type: 'ip', group: 'segflow', filterable: true, aggregatable: true, api: 'dest_service_ip', description: 'Service address the client dialled (pre DNAT).' },
  { name: 'segflow.destination.service.port', type: 'long', group: 'segflow', filterable: true, aggregatable: true, api: 'dest_service_port', description: 'Service port number the client dialled.' },
  { name: 'segflow.destination.service.port_name', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'dest_service_port_name', description: 'Name of that Service port.' },
  { name: 'segflow.destination.service.name', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'dest_service_name', description: 'Service name.' },
  { name: 'segflow.destination.service.namespace', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'dest_service_namespace', description: 'Service namespace.' },

  // ---- segflow: policy traces, per direction -------------------------------------------
  { name: 'segflow.policy.egress.verdict', type: 'keyword', group: 'segflow', values: ['allow', 'deny'], filterable: true, aggregatable: true, api: 'egress_action', description: 'Verdict of the source endpoint\'s egress policy.' },
  { name: 'segflow.policy.egress.enforced', type: 'nested', group: 'segflow', properties: POLICY_HIT_FIELDS, filterable: true, api: 'egress_policy_hits', description: 'Ordered egress trace of enforced policies (pass hits, then the deciding hit).' },
  { name: 'segflow.policy.egress.enforced_str', type: 'keyword', group: 'segflow', array: true, filterable: true, aggregatable: true, api: 'egress_policies', description: 'Egress trace as Calico policy-hit strings `index|tier|kind:[ns/]name|action|rule`.' },
  { name: 'segflow.policy.egress.pending_verdict', type: 'keyword', group: 'segflow', values: ['allow', 'deny'], filterable: true, aggregatable: true, api: 'egress_pending_action', description: 'Egress verdict if staged policies were enforced.' },
  { name: 'segflow.policy.egress.pending', type: 'nested', group: 'segflow', properties: POLICY_HIT_FIELDS, filterable: true, api: 'egress_pending_policy_hits', description: 'Ordered egress trace including staged policies.' },
  { name: 'segflow.policy.egress.pending_str', type: 'keyword', group: 'segflow', array: true, filterable: true, aggregatable: true, api: 'egress_pending_policies', description: 'Staged egress trace as policy-hit strings.' },
  { name: 'segflow.policy.ingress.verdict', type: 'keyword', group: 'segflow', values: ['allow', 'deny'], filterable: true, aggregatable: true, api: 'ingress_action', description: 'Verdict of the destination endpoint\'s ingress policy.' },
  { name: 'segflow.policy.ingress.enforced', type: 'nested', group: 'segflow', properties: POLICY_HIT_FIELDS, filterable: true, api: 'ingress_policy_hits', description: 'Ordered ingress trace of enforced policies.' },
  { name: 'segflow.policy.ingress.enforced_str', type: 'keyword', group: 'segflow', array: true, filterable: true, aggregatable: true, api: 'ingress_policies', description: 'Ingress trace as policy-hit strings.' },
  { name: 'segflow.policy.ingress.pending_verdict', type: 'keyword', group: 'segflow', values: ['allow', 'deny'], filterable: true, aggregatable: true, api: 'ingress_pending_action', description: 'Ingress verdict if staged policies were enforced.' },
  { name: 'segflow.policy.ingress.pending', type: 'nested', group: 'segflow', properties: POLICY_HIT_FIELDS, filterable: true, api: 'ingress_pending_policy_hits', description: 'Ordered ingress trace including staged policies.' },
  { name: 'segflow.policy.ingress.pending_str', type: 'keyword', group: 'segflow', array: true, filterable: true, aggregatable: true, api: 'ingress_pending_policies', description: 'Staged ingress trace as policy-hit strings.' },

  // ---- segflow: what the dataplane was seen doing -----------------------------------------
  { name: 'segflow.observed.outcome', type: 'keyword', group: 'segflow', values: ['established', 'unreplied', 'reset', 'dropped', 'unknown'], filterable: true, aggregatable: true, api: 'observed_outcome', description: 'What the records show happened to the connection.' },
  { name: 'segflow.observed.dataplane_verdict', type: 'keyword', group: 'segflow', values: ['allow', 'deny', 'unknown'], filterable: true, aggregatable: true, description: 'Verdict the capture source reported, when it knows one.' },
  { name: 'segflow.observed.rule_hint', type: 'keyword', group: 'segflow', filterable: true, description: 'Dataplane rule hint from the record (e.g. an NFLOG prefix).' },
  { name: 'segflow.observed.mismatch', type: 'boolean', group: 'segflow', filterable: true, aggregatable: true, api: 'mismatch', description: 'The observed outcome contradicts the computed verdict.' },

  // ---- segflow: counters and aggregation --------------------------------------------------
  { name: 'segflow.flows.count', type: 'long', group: 'segflow', description: 'Distinct 5-tuples in the document (Calico num_flows), exact across merges while segflow.flows.exact is true.' },
  { name: 'segflow.flows.started', type: 'long', group: 'segflow', description: 'Distinct 5-tuples that started in the window (Calico num_flows_started); never more than count.' },
  { name: 'segflow.flows.completed', type: 'long', group: 'segflow', description: 'Distinct 5-tuples that completed in the window (Calico num_flows_completed); never more than count (may exceed started: a connection may start in an earlier window).' },
  { name: 'segflow.flows.live', type: 'long', group: 'segflow', description: 'Connections still open at the window end (Goldmane num_connections_live); only on flows read from Goldmane.' },
  { name: 'segflow.flows.exact', type: 'boolean', group: 'segflow', filterable: true, description: 'True when count, started and completed are exact; false when the window had more distinct 5-tuples than a document keeps (the enricher\'s max tuples per document) and they are estimates from a bottom-k sample.' },
  { name: 'segflow.flows.tuples', type: 'binary', group: 'segflow', description: 'The distinct 5-tuples with their started/completed marks, packed (base64; not searchable): what lets merges count exactly.' },
  { name: 'segflow.aggregation.level', type: 'long', group: 'segflow', filterable: true, description: 'Calico aggregation level: 0 5-tuple, 1 no source port, 2 names by owner prefix, 3 also no destination port.' },
  { name: 'segflow.aggregation.interval_s', type: 'long', group: 'segflow', description: 'Aggregation window length in seconds.' },
  { name: 'segflow.aggregation.records', type: 'long', group: 'segflow', description: 'Raw records merged into the document.' },
  { name: 'segflow.aggregation.batches', type: 'keyword', group: 'segflow', array: true, description: 'Agent batches merged into the document (`agent/boot/sequence`): a replayed batch is recognised and not counted twice.' },
  { name: 'segflow.aggregation.latest_record', type: 'keyword', group: 'segflow', description: 'The latest record of the document (`end ms, agent/boot/sequence, position`), whose agent, capture source, conntrack state and mark, dataplane verdict and SNAT the document shows.' },

  // ---- segflow: provenance and conntrack ----------------------------------------------------
  { name: 'segflow.inventory.revision', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, api: 'inventory_revision', description: 'Revision of the endpoint + policy index that enriched the document.' },
  { name: 'segflow.ct.state', type: 'keyword', group: 'segflow', filterable: true, aggregatable: true, description: 'Conntrack TCP state of the latest record (ESTABLISHED, TIME_WAIT, …).' },
  { name: 'segflow.ct.flags', type: 'keyword', group: 'segflow', array: true, filterable: true, description: 'Conntrack status flags seen: assured, else unreplied (never both: the kernel sets assured only after a reply, so assured wins).' },
  { name: 'segflow.ct.mark', type: 'long', group: 'segflow', description: 'Conntrack mark.' },
] as const satisfies readonly FlowFieldSpec[];

// ---------------------------------------------------------------------------------------------
// The document type, computed from the table: a field with `required: true` is a required key
// (and makes its parent objects required), `values` narrows keywords to a union, `array` makes
// a list, `nested` makes a list of objects typed by its sub-table.
// ---------------------------------------------------------------------------------------------

type AnyField = { readonly name: string; readonly type: FlowFieldType };
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type HeadOf<N extends string> = N extends `${infer H}.${string}` ? H : N;
type Rebased<E, H extends string> = E extends { name: `${H}.${infer Rest}` } ? Omit<E, 'name'> & { readonly name: Rest } : never;
type ScalarOf<E> = E extends { values: readonly (infer V)[] }
  ? V
  : E extends { type: 'long' }
    ? number
    : E extends { type: 'boolean' }
      ? boolean
      : E extends { type: 'flattened' }
        ? FlattenedValue
        : string;
type LeafOf<E> = E extends { array: true } ? ScalarOf<E>[] : ScalarOf<E>;
type ValueAt<E, H extends string> = [Extract<E, { name: H }>] extends [never]
  ? NestFields<Rebased<E, H>>
  : Extract<E, { name: H }> extends { type: 'nested'; properties: readonly (infer P)[] }
    ? NestFields<P>[]
    : LeafOf<Extract<E, { name: H }>>;
type RequiredHeads<E> = E extends { required: true; name: infer N extends string } ? HeadOf<N> : never;
type NestFields<E> = [E] extends [AnyField]
  ? Simplify<{ [H in RequiredHeads<E>]: ValueAt<E, H> } & { [H in Exclude<HeadOf<E['name']>, RequiredHeads<E>>]?: ValueAt<E, H> }>
  : never;

/** A `flattened` field's value: a label map. */
export type FlattenedValue = Record<string, string>;
/** One hit of a policy trace as stored in the nested trace fields. */
export type PolicyHitDocument = NestFields<(typeof POLICY_HIT_FIELDS)[number]>;
/** An enriched flow document, exactly as the table (and therefore the index template) defines it. */
export type FlowDocument = NestFields<(typeof FLOW_FIELDS)[number]>;
/** Dotted names of the top-level table fields. */
export type FlowFieldName = (typeof FLOW_FIELDS)[number]['name'];

// ---------------------------------------------------------------------------------------------
// Runtime views of the table for the template, the API and Kibana.
// ---------------------------------------------------------------------------------------------

/** A table field with its full dotted name; sub-fields of nested fields name their nested parent. */
export interface ResolvedFlowField extends FlowFieldSpec {
  /** Full dotted path in the document. */
  readonly path: string;
  /** Path of the enclosing nested field, when the field lives inside one (queries need `nested`). */
  readonly nestedPath?: string;
}

let resolvedTable: readonly ResolvedFlowField[] | undefined;

/**
 * Every field of the table with its full path, nested sub-fields expanded after their parent.
 * This is the list the API's filter validation and Kibana's field descriptions iterate over.
 * The flow table's list is made once (the API consults it on every request).
 */
export function resolveFlowFields(fields: readonly FlowFieldSpec[] = FLOW_FIELDS): readonly ResolvedFlowField[] {
  if (fields === FLOW_FIELDS) return (resolvedTable ??= Object.freeze(resolveFieldTable(fields)));
  return resolveFieldTable(fields);
}

function resolveFieldTable(fields: readonly FlowFieldSpec[]): ResolvedFlowField[] {
  const out: ResolvedFlowField[] = [];
  const walk = (specs: readonly FlowFieldSpec[], prefix: string, nestedPath: string | undefined): void => {
    for (const spec of specs) {
      const path = prefix ? `${prefix}.${spec.name}` : spec.name;
      out.push(nestedPath === undefined ? { ...spec, path } : { ...spec, path, nestedPath });
      if (spec.type === 'nested') walk(spec.properties ?? [], path, path);
    }
  };
  walk(fields, '', undefined);
  return out;
}

let byPath: Map<string, ResolvedFlowField> | undefined;
let byApi: Map<string, ResolvedFlowField> | undefined;

/** The table row for a full dotted path (nested sub-fields included), or undefined. */
export function flowFieldByPath(path: string): ResolvedFlowField | undefined {
  byPath ??= new Map(resolveFlowFields().map((f) => [f.path, f]));
  return byPath.get(path);
}

/** The table row the query API exposes under `apiName`, or undefined. */
export function flowFieldByApiName(apiName: string): ResolvedFlowField | undefined {
  byApi ??= new Map(resolveFlowFields().filter((f) => f.api !== undefined).map((f) => [f.api as string, f]));
  return byApi.get(apiName);
}

/**
 * Checks the table's own invariants (unique paths and API names, no field that is both a leaf
 * and an object parent, values only on keywords, sub-tables only on nested fields, no top-level
 * `id`: the query API's flow pages put the document id there, api/query/flow-page.ts). Returns
 * the problems found; the unit tests require an empty list.
 */
export function checkFlowFieldTable(fields: readonly FlowFieldSpec[] = FLOW_FIELDS): string[] {
  const problems: string[] = [];
  const resolved = resolveFlowFields(fields);
  const paths = new Map<string, ResolvedFlowField>();
  const apis = new Set<string>();
  for (const f of resolved) {
    if (paths.has(f.path)) problems.push(`duplicate field ${f.path}`);
    paths.set(f.path, f);
    if (f.api !== undefined) {
      if (apis.has(f.api)) problems.push(`duplicate api name ${f.api}`);
      apis.add(f.api);
    }
    if (!(FLOW_FIELD_TYPES as readonly string[]).includes(f.type)) problems.push(`${f.path}: unsupported type ${f.type}`);
    if (f.values !== undefined && f.type !== 'keyword') problems.push(`${f.path}: values on a ${f.type} field`);
    if ((f.type === 'nested') !== (f.properties !== undefined)) problems.push(`${f.path}: properties belong exactly to nested fields`);
    if (f.description.trim() === '') problems.push(`${f.path}: no description`);
    if (f.path === 'id' || f.path.startsWith('id.')) problems.push(`${f.path}: a top-level id would clash with the id of a flow page entry`);
  }
  for (const f of resolved) {
    // A leaf whose path is a prefix of another path would have to be both a value and an object.
    const parts = f.path.split('.');
    for (let i = 1; i < parts.length; i++) {
      const parent = paths.get(parts.slice(0, i).join('.'));
      if (parent && parent.type !== 'nested') problems.push(`${f.path}: parent ${parent.path} is a ${parent.type} leaf`);
    }
  }
  return problems;
}

/**
 * The Elasticsearch roles segflow's roles need, least privilege, for one flow index prefix: the
 * bodies of `PUT /_security/role/<name>`. Neutral (the CLI prints and applies them, the docs
 * and tests read them); pure, no I/O.
 *
 * Every privilege carries the one-line reason it is there; the reasons also travel in the
 * role's `metadata.segflow_reasons`, so `GET /_security/role/<name>` explains itself.
 * test/integration/elasticsearch-roles.test.ts proves on a secured Elasticsearch that each
 * role runs its segflow role with exactly these and is refused the rest.
 */
import { agentReportIndexPattern, flowIndexPattern } from './flow-index-names.ts';
import { summaryIndexPattern } from './flow-summary.ts';

/** One privilege and why segflow needs it. */
export interface ReasonedPrivilege {
  readonly privilege: string;
  readonly reason: string;
}

/** Privileges on one family of indices. */
export interface ReasonedIndexGrant {
  /** What the indices are, for the docs ("daily flow indices"). */
  readonly what: string;
  readonly names: readonly string[];
  readonly privileges: readonly ReasonedPrivilege[];
}

/** A segflow role's Elasticsearch role, with reasons. */
export interface SegflowElasticsearchRole {
  /** The role's name in Elasticsearch: `<prefix>-enricher`, `<prefix>-api`. */
  readonly name: string;
  /** The segflow roles (commands) that run with it. */
  readonly usedBy: readonly string[];
  readonly description: string;
  readonly cluster: readonly ReasonedPrivilege[];
  readonly indices: readonly ReasonedIndexGrant[];
}

/** The body of `PUT /_security/role/<name>` (Elasticsearch 8.15+ accepts `description`). */
export interface RoleDescriptorBody {
  readonly description: string;
  readonly cluster: string[];
  readonly indices: Array<{ names: string[]; privileges: string[]; allow_restricted_indices: false }>;
  readonly metadata: { readonly managed_by: 'segflow'; readonly index_prefix: string; readonly segflow_reasons: Record<string, string> };
}

// `GET /` and `HEAD /` (the client's ping, the enricher's and API's readiness) are this action;
// the named `monitor` privilege would add cluster state, node stats and every index's settings.
const MAIN: ReasonedPrivilege = { privilege: 'cluster:monitor/main', reason: 'GET / and HEAD / (the client\'s ping, readiness probes); the action alone, not all of monitor' };

/** The role of `segflow enrich` (and `segflow summaries rebuild`, which does a part of its work). */
export function enricherElasticsearchRole(prefix: string): SegflowElasticsearchRole {
  const flows = flowIndexPattern(prefix);
  const summaries = summaryIndexPattern(prefix);
  const reports = agentReportIndexPattern(prefix);
  return {
    name: `${prefix}-enricher`,
    usedBy: ['segflow enrich', 'segflow summaries rebuild'],
    description: `segflow enricher for ${flows}: writes flows, summaries and agent reports, installs their templates, deletes expired days`,
    cluster: [
      MAIN,
      // Composable templates are cluster-wide objects: no privilege narrows them to a name.
      { privilege: 'indices:admin/index_template/get', reason: 'read the installed flow, summary and agent report templates to compare their digest' },
      { privilege: 'indices:admin/index_template/put', reason: 'install or upgrade those templates (manage_index_templates would add deleting anyone\'s)' },
    ],
    indices: [
      {
        what: 'daily flow indices',
        names: [flows],
        privileges: [
          { privilege: 'create_index', reason: 'the first bulk of a UTC day creates that day\'s index' },
          { privilege: 'index', reason: 'bulk index and create flow documents (conditional writes merge a window\'s records); includes putting mappings' },
          { privilege: 'read', reason: 'mget stored documents to merge into, search and open a point in time for the summary rollup' },
          { privilege: 'view_index_metadata', reason: 'list the daily indices (template upgrade, retention, rollup\'s existence check)' },
          { privilege: 'maintenance', reason: 'refresh before a summary rollup, so every settled write is counted' },
          { privilege: 'delete_index', reason: 'retention deletes daily indices older than the retention period' },
        ],
      },
      {
        what: 'daily summary indices',
        names: [summaries],
        privileges: [
          { privilege: 'create_index', reason: 'the first summary of a UTC day creates that day\'s index' },
          { privilege: 'index', reason: 'write a block\'s summary (replaced whole on each rollup)' },
          { privilege: 'read', reason: 'the summary audit reads the stored fingerprints of recent blocks to find missing or stale ones' },
          { privilege: 'delete_index', reason: 'retention deletes expired summary days with the flow days' },
          { privilege: 'view_index_metadata', reason: 'retention lists the summary days' },
        ],
      },
      {
        what: 'daily agent report indices',
        names: [reports],
        privileges: [
          { privilege: 'create_index', reason: 'the first report of a UTC day creates that day\'s index' },
          { privilege: 'create_doc', reason: 'append batch and lag reports (never overwritten)' },
          { privilege: 'indices:admin/mapping/put', reason: 'put fields added by an upgrade on the day\'s existing index (manage would add deleting and closing it)' },
          { privilege: 'view_index_metadata', reason: 'retention lists the report days' },
          { privilege: 'delete_index', reason: 'retention deletes expired report days with the flow days' },
        ],
      },
    ],
  };
}

/** The role of `segflow api`: reads only. */
export function apiElasticsearchRole(prefix: string): SegflowElasticsearchRole {
  const flows = flowIndexPattern(prefix);
  const summaries = summaryIndexPattern(prefix);
  const reports = agentReportIndexPattern(prefix);
  return {
    name: `${prefix}-api`,
    usedBy: ['segflow api'],
    description: `segflow API for ${flows}: reads flows, summaries and agent reports, writes nothing`,
    // Closing a point in time names no index: Elasticsearch allows it to any role with `read`.
    cluster: [MAIN],
    indices: [
      {
        what: 'daily flow indices',
        names: [flows],
        privileges: [
          { privilege: 'read', reason: 'search, aggregate and open points in time over the flows' },
          { privilege: 'view_index_metadata', reason: 'read each day\'s mapping _meta (the document version it holds)' },
        ],
      },
      {
        what: 'daily summary indices',
        names: [summaries],
        privileges: [{ privilege: 'read', reason: '/flows/stats answers from the five-minute summaries' }],
      },
      {
        what: 'daily agent report indices',
        names: [reports],
        privileges: [{ privilege: 'read', reason: 'completeness: which agents reported, their lag and possible loss' }],
      },
    ],
  };
}

/** Every segflow Elasticsearch role for `prefix`, enricher first. */
export function segflowElasticsearchRoles(prefix: string): SegflowElasticsearchRole[] {
  return [enricherElasticsearchRole(prefix), apiElasticsearchRole(prefix)];
}

/** The `PUT /_security/role/<name>` body of a role. */
export function roleDescriptorBody(role: SegflowElasticsearchRole, prefix: string): RoleDescriptorBody {
  const reasons: Record<string, string> = {};
  for (const p of role.cluster) reasons[`cluster ${p.privilege}`] = p.reason;
  for (const grant of role.indices) {
    for (const p of grant.privileges) reasons[`${grant.names.join(',')} ${p.privilege}`] = p.reason;
  }
  return {
    description: role.description,
    cluster: role.cluster.map((p) => p.privilege),
    // Restricted indices (.security and the like) stay out even if a pattern ever matched one.
    indices: role.indices.map((g) => ({ names: [...g.names], privileges: g.privileges.map((p) => p.privilege), allow_restricted_indices: false })),
    metadata: { managed_by: 'segflow', index_prefix: prefix, segflow_reasons: reasons },
  };
}

/**
 * `segflow install elasticsearch-roles`: the least-privilege Elasticsearch roles of segflow's
 * roles (contract/elasticsearch-roles.ts) for an index prefix — printed as JSON, the bodies of
 * `PUT /_security/role/<name>`, or with `--apply` put into Elasticsearch by a user allowed to
 * manage roles (`manage_security`), its password or key from a file or the environment.
 *
 *   segflow install elasticsearch-roles --index-prefix segflow-flows > roles.json
 *   segflow install elasticsearch-roles --apply --elasticsearch https://es:9200 \
 *     --elasticsearch-username admin --elasticsearch-password-file admin.pw
 */
import type { Command } from 'commander';
import { roleDescriptorBody, segflowElasticsearchRoles, type RoleDescriptorBody } from '../contract/elasticsearch-roles.ts';
import { assertValidFlowIndexPrefix, DEFAULT_FLOW_INDEX_PREFIX } from '../contract/flow-index-names.ts';
import { createElasticsearchClient } from '../runtime/elasticsearch-client.ts';
import { openElasticsearchConnection } from '../runtime/elasticsearch-security.ts';
import { addElasticsearchConnectionOptions } from '../runtime/role-config/elasticsearch-connection-options.ts';
import { addRoleConfigOptions, roleAction } from '../runtime/role-config/role-command.ts';

interface RolesOptions { indexPrefix: string; apply?: boolean }

/** The descriptors of every segflow role for `prefix`, by role name (what the command prints). */
export function elasticsearchRoleDescriptors(prefix: string): Record<string, RoleDescriptorBody> {
  return Object.fromEntries(segflowElasticsearchRoles(prefix).map((role) => [role.name, roleDescriptorBody(role, prefix)]));
}

function prefixProblems(prefix: string): string[] {
  try {
    assertValidFlowIndexPrefix(prefix);
    return [];
  } catch (err) {
    return [`--index-prefix: ${(err as Error).message}`];
  }
}

export function registerInstallCommand(program: Command): void {
  const install = program.command('install').description('install what segflow needs in the services it uses (Elasticsearch roles)');
  addElasticsearchConnectionOptions(addRoleConfigOptions(install.command('elasticsearch-roles')))
    .description('print the least-privilege Elasticsearch roles of the enricher and the API (JSON), or put them with --apply')
    .option('--index-prefix <prefix>', 'daily flow index prefix the roles cover (its summaries and agent reports too)', DEFAULT_FLOW_INDEX_PREFIX)
    .option('--apply', 'PUT the roles into Elasticsearch (the connecting user needs the manage_security cluster privilege)')
    .action(roleAction<RolesOptions>({ role: 'install elasticsearch-roles', elasticsearch: true, check: (o) => prefixProblems(String(o.indexPrefix)) }, async (prepared, opts) => {
      const descriptors = elasticsearchRoleDescriptors(opts.indexPrefix);
      if (!opts.apply) {
        process.stdout.write(`${JSON.stringify(descriptors, null, 2)}\n`);
        return;
      }
      const client = createElasticsearchClient(await openElasticsearchConnection(prepared.elasticsearch!), { maxRetries: 1 });
      const failures: string[] = [];
      try {
        for (const [name, body] of Object.entries(descriptors)) {
          try {
            // Through the transport: the typed putRole lags behind the descriptor's fields (description).
            const answer = await client.transport.request<{ role?: { created?: boolean } }>({ method: 'PUT', path: `/_security/role/${encodeURIComponent(name)}`, body });
            process.stdout.write(`role ${name}: ${answer.role?.created ? 'created' : 'updated'}\n`);
          } catch (err) {
            failures.push(`role ${name}: ${(err as Error).message}`);
          }
        }
      } finally {
        await client.close();
      }
      if (failures.length > 0) throw new Error(`could not put ${failures.length} of ${Object.keys(descriptors).length} role(s):\n${failures.join('\n')}`);
    }));
}

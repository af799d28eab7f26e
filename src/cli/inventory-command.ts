/** `segflow inventory apply|delete|list`: manage the inventory topic from resource files. */
import { Option, type Command } from 'commander';
import { createSecureKafka } from '../runtime/kafka-client.ts';
import { addKafkaConnectionOptions } from '../runtime/role-config/kafka-connection-options.ts';
import { addRoleConfigOptions, roleAction, type PreparedRole } from '../runtime/role-config/role-command.ts';
import { deleteInventoryKeys, publishInventory } from '../inventory/topic/inventory-publisher.ts';
import { readInventorySnapshot } from '../inventory/topic/inventory-snapshot.ts';
import { DEFAULT_INVENTORY_TOPIC } from '../inventory/topic/inventory-topic.ts';
import { readResourceDocuments } from '../inventory/topic/resource-documents.ts';
import { registerInventorySyncCommand } from '../inventory-sync/sync-command.ts';

interface TopicOptions { brokers: string; topic: string }

function addTopicOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--brokers <list>', 'Kafka bootstrap servers (host:port,...)').env('KAFKA_BROKERS').default('127.0.0.1:9092'))
    .addOption(new Option('--topic <name>', 'inventory topic').env('SEGFLOW_INVENTORY_TOPIC').default(DEFAULT_INVENTORY_TOPIC));
  addKafkaConnectionOptions(cmd);
  return addRoleConfigOptions(cmd);
}

/** The inventory commands' Kafka client, with the connection's TLS/SASL settings. */
function inventoryKafka(opts: TopicOptions, prepared: PreparedRole): ReturnType<typeof createSecureKafka> {
  return createSecureKafka(opts.brokers, 'segflow-inventory', prepared.kafkaSecurity);
}

export function registerInventoryCommand(program: Command): void {
  const inventory = program.command('inventory').description('publish Calico and Kubernetes resources to the inventory topic the enricher and API follow');
  registerInventorySyncCommand(inventory);

  addTopicOptions(inventory.command('apply'))
    .description('validate resource files (YAML/JSON, directories, kind: List) and publish them')
    .requiredOption('-f, --filename <path...>', 'files or directories')
    .option('--prune', 'delete resources on the topic that the given files no longer contain')
    .option('--dry-run', 'validate and show what would change, publish nothing')
    .action(roleAction<TopicOptions & { filename: string[]; prune?: boolean; dryRun?: boolean }>({ role: 'inventory apply', kafka: true }, async (prepared, opts) => {
      const { documents, issues } = await readResourceDocuments(opts.filename);
      for (const issue of issues) process.stderr.write(`${issue.severity}: ${issue.message}${issue.column ? ` (column ${issue.column})` : ''}\n`);
      const errors = issues.filter((i) => i.severity === 'error');
      if (errors.length > 0) {
        // Nothing is published from an invalid set: a half-applied inventory gives wrong verdicts.
        process.stderr.write(`${errors.length} error(s): nothing published\n`);
        process.exitCode = 1;
        return;
      }
      const report = await publishInventory(await inventoryKafka(opts, prepared), opts.topic, documents, { prune: opts.prune, dryRun: opts.dryRun });
      const line = (verb: string, keys: string[]) => keys.forEach((k) => process.stdout.write(`${k} ${verb}${opts.dryRun ? ' (dry run)' : ''}\n`));
      line('created', report.created);
      line('configured', report.updated);
      line('unchanged', report.unchanged);
      line('deleted', report.deleted);
    }));

  addTopicOptions(inventory.command('delete'))
    .description('delete resources by key (Kind/namespace/name; empty namespace for cluster-scoped kinds)')
    .argument('<key...>')
    .action(roleAction<TopicOptions>({ role: 'inventory delete', kafka: true }, async (prepared, opts, _command, args) => {
      const keys = args[0] as string[];
      const deleted = await deleteInventoryKeys(await inventoryKafka(opts, prepared), opts.topic, keys);
      for (const key of keys) process.stdout.write(`${key} ${deleted.includes(key) ? 'deleted' : 'not found'}\n`);
      if (deleted.length < keys.length) process.exitCode = 1;
    }));

  addTopicOptions(inventory.command('list'))
    .description('list the resources on the topic')
    .action(roleAction<TopicOptions>({ role: 'inventory list', kafka: true }, async (prepared, opts) => {
      const snapshot = await readInventorySnapshot(await inventoryKafka(opts, prepared), opts.topic);
      for (const [key, record] of [...snapshot.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        process.stdout.write(`${key}\t${record.appliedAt}\t${record.origin}\n`);
      }
    }));
}

/** `segflow inventory sync`: run the Kubernetes → inventory topic sync until SIGINT/SIGTERM. */
import { Option, type Command } from 'commander';
import { DEFAULT_INVENTORY_TOPIC } from '../inventory/topic/inventory-topic.ts';
import { addKafkaConnectionOptions } from '../runtime/role-config/kafka-connection-options.ts';
import { addRoleConfigOptions, roleAction } from '../runtime/role-config/role-command.ts';
import { exitCodeFor, untilStopped } from '../runtime/role-config/run-until-stopped.ts';
import { DEFAULT_LEASE_NAME, DEFAULT_SYNC_HEALTH_PORT, InventorySync } from './inventory-sync.ts';

function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${value}'`);
    return n;
  };
}

interface SyncOptions {
  kubeconfig?: string; context?: string; clusterName?: string; brokers: string; topic: string;
  leaseNamespace?: string; leaseName: string; leaderElection: boolean; healthHost: string; healthPort: number; resyncPeriodMs: number;
}

/** Adds `sync` under the `inventory` command. */
export function registerInventorySyncCommand(inventory: Command): void {
  const command = inventory.command('sync')
    .description('follow a live Kubernetes API server and publish its endpoints and policies to the inventory topic')
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG, else in-cluster, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--cluster-name <name>', 'cluster name in record origins (default: the kubeconfig cluster, or in-cluster)')
    .addOption(new Option('--brokers <list>', 'Kafka bootstrap servers (host:port,...)').env('KAFKA_BROKERS').default('127.0.0.1:9092'))
    .addOption(new Option('--topic <name>', 'inventory topic').env('SEGFLOW_INVENTORY_TOPIC').default(DEFAULT_INVENTORY_TOPIC))
    .option('--lease-namespace <ns>', 'namespace of the leader-election Lease (default: the service account\'s or context\'s namespace, else default)')
    .option('--lease-name <name>', 'name of the leader-election Lease', DEFAULT_LEASE_NAME)
    .option('--no-leader-election', 'publish without a Lease (one replica only)')
    .option('--health-host <host>', '/healthz, /readyz and /metrics address', '0.0.0.0')
    .option('--health-port <port>', '/healthz, /readyz and /metrics port', nonNegativeInt('health-port'), DEFAULT_SYNC_HEALTH_PORT)
    .option('--resync-period-ms <ms>', 'list every kind again this often (0 = never)', nonNegativeInt('resync-period-ms'), 0);
  addKafkaConnectionOptions(command);
  addRoleConfigOptions(command)
    .action(roleAction<SyncOptions>({ role: 'inventory sync', kafka: true }, async (prepared, opts) => {
      const sync = new InventorySync({
        kubeconfig: opts.kubeconfig, context: opts.context, clusterName: opts.clusterName, brokers: opts.brokers, topic: opts.topic,
        kafkaSecurity: prepared.kafkaSecurity,
        leaderElection: opts.leaderElection, leaseNamespace: opts.leaseNamespace, leaseName: opts.leaseName,
        healthHost: opts.healthHost, healthPort: opts.healthPort, resyncPeriodMs: opts.resyncPeriodMs, env: process.env,
      });
      await sync.start();
      const stop = await untilStopped(sync.fatalKafkaFailure);
      await sync.stop();
      exitCodeFor(stop);
    }));
}

/** `segflow inventory sync`: run the Kubernetes → inventory topic sync until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { DEFAULT_INVENTORY_TOPIC } from '../inventory/topic/inventory-topic.ts';
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
  inventory.command('sync')
    .description('follow a live Kubernetes API server and publish its endpoints and policies to the inventory topic')
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG, else in-cluster, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--cluster-name <name>', 'cluster name in record origins (default: the kubeconfig cluster, or in-cluster)')
    .option('--brokers <list>', 'Kafka bootstrap servers (host:port,...)', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .option('--topic <name>', 'inventory topic', process.env.SEGFLOW_INVENTORY_TOPIC ?? DEFAULT_INVENTORY_TOPIC)
    .option('--lease-namespace <ns>', 'namespace of the leader-election Lease (default: the service account\'s or context\'s namespace, else default)')
    .option('--lease-name <name>', 'name of the leader-election Lease', DEFAULT_LEASE_NAME)
    .option('--no-leader-election', 'publish without a Lease (one replica only)')
    .option('--health-host <host>', '/healthz, /readyz and /metrics address', '0.0.0.0')
    .option('--health-port <port>', '/healthz, /readyz and /metrics port', nonNegativeInt('health-port'), DEFAULT_SYNC_HEALTH_PORT)
    .option('--resync-period-ms <ms>', 'list every kind again this often (0 = never)', nonNegativeInt('resync-period-ms'), 0)
    .action(async (opts: SyncOptions) => {
      const sync = new InventorySync({
        kubeconfig: opts.kubeconfig, context: opts.context, clusterName: opts.clusterName, brokers: opts.brokers, topic: opts.topic,
        leaderElection: opts.leaderElection, leaseNamespace: opts.leaseNamespace, leaseName: opts.leaseName,
        healthHost: opts.healthHost, healthPort: opts.healthPort, resyncPeriodMs: opts.resyncPeriodMs, env: process.env,
      });
      const stopRequested = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sync.start();
      await stopRequested;
      await sync.stop();
    });
}

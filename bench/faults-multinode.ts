/**
 * Multi-node fault suite (`npm run bench -- multinode`), issue 16 item 4: the fault suite of
 * bench/faults.ts against a 3-broker Kafka (replication factor 3, min.insync.replicas 2) and a
 * 3-node Elasticsearch (flow indices with 1 replica), all private on free ports, with three
 * enrichers sharing the raw partitions in one group. Faults: one broker SIGKILLed mid-stream,
 * one Elasticsearch node SIGKILLed mid-stream; each is started again after the steady period
 * (as its supervisor would) and the time until the cluster is whole again is reported.
 *
 * Before the first fault, two CPU windows: idle (services and enrichers up, no traffic) and
 * steady traffic; CPU time per process from /proc, summed per role, per 1,000 records the agents
 * produced in the window. Results: bench/results/multinode.json (the README's capacity model
 * starts from them).
 *
 * Environment: SEGFLOW_MULTINODE_FAULTS (comma list, default all), SEGFLOW_FAULTS_RATE (records/s per agent, default 100),
 * SEGFLOW_MULTINODE_CPU_SECONDS (each CPU window, default 45),
 * SEGFLOW_FAULTS_STEADY_SECONDS (default 15).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLUSTER_FAULTS, runFaults, type ClusterLayout, type FaultName, type RoleCpu } from './faults.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export const MULTINODE_LAYOUT: ClusterLayout = { kafkaBrokers: 3, elasticsearchNodes: 3 };
export const MULTINODE_ENRICHERS = 3;

export async function runMultinodeBench(): Promise<unknown> {
  const env = process.env;
  const ratePerAgent = Number(env.SEGFLOW_FAULTS_RATE ?? 100);
  const cpuWindowSeconds = Number(env.SEGFLOW_MULTINODE_CPU_SECONDS ?? 45);
  const steadySeconds = Number(env.SEGFLOW_FAULTS_STEADY_SECONDS ?? 15);
  const faults = env.SEGFLOW_MULTINODE_FAULTS ? (env.SEGFLOW_MULTINODE_FAULTS.split(',').map((f) => f.trim()) as FaultName[]) : [...CLUSTER_FAULTS];
  const unknown = faults.filter((f) => !(CLUSTER_FAULTS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new Error(`SEGFLOW_MULTINODE_FAULTS: unknown fault(s) ${unknown.join(', ')}; known: ${CLUSTER_FAULTS.join(', ')}`);
  const started = new Date().toISOString();
  let cpu: RoleCpu | undefined;
  const rows = await runFaults({
    faults, layout: MULTINODE_LAYOUT, servicesDir: path.join(here, '..', '.local', 'multinode-services'), enrichers: MULTINODE_ENRICHERS, ratePerAgent, steadySeconds, cpuWindowSeconds,
    onCpu: (c) => { cpu = c; },
  });
  const result = {
    started, finished: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), note: 'shared with other work: CPU figures include contention' },
    layout: MULTINODE_LAYOUT, enrichers: MULTINODE_ENRICHERS, agents: 3, ratePerAgent, rawPartitions: 3,
    kafka: { replicationFactor: 3, minInsyncReplicas: 2, heap: '384m per broker' },
    elasticsearch: { flowIndexReplicas: 1, heap: '768m per node, indexing_pressure.memory.limit 25%', aggregation: 'level 0: every record is its own document (exact ground truth), the costliest case for Elasticsearch' },
    cpuPer1000Records: cpu ?? null,
    rows,
  };
  mkdirSync(path.join(here, 'results'), { recursive: true });
  writeFileSync(path.join(here, 'results', 'multinode.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

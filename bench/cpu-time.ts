/**
 * CPU time of the processes a bench drives, so results can say where the time went: the bench
 * process itself, child processes it started (from /proc, Linux), and Elasticsearch (from /proc
 * when local, its node stats otherwise).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';

/**
 * Elasticsearch's process CPU time so far (ms). From /proc when its processes run on this
 * machine: the node stats' figure is refreshed only once a second, so deltas over rounds shorter
 * than that would be stale. From the node stats otherwise.
 */
export async function elasticsearchCpuMs(es: Client): Promise<number> {
  const info = await es.nodes.info({ metric: 'process' });
  const pids = Object.values(info.nodes).map((node) => node.process?.id);
  if (pids.length > 0 && pids.every((pid) => pid !== undefined && existsSync(`/proc/${pid}/stat`))) {
    return pids.reduce((n: number, pid) => n + processCpuMs(pid as number), 0);
  }
  const stats = await es.nodes.stats({ metric: 'process' });
  return Object.values(stats.nodes).reduce((n, node) => n + (node.process?.cpu?.total_in_millis ?? 0), 0);
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node supports

/** User + system CPU time of process `pid` so far (ms), from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  // Fields after the parenthesised command name (which may hold spaces): utime is the 12th, stime the 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** This process's user + system CPU time so far (ms). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

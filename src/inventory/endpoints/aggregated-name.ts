/**
 * Calico's aggregated endpoint names (`*_name_aggr`): a pod is named by its owner prefix, so
 * all replicas of a Deployment or StatefulSet share one name (`frontend-6d5f8-*`, `db-*`).
 */

/**
 * The owner prefix of a pod name: `generateName` when known (what the controller used), else the
 * name with its generated suffix replaced by `*` (ReplicaSet pods end in `-<5 chars>`,
 * StatefulSet pods in `-<ordinal>`). Names without such a suffix are returned as they are.
 */
export function aggregatedPodName(name: string, generateName?: string | null): string {
  if (generateName) return `${generateName}*`;
  const replicaSet = /^(.*-)[a-z0-9]{5}$/.exec(name);
  if (replicaSet && /-[a-z0-9]{5,10}-$/.test(replicaSet[1] as string)) return `${replicaSet[1]}*`;
  const statefulSet = /^(.*-)\d+$/.exec(name);
  if (statefulSet) return `${statefulSet[1]}*`;
  return name;
}

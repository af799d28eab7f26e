/** Asks the API server which of the wanted group/versions it serves (`/apis`, `/api/v1`, `/apis/GROUP/VERSION`). */
import { statusOf, type KubeApi } from './kube-client.ts';
import { wantedGroupVersions, type DiscoveredResource, type GroupVersionDiscovery } from './synced-kinds.ts';

interface ApiGroupList { groups?: Array<{ name: string; versions?: Array<{ groupVersion: string }> }> }
interface ApiResourceList { resources?: DiscoveredResource[] }

export async function discoverGroupVersions(api: KubeApi, groupVersions: readonly string[] = wantedGroupVersions()): Promise<Map<string, GroupVersionDiscovery>> {
  const out = new Map<string, GroupVersionDiscovery>();
  let served: Set<string> | undefined;
  let groupsProblem = '';
  try {
    const groups = await api.request<ApiGroupList>('GET', '/apis');
    served = new Set((groups.groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion)));
  } catch (err) {
    groupsProblem = `GET /apis failed: ${(err as Error).message}`;
  }
  for (const gv of groupVersions) {
    const core = !gv.includes('/');
    if (!core && served === undefined) {
      out.set(gv, { state: 'unknown', reason: groupsProblem });
      continue;
    }
    if (!core && !served!.has(gv)) {
      out.set(gv, { state: 'absent' });
      continue;
    }
    try {
      const list = await api.request<ApiResourceList>('GET', core ? `/api/${gv}` : `/apis/${gv}`);
      out.set(gv, { state: 'served', resources: list.resources ?? [] });
    } catch (err) {
      // Listed in /apis but gone by now (a CRD deleted in between) is absent; anything else is unknown.
      out.set(gv, statusOf(err) === 404 ? { state: 'absent' } : { state: 'unknown', reason: (err as Error).message });
    }
  }
  return out;
}

/** The live `Inventory` seen through the narrow port the enrichment needs. */
import type { Inventory } from '../../inventory/inventory.ts';
import { aggregatedPodName } from './aggregated-name.ts';
import type { EnrichmentInventory } from './enrichment-inventory.ts';

export function enrichmentInventoryOf(inventory: Inventory): EnrichmentInventory {
  return {
    get revision() {
      return inventory.revision;
    },
    explain: (flow) => inventory.explain(flow),
    resolveService: (ip, protocol, port) => inventory.resolveService(ip, protocol, port),
    aggregatedName: (key) => {
      const resource = inventory.get(key);
      if (!resource || !('generateName' in resource)) return null;
      return resource.kind === 'Pod' ? aggregatedPodName(resource.name, resource.generateName) : resource.name;
    },
  };
}

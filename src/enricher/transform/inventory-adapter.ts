/** The live `Inventory` seen through the narrow port the enrichment needs. */
import type { Inventory } from '../../inventory/inventory.ts';
import { aggregatedPodName } from './aggregated-name.ts';
import type { EnrichmentInventory } from './enrichment-inventory.ts';

export function enrichmentInventoryOf(inventory: Inventory): EnrichmentInventory {
  // Service lookups repeat for every record to the same Service port: cache them until the
  // inventory changes (the revision moves on every change).
  const services = new Map<string, ReturnType<Inventory['resolveService']>>();
  let servicesRevision = -1;
  return {
    get revision() {
      return inventory.revision;
    },
    explain: (flow) => inventory.explain(flow),
    resolveService: (ip, protocol, port) => {
      if (servicesRevision !== inventory.revision || services.size > 100_000) {
        services.clear();
        servicesRevision = inventory.revision;
      }
      const key = `${ip}|${protocol}|${port}`;
      let resolution = services.get(key);
      if (resolution === undefined) {
        resolution = inventory.resolveService(ip, protocol, port);
        services.set(key, resolution);
      }
      return resolution;
    },
    aggregatedName: (key) => {
      const resource = inventory.get(key);
      if (!resource || !('generateName' in resource)) return null;
      return resource.kind === 'Pod' ? aggregatedPodName(resource.name, resource.generateName) : resource.name;
    },
  };
}

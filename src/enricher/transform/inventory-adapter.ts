/** The live `Inventory` seen through the narrow port the enrichment needs. */
import type { Inventory } from '../../inventory/inventory.ts';
import { aggregatedPodName } from '../../inventory/endpoints/aggregated-name.ts';
import type { EnrichmentInventory } from './enrichment-inventory.ts';

export function enrichmentInventoryOf(inventory: Inventory): EnrichmentInventory {
  // Service lookups repeat for every record to the same Service port: cache them until the
  // inventory changes (the revision moves on every change).
  // Per address, then per protocol and port (as one number): no key string built per record.
  const services = new Map<string, Map<number, ReturnType<Inventory['resolveService']>>>();
  let servicesSize = 0;
  let servicesRevision = -1;
  return {
    get revision() {
      return inventory.revision;
    },
    explain: (flow) => inventory.explain(flow),
    resolveService: (ip, protocol, port) => {
      if (servicesRevision !== inventory.revision || servicesSize > 100_000) {
        services.clear();
        servicesSize = 0;
        servicesRevision = inventory.revision;
      }
      let byPort = services.get(ip);
      if (byPort === undefined) {
        byPort = new Map();
        services.set(ip, byPort);
      }
      const key = protocol * 65_536 + port;
      let resolution = byPort.get(key);
      if (resolution === undefined) {
        resolution = inventory.resolveService(ip, protocol, port);
        byPort.set(key, resolution);
        servicesSize++;
      }
      return resolution;
    },
    endpoints: () => inventory.endpoints.allEndpoints(),
    aggregatedName: (key) => {
      const resource = inventory.get(key);
      if (!resource || !('generateName' in resource)) return null;
      return resource.kind === 'Pod' ? aggregatedPodName(resource.name, resource.generateName) : resource.name;
    },
  };
}

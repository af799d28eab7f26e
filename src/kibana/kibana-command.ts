/**
 * `segflow kibana import`: loads the flow data view and dashboards (`kibana/*.ndjson`) into a
 * Kibana through its saved objects API.
 *
 *   segflow kibana import --url http://localhost:5601 [--space ID] [--overwrite]
 *     [--username U --password P | --api-key KEY] [--file PATH]...
 *
 * Exit 0 when every object was imported, 1 when Kibana reported per-object errors or could not
 * be reached, 2 on bad usage.
 */
import type { Command } from 'commander';
import { KIBANA_OBJECTS_DIR } from './generate-kibana-objects.ts';
import { KibanaImportFailure, importSavedObjects, readSavedObjectFiles } from './kibana-import.ts';

interface ImportCommandOptions {
  url: string;
  space?: string;
  overwrite?: boolean;
  username?: string;
  password?: string;
  apiKey?: string;
  file?: string[];
}

/** Adds `segflow kibana …` to the CLI. */
export function registerKibanaCommand(program: Command): void {
  const kibana = program.command('kibana').description('Kibana data view and dashboards for the flow indices');
  kibana.command('import')
    .description('import the segflow data view and dashboards into Kibana (saved objects API)')
    .requiredOption('--url <url>', 'Kibana base URL, e.g. http://localhost:5601')
    .option('--space <id>', 'Kibana space to import into (default space when omitted)')
    .option('--overwrite', 'replace objects that already exist instead of reporting conflicts')
    .option('--username <user>', 'basic-auth user (password from --password or KIBANA_PASSWORD)')
    .option('--password <password>', 'basic-auth password')
    .option('--api-key <key>', 'API key (base64 id:key), instead of basic auth; also KIBANA_API_KEY')
    .option('--file <path...>', `ndjson files or directories to import (default: ${KIBANA_OBJECTS_DIR})`)
    .action(async (opts: ImportCommandOptions) => {
      try {
        const objects = await readSavedObjectFiles(opts.file ?? [KIBANA_OBJECTS_DIR]);
        const password = opts.password ?? process.env.KIBANA_PASSWORD;
        const apiKey = opts.apiKey ?? process.env.KIBANA_API_KEY;
        const result = await importSavedObjects(objects, {
          url: opts.url,
          ...(opts.space === undefined ? {} : { space: opts.space }),
          overwrite: opts.overwrite === true,
          ...(opts.username === undefined ? {} : { username: opts.username, password: password ?? '' }),
          ...(apiKey === undefined ? {} : { apiKey }),
        });
        for (const o of result.imported) process.stdout.write(`imported ${o.type} ${o.id}${o.title ? ` (${o.title})` : ''}\n`);
        for (const e of result.errors) process.stderr.write(`failed   ${e.type} ${e.id}${e.title ? ` (${e.title})` : ''}: ${e.reason}\n`);
        process.stdout.write(`${result.successCount} of ${objects.length} objects imported into ${opts.space ? `space ${opts.space}` : 'the default space'}\n`);
        if (!result.success) process.exitCode = 1;
      } catch (err) {
        if (!(err instanceof KibanaImportFailure)) throw err;
        process.stderr.write(`segflow kibana import: ${err.message}\n`);
        process.exitCode = err.message.startsWith('--') ? 2 : 1;
      }
    });
}

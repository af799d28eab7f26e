/**
 * `segflow kibana import`: loads the flow data view and dashboards (`kibana/*.ndjson`) into a
 * Kibana through its saved objects API.
 *
 *   segflow kibana import --url http://localhost:5601 [--space ID] [--overwrite]
 *     [--username U --password-file PATH | --api-key-file PATH] [--ca-file PEM] [--file PATH]... [--config FILE]
 *
 * Secrets come from files or the environment (KIBANA_PASSWORD, KIBANA_API_KEY); the old
 * `--password P` and `--api-key KEY` still work but warn: argv is visible in `ps`.
 *
 * Exit 0 when every object was imported, 1 when Kibana reported per-object errors or could not
 * be reached, 2 on bad usage.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { addSecretFileOption, type SecretOptionSpec } from '../runtime/role-config/secret-options.ts';
import { addRoleConfigOptions, roleAction } from '../runtime/role-config/role-command.ts';
import { KIBANA_OBJECTS_DIR } from './generate-kibana-objects.ts';
import { KibanaImportFailure, importSavedObjects, readSavedObjectFiles } from './kibana-import.ts';

interface ImportCommandOptions {
  url?: string;
  space?: string;
  overwrite?: boolean;
  username?: string;
  password?: string;
  apiKey?: string;
  caFile?: string;
  file?: string[];
}

const KIBANA_PASSWORD: SecretOptionSpec = { name: 'password', fileFlag: '--password-file', env: 'KIBANA_PASSWORD', valueFlag: '--password', description: 'Kibana basic-auth password' };
const KIBANA_API_KEY: SecretOptionSpec = { name: 'api-key', fileFlag: '--api-key-file', env: 'KIBANA_API_KEY', valueFlag: '--api-key', description: 'Kibana API key (base64 id:key)' };

/** Adds `segflow kibana …` to the CLI. */
export function registerKibanaCommand(program: Command): void {
  const kibana = program.command('kibana').description('Kibana data view and dashboards for the flow indices');
  const command = kibana.command('import');
  command
    .description('import the segflow data view and dashboards into Kibana (saved objects API)')
    .option('--url <url>', 'Kibana base URL, e.g. http://localhost:5601 (required; may come from --config)')
    .option('--space <id>', 'Kibana space to import into (default space when omitted)')
    .option('--overwrite', 'replace objects that already exist instead of reporting conflicts')
    .option('--username <user>', 'basic-auth user (password from --password-file or KIBANA_PASSWORD)')
    .option('--password <password>', 'basic-auth password (deprecated on the command line: visible in ps; use --password-file)')
    .option('--api-key <key>', 'API key (deprecated on the command line: use --api-key-file or KIBANA_API_KEY)')
    .option('--ca-file <path>', 'PEM file of the CA that signed Kibana\'s certificate (https --url with a private CA)');
  addSecretFileOption(command, KIBANA_PASSWORD);
  addSecretFileOption(command, KIBANA_API_KEY);
  addRoleConfigOptions(command)
    .option('--file <path...>', `ndjson files or directories to import (default: ${KIBANA_OBJECTS_DIR})`)
    .action(roleAction<ImportCommandOptions>({ role: 'kibana import', secrets: [KIBANA_PASSWORD, KIBANA_API_KEY] }, async (prepared, opts) => {
      if (opts.url === undefined) throw new Error('--url is required (or url: in the --config file)');
      try {
        const objects = await readSavedObjectFiles(opts.file ?? [KIBANA_OBJECTS_DIR]);
        const ca = opts.caFile === undefined ? undefined : await readFile(opts.caFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
          throw new KibanaImportFailure(`--ca-file ${opts.caFile}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
        });
        const password = prepared.secrets.get(KIBANA_PASSWORD.name)?.reveal();
        // The environment's API key applies only when no user is named (basic auth was asked for).
        const apiKeySecret = prepared.secrets.get(KIBANA_API_KEY.name);
        const apiKey = opts.username !== undefined && apiKeySecret?.origin.kind === 'env' ? undefined : apiKeySecret?.reveal();
        const result = await importSavedObjects(objects, {
          url: opts.url,
          ...(opts.space === undefined ? {} : { space: opts.space }),
          overwrite: opts.overwrite === true,
          ...(opts.username === undefined ? {} : { username: opts.username, password: password ?? '' }),
          ...(apiKey === undefined ? {} : { apiKey }),
          ...(ca === undefined ? {} : { ca }),
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
    }));
}

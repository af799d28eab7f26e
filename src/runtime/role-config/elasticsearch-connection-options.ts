/**
 * The Elasticsearch connection options every role that talks to Elasticsearch shares (the
 * enricher and its retention job, the API), and their resolution:
 *
 *   --elasticsearch URL                    http(s)://host:port (env ELASTICSEARCH_URL)
 *   --elasticsearch-ca-file PATH           PEM CA that signed the server certificate
 *   --elasticsearch-ca-fingerprint SHA256  or pin the CA by its fingerprint (as Elasticsearch prints it)
 *   --elasticsearch-username NAME          basic auth; password from --elasticsearch-password-file
 *                                          or env SEGFLOW_ELASTICSEARCH_PASSWORD
 *   --elasticsearch-api-key-file PATH      API key (base64 `encoded` form or id:key), env SEGFLOW_ELASTICSEARCH_API_KEY
 *   --elasticsearch-bearer-token-file PATH bearer token, env SEGFLOW_ELASTICSEARCH_BEARER_TOKEN
 *
 * One authentication method at a time. An option naming a method (username, key file, token
 * file) or credentials in the URL win over the environment; of the environment's API key and
 * bearer token, only one may be set when nothing else picks.
 */
import { Option, type Command } from 'commander';
import { normalizeFingerprint, type ElasticsearchAuth, type ElasticsearchConnectionSettings } from '../elasticsearch-security.ts';
import { registerSecret } from './secret-redaction.ts';
import { addSecretFileOption, loadSecretOption, type OptionSources, type SecretOptionSpec } from './secret-options.ts';
import type { Secret } from './secret-value.ts';

export const ELASTICSEARCH_PASSWORD: SecretOptionSpec = {
  name: 'elasticsearch-password', fileFlag: '--elasticsearch-password-file', env: 'SEGFLOW_ELASTICSEARCH_PASSWORD', description: 'Elasticsearch password',
};
export const ELASTICSEARCH_API_KEY: SecretOptionSpec = {
  name: 'elasticsearch-api-key', fileFlag: '--elasticsearch-api-key-file', env: 'SEGFLOW_ELASTICSEARCH_API_KEY', description: 'Elasticsearch API key',
};
export const ELASTICSEARCH_BEARER_TOKEN: SecretOptionSpec = {
  name: 'elasticsearch-bearer-token', fileFlag: '--elasticsearch-bearer-token-file', env: 'SEGFLOW_ELASTICSEARCH_BEARER_TOKEN', description: 'Elasticsearch bearer token',
};

export const DEFAULT_ELASTICSEARCH_URL = 'http://127.0.0.1:9200';

/** Registers the Elasticsearch connection options on `command`. */
export function addElasticsearchConnectionOptions(command: Command): Command {
  command
    .addOption(new Option('--elasticsearch <url>', 'Elasticsearch URL, http or https').env('ELASTICSEARCH_URL').default(DEFAULT_ELASTICSEARCH_URL))
    .option('--elasticsearch-ca-file <path>', 'PEM CA that signed Elasticsearch\'s certificate (default: the system CAs)')
    .option('--elasticsearch-ca-fingerprint <sha256>', 'trust the CA with this SHA-256 fingerprint (hex, colons allowed) from the chain Elasticsearch presents')
    .option('--elasticsearch-username <name>', 'basic-auth user (password from --elasticsearch-password-file or env SEGFLOW_ELASTICSEARCH_PASSWORD)');
  addSecretFileOption(command, ELASTICSEARCH_PASSWORD);
  addSecretFileOption(command, ELASTICSEARCH_API_KEY);
  return addSecretFileOption(command, ELASTICSEARCH_BEARER_TOKEN);
}

export interface ResolvedElasticsearchSettings {
  readonly settings: ElasticsearchConnectionSettings;
  readonly problems: string[];
  readonly warnings: string[];
}

/** Resolves the options (reading secret files); every problem is collected. */
export async function resolveElasticsearchSettings(options: OptionSources, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedElasticsearchSettings> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const get = (attribute: string): string | undefined => options.value(attribute) as string | undefined;
  const url = get('elasticsearch') ?? DEFAULT_ELASTICSEARCH_URL;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.push(`--elasticsearch: expected an http or https URL, got ${parsed.protocol}`);
  } catch {
    problems.push(`--elasticsearch: not a URL: ${JSON.stringify(url.replace(/\/\/[^/@]*@/, '//<redacted>@'))}`);
  }
  const urlHasCredentials = parsed !== undefined && (parsed.username !== '' || parsed.password !== '');
  if (parsed && urlHasCredentials) {
    registerSecret(decodeURIComponent(parsed.password));
    if (options.source('elasticsearch') === 'cli') {
      warnings.push('--elasticsearch: the URL holds credentials, visible to every user of this machine in ps; use --elasticsearch-username with --elasticsearch-password-file (or env SEGFLOW_ELASTICSEARCH_PASSWORD), or an API key file');
    }
  }

  const caFile = get('elasticsearchCaFile');
  const caFingerprint = get('elasticsearchCaFingerprint');
  if (caFile !== undefined && caFingerprint !== undefined) problems.push('--elasticsearch-ca-file and --elasticsearch-ca-fingerprint: give one of them');
  if (caFingerprint !== undefined && normalizeFingerprint(caFingerprint) === undefined) problems.push(`--elasticsearch-ca-fingerprint: expected a SHA-256 fingerprint (64 hex digits, colons allowed), got ${JSON.stringify(caFingerprint)}`);
  if ((caFile !== undefined || caFingerprint !== undefined) && parsed?.protocol === 'http:') problems.push(`--elasticsearch ${parsed.origin}: a CA is given but the URL is http; use https://`);

  const load = async (spec: SecretOptionSpec): Promise<Secret | undefined> => {
    try {
      const loaded = await loadSecretOption(spec, options, env);
      warnings.push(...loaded.warnings);
      return loaded.secret;
    } catch (error) {
      problems.push((error as Error).message);
      return undefined;
    }
  };
  const username = get('elasticsearchUsername');
  const password = await load(ELASTICSEARCH_PASSWORD);
  const apiKey = await load(ELASTICSEARCH_API_KEY);
  const bearer = await load(ELASTICSEARCH_BEARER_TOKEN);
  const fromOption = (secret: Secret | undefined): boolean => secret !== undefined && secret.origin.kind !== 'env';
  const chosen: Array<['basic' | 'apiKey' | 'bearer', string]> = [];
  if (username !== undefined) chosen.push(['basic', '--elasticsearch-username']);
  if (fromOption(apiKey)) chosen.push(['apiKey', '--elasticsearch-api-key-file']);
  if (fromOption(bearer)) chosen.push(['bearer', '--elasticsearch-bearer-token-file']);
  // Credentials in the URL are an explicit choice too: the environment's methods then stand back.
  if (chosen.length === 0 && !urlHasCredentials) {
    if (apiKey) chosen.push(['apiKey', `env ${ELASTICSEARCH_API_KEY.env}`]);
    if (bearer) chosen.push(['bearer', `env ${ELASTICSEARCH_BEARER_TOKEN.env}`]);
  }
  if (fromOption(password) && username === undefined) problems.push('--elasticsearch-password-file: needs --elasticsearch-username');
  let auth: ElasticsearchAuth | null = null;
  if (chosen.length > 1) {
    problems.push(`Elasticsearch authentication: ${chosen.map(([, where]) => where).join(' and ')} each pick a method; give one`);
  } else if (chosen.length === 1) {
    const kind = chosen[0]![0];
    if (kind === 'basic') {
      if (password === undefined) problems.push(`--elasticsearch-username: needs a password: --elasticsearch-password-file PATH or env ${ELASTICSEARCH_PASSWORD.env}`);
      else auth = { kind: 'basic', username: username!, password };
    } else if (kind === 'apiKey') {
      auth = { kind: 'apiKey', apiKey: apiKey! };
    } else {
      auth = { kind: 'bearer', token: bearer! };
    }
    if (urlHasCredentials) problems.push(`--elasticsearch: the URL holds credentials and ${chosen[0]![1]} gives others; give one`);
  }
  return {
    settings: { url, ...(caFile !== undefined ? { caFile } : {}), ...(caFingerprint !== undefined ? { caFingerprint } : {}), auth },
    problems,
    warnings,
  };
}

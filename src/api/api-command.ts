/**
 * `segflow api`: runs the query API until SIGINT/SIGTERM, then shuts down gracefully; SIGHUP
 * re-reads the HTTPS certificate and key.
 *
 *   segflow api --config api.yaml
 *   segflow api --elasticsearch https://es:9200 --elasticsearch-ca-file es-ca.pem --elasticsearch-api-key-file /run/secrets/es-key \
 *     --host 0.0.0.0 --tls-cert-file tls.crt --tls-key-file tls.key --tokens tokens.yaml --resources PATH...
 *   segflow api hash-token --name ops --role admin < token.txt   (prints the tokens-file entry)
 */
import { Option, type Command } from 'commander';
import type { FastifyPluginAsync } from 'fastify';
import { InvalidArgumentError } from 'commander';
import { ApiServer } from './server.ts';
import { DEFAULT_INVENTORY_TOPIC } from '../inventory/topic/inventory-topic.ts';
import { openElasticsearchConnection } from '../runtime/elasticsearch-security.ts';
import { createSecureKafka } from '../runtime/kafka-client.ts';
import type { KafkaFailure } from '../runtime/kafka-errors.ts';
import { createLogger } from '../runtime/logger.ts';
import { addElasticsearchConnectionOptions } from '../runtime/role-config/elasticsearch-connection-options.ts';
import { addKafkaConnectionOptions } from '../runtime/role-config/kafka-connection-options.ts';
import { addRoleConfigOptions, roleAction } from '../runtime/role-config/role-command.ts';
import { exitCodeFor, untilStopped } from '../runtime/role-config/run-until-stopped.ts';
import { addSecretFileOption, type SecretOptionSpec } from '../runtime/role-config/secret-options.ts';
import { ROLES, tokenEntryYaml, type Role } from './auth/tokens.ts';
import type { ClientCertificateMode } from './config.ts';
import { TopicInventorySource } from './inventory/topic-inventory-source.ts';

interface ApiOptions {
  elasticsearch: string;
  host?: string;
  port?: number;
  indexPrefix?: string;
  tokens?: string;
  resources?: string[];
  brokers?: string;
  inventoryTopic?: string;
  rateLimit?: number;
  queryTimeout?: number;
  sharedPitMaxAge?: number;
  cors?: string[];
  docs?: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  tlsClientCaFile?: string;
  tlsClientAuth?: 'require' | 'optional';
  metricsPort?: number;
  statsCacheMib?: number;
}

const CURSOR_SECRET: SecretOptionSpec = {
  name: 'cursor-secret', fileFlag: '--cursor-secret-file', env: 'SEGFLOW_API_CURSOR_SECRET', valueFlag: '--cursor-secret',
  description: 'secret signing pagination cursors (same on every replica)',
};

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`${name} must be an integer ${min}-${max}`);
    return Number(value);
  };
}

type TlsOptions = Pick<ApiOptions, 'tlsCertFile' | 'tlsKeyFile' | 'tlsClientCaFile' | 'tlsClientAuth'>;

/** What is wrong with the HTTPS options (each a line). */
export function apiTlsProblems(opts: TlsOptions): string[] {
  const problems: string[] = [];
  if ((opts.tlsCertFile === undefined) !== (opts.tlsKeyFile === undefined)) problems.push('--tls-cert-file and --tls-key-file go together');
  if (opts.tlsCertFile === undefined && (opts.tlsClientCaFile !== undefined || opts.tlsClientAuth !== undefined)) problems.push('--tls-client-ca-file/--tls-client-auth need HTTPS (--tls-cert-file and --tls-key-file)');
  if (opts.tlsClientAuth !== undefined && opts.tlsClientCaFile === undefined) problems.push(`--tls-client-auth ${opts.tlsClientAuth}: needs --tls-client-ca-file`);
  return problems;
}

/** The HTTPS settings from the options, or null; throws naming what is missing. */
export function apiTlsFromOptions(opts: TlsOptions): { certFile: string; keyFile: string; clientCaFile?: string; clientAuth: ClientCertificateMode } | null {
  const problems = apiTlsProblems(opts);
  if (problems.length > 0) throw new Error(problems.join('; '));
  if (opts.tlsCertFile === undefined || opts.tlsKeyFile === undefined) return null;
  return {
    certFile: opts.tlsCertFile, keyFile: opts.tlsKeyFile,
    ...(opts.tlsClientCaFile !== undefined ? { clientCaFile: opts.tlsClientCaFile } : {}),
    // A client CA alone means client certificates are required.
    clientAuth: opts.tlsClientAuth ?? (opts.tlsClientCaFile !== undefined ? 'require' : 'none'),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Registers `segflow api` (and `segflow api hash-token`) on the program. */
/** `plugins`: registered after the API's routes (src/cli passes the web UI). */
export function registerApiCommand(program: Command, plugins: readonly FastifyPluginAsync[] = []): void {
  const command = program.command('api')
    .description('serve the query API (flow search, stats, denied-flow troubleshooting, explain/preview) over Elasticsearch');
  addElasticsearchConnectionOptions(command);
  command
    .option('--host <address>', 'listen address (default 127.0.0.1; anything else needs --tokens)')
    .option('--port <n>', 'listen port (default 8080)', integer('--port', 0, 65535))
    .option('--tls-cert-file <path>', 'serve HTTPS with this PEM certificate (chain); re-read on SIGHUP and when it changes')
    .option('--tls-key-file <path>', 'PEM key of --tls-cert-file')
    .option('--tls-client-ca-file <path>', 'PEM CA that signs client certificates (mutual TLS)')
    .addOption(new Option('--tls-client-auth <mode>', 'client certificates: require (handshake refuses clients without one) or optional (default require when --tls-client-ca-file is given)').choices(['require', 'optional']))
    .option('--metrics-port <n>', '/metrics without a token on 127.0.0.1:<n> (on the main port /metrics needs an admin token)', integer('--metrics-port', 0, 65535))
    .option('--index-prefix <prefix>', 'flow index prefix (default segflow-flows)')
    .option('--tokens <file>', 'tokens file (YAML/JSON: tokens: [{name, sha256|certificateCN, role, namespaces?}]; see segflow api hash-token)')
    .option('--resources <paths...>', 'Calico/Kubernetes resource files or directories for the inventory (instead of the inventory topic)')
    .addOption(new Option('--brokers <list>', 'Kafka bootstrap servers: follow the inventory topic the enricher uses').env('KAFKA_BROKERS'));
  addKafkaConnectionOptions(command);
  command
    .addOption(new Option('--inventory-topic <name>', `inventory topic to follow (default ${DEFAULT_INVENTORY_TOPIC})`).env('SEGFLOW_INVENTORY_TOPIC'))
    .option('--rate-limit <n>', 'requests per minute per token (default 600)', integer('--rate-limit', 1, 1_000_000))
    .option('--query-timeout <ms>', 'Elasticsearch query budget in ms (default 15000)', integer('--query-timeout', 100, 600_000))
    .option('--stats-cache-mib <n>', 'memory for the stats view\'s cache of summary blocks, MiB (default 64; 0: off)', integer('--stats-cache-mib', 0, 65_536))
    .option('--shared-pit-max-age <ms>', 'new searches share a point in time up to this old (default 1000; 0: one per search)', integer('--shared-pit-max-age', 0, 60_000))
    .option('--cors <origins...>', 'allow these browser origins (CORS is off by default)')
    .option('--cursor-secret <secret>', 'deprecated on the command line (visible in ps): use --cursor-secret-file or env SEGFLOW_API_CURSOR_SECRET');
  addSecretFileOption(command, CURSOR_SECRET);
  addRoleConfigOptions(command)
    .option('--no-docs', 'do not serve /docs')
    .action(roleAction<ApiOptions>({ role: 'api', kafka: true, elasticsearch: true, secrets: [CURSOR_SECRET], check: (o) => apiTlsProblems(o as TlsOptions) }, async (prepared, opts) => {
      const tls = apiTlsFromOptions(opts);
      const elasticsearch = await openElasticsearchConnection(prepared.elasticsearch!);
      const secret = prepared.secrets.get(CURSOR_SECRET.name)?.reveal();
      // The inventory: files when given, else the topic the enricher follows (when Kafka is known).
      let reportFatal: (failure: KafkaFailure) => void = () => undefined;
      const fatalKafkaFailure = new Promise<KafkaFailure>((resolve) => (reportFatal = resolve));
      const inventoryLog = createLogger('api:inventory');
      const inventory = opts.resources === undefined && opts.brokers
        ? new TopicInventorySource(await createSecureKafka(opts.brokers, 'segflow-api', prepared.kafkaSecurity, {}, {
          onFatal: (failure) => {
            inventoryLog.error({ kind: failure.kind }, failure.message);
            reportFatal(failure);
          },
        }), opts.inventoryTopic ?? DEFAULT_INVENTORY_TOPIC, inventoryLog)
        : undefined;
      const server = new ApiServer({
        elasticsearchUrl: elasticsearch.url, elasticsearch, tls, metricsPort: opts.metricsPort ?? null,
        host: opts.host, port: opts.port, indexPrefix: opts.indexPrefix, tokensFile: opts.tokens, resources: opts.resources ?? [],
        ...(opts.rateLimit !== undefined ? { rateLimit: { max: opts.rateLimit, windowMs: 60_000 } } : {}),
        timeouts: {
          ...(opts.queryTimeout !== undefined ? { queryMs: opts.queryTimeout } : {}),
          ...(opts.sharedPitMaxAge !== undefined ? { sharedPitMaxAgeMs: opts.sharedPitMaxAge } : {}),
        },
        corsOrigins: opts.cors ?? [], docs: opts.docs !== false,
        ...(opts.statsCacheMib !== undefined ? { statsCacheMiB: opts.statsCacheMib } : {}),
        ...(secret !== undefined ? { cursorSecret: secret } : {}),
      }, { ...(inventory ? { inventory } : {}), plugins });
      await server.start();
      const reload = (): void => void server.reloadTls();
      process.on('SIGHUP', reload);
      // The inventory's Kafka failing for good (TLS, SASL, ACL) ends the API too: it would serve a frozen inventory.
      const stop = await untilStopped(fatalKafkaFailure);
      process.off('SIGHUP', reload);
      await server.stop();
      exitCodeFor(stop);
    }));

  command.command('hash-token')
    .description('read a token from stdin and print its tokens-file entry (SHA-256 digest, never the token)')
    .requiredOption('--name <name>', 'token name (shown in logs and metrics)')
    .addOption(new Option('--role <role>', 'role of the token').choices([...ROLES]).default('viewer'))
    .option('--namespaces <names...>', 'restrict the token to these namespaces')
    .action(async (opts: { name: string; role: Role; namespaces?: string[] }) => {
      if (process.stdin.isTTY) process.stderr.write('reading the token from stdin (end with Ctrl-D)...\n');
      const token = (await readStdin()).replace(/(\r?\n)+$/, '');
      process.stdout.write(tokenEntryYaml(token, { name: opts.name, role: opts.role, ...(opts.namespaces ? { namespaces: opts.namespaces } : {}) }));
    });
}

/** `segflow goldmane`: read Calico's own flows from Goldmane into the pipeline until SIGINT/SIGTERM. */
import { Option, type Command } from 'commander';
import { createLogger } from '../runtime/logger.ts';
import { addKafkaConnectionOptions } from '../runtime/role-config/kafka-connection-options.ts';
import { addRoleConfigOptions, roleAction } from '../runtime/role-config/role-command.ts';
import { exitCodeFor, untilStopped } from '../runtime/role-config/run-until-stopped.ts';
import { addSecretFileOption, type SecretOptionSpec } from '../runtime/role-config/secret-options.ts';
import { DEFAULT_GOLDMANE_HTTP_PORT, GoldmaneRole } from './goldmane-role.ts';
import { DEFAULT_GOLDMANE_RETENTION_SECONDS } from './goldmane-resume.ts';

/** The client key of the mutual-TLS connection: a secret, from a file or the environment only. */
export const GOLDMANE_CLIENT_KEY: SecretOptionSpec = { name: 'goldmane-client-key', fileFlag: '--goldmane-key-file', env: 'SEGFLOW_GOLDMANE_CLIENT_KEY', description: 'PEM private key of the client certificate for Goldmane' };

interface GoldmaneOptions {
  address?: string; goldmaneCaFile?: string; goldmaneCertFile?: string; goldmaneServerName?: string;
  brokers?: string; topic: string; sourceName: string; retention: string; stateFile?: string;
  httpHost: string; httpPort: string; http: boolean;
}

function integer(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got '${value}'`);
  return n;
}

/** Every problem of the TLS options: the CA and certificate files and the key go together. */
export function checkGoldmaneOptions(options: Record<string, unknown>, hasKey: boolean): string[] {
  const problems: string[] = [];
  if (typeof options.address !== 'string' || !/^[^\s]+:\d{1,5}$/.test(options.address)) problems.push(`--address must be host:port (Goldmane's gRPC address, e.g. goldmane.calico-system.svc:7443), got ${JSON.stringify(options.address ?? null)}`);
  const given = { '--goldmane-ca-file': options.goldmaneCaFile !== undefined, '--goldmane-cert-file': options.goldmaneCertFile !== undefined, [`${GOLDMANE_CLIENT_KEY.fileFlag} (or env ${GOLDMANE_CLIENT_KEY.env})`]: hasKey };
  const present = Object.entries(given).filter(([, v]) => v).map(([k]) => k);
  if (present.length > 0 && present.length < 3) problems.push(`mutual TLS needs all of ${Object.keys(given).join(', ')}; missing: ${Object.entries(given).filter(([, v]) => !v).map(([k]) => k).join(', ')}`);
  if (options.goldmaneServerName !== undefined && present.length === 0) problems.push('--goldmane-server-name applies to TLS only (give the CA, certificate and key)');
  return problems;
}

export function registerGoldmaneCommand(program: Command): void {
  const command = program
    .command('goldmane')
    .description('read Calico\'s own flow logs from Goldmane (Calico OSS 3.30+) and publish them to the raw topic for the enricher')
    .option('--address <host:port>', 'Goldmane gRPC address (in-cluster: goldmane.calico-system.svc:7443)')
    .option('--goldmane-ca-file <path>', 'CA bundle that signed Goldmane\'s server certificate (mutual TLS)')
    .option('--goldmane-cert-file <path>', 'client certificate presented to Goldmane (mutual TLS)')
    .option('--goldmane-server-name <name>', 'name to verify Goldmane\'s certificate against (default: the address host)')
    .addOption(new Option('--brokers <list>', 'Kafka bootstrap brokers, host:port[,host:port...]').env('KAFKA_BROKERS'))
    .option('--topic <name>', 'raw flow topic the enricher consumes', 'flows.raw')
    .option('--source-name <name>', 'name of this Goldmane (the cluster) in documents and message keys', 'goldmane')
    .option('--retention <seconds>', 'how much Goldmane keeps (history asked for at start; longer absences report a possible loss)', String(DEFAULT_GOLDMANE_RETENTION_SECONDS))
    .option('--state-file <path>', 'keep the progress here, so a restart can tell whether it was away longer than the retention')
    .option('--http-host <host>', 'health/metrics endpoint address', '0.0.0.0')
    .option('--http-port <port>', 'health/metrics endpoint port (/healthz, /readyz, /status, /metrics)', String(DEFAULT_GOLDMANE_HTTP_PORT))
    .option('--no-http', 'do not serve the health/metrics endpoint');
  addSecretFileOption(command, GOLDMANE_CLIENT_KEY);
  addKafkaConnectionOptions(command);
  addRoleConfigOptions(command)
    .action(roleAction<GoldmaneOptions>({ role: 'goldmane', kafka: true, secrets: [GOLDMANE_CLIENT_KEY] }, async (prepared, options) => {
      const key = prepared.secrets.get(GOLDMANE_CLIENT_KEY.name);
      const problems = checkGoldmaneOptions(options as unknown as Record<string, unknown>, key !== undefined);
      if (options.brokers === undefined) problems.push('--brokers is required (or brokers: in the --config file, or env KAFKA_BROKERS)');
      if (problems.length > 0) throw new Error(problems.join('; '));
      const logger = createLogger('goldmane');
      const role = new GoldmaneRole({
        address: options.address!, brokers: options.brokers!, topic: options.topic, kafkaSecurity: prepared.kafkaSecurity, sourceName: options.sourceName,
        retentionSeconds: integer('retention', options.retention, 60),
        ...(options.stateFile ? { stateFile: options.stateFile } : {}),
        ...(key ? { tls: { caFile: options.goldmaneCaFile!, certFile: options.goldmaneCertFile!, key: key.reveal(), ...(options.goldmaneServerName ? { serverName: options.goldmaneServerName } : {}) } } : {}),
        http: options.http ? { host: options.httpHost, port: integer('http-port', options.httpPort, 0) } : null,
      }, logger);
      await role.start();
      const stop = await untilStopped(role.fatalKafkaFailure);
      if (stop.kind === 'signal') logger.info({ signal: stop.signal }, 'stopping');
      await role.stop();
      exitCodeFor(stop);
    }));
}

/**
 * The Kafka connection options every role that talks to Kafka shares, and their resolution into
 * a {@link KafkaSecurity}:
 *
 *   --kafka-tls                      TLS to the brokers (implied by any other --kafka-*-file/--kafka-tls-server-name)
 *   --kafka-ca-file PATH             CA bundle that signed the brokers' certificates (default: the system CAs)
 *   --kafka-cert-file / --kafka-key-file PATH   client certificate and key (mutual TLS)
 *   --kafka-key-password-file PATH   passphrase of an encrypted key (or env SEGFLOW_KAFKA_KEY_PASSWORD)
 *   --kafka-tls-server-name NAME     TLS server name to check (when brokers are dialled by IP)
 *   --kafka-tls-insecure-skip-verify do not verify the brokers' certificates (experiments only; warns)
 *   --kafka-sasl-mechanism M         plain | scram-sha-256 | scram-sha-512
 *   --kafka-sasl-username NAME
 *   --kafka-sasl-password-file PATH  (or env SEGFLOW_KAFKA_SASL_PASSWORD)
 *
 * The names are those src/runtime/kafka-security.ts names in its messages (KAFKA_SECURITY_OPTIONS).
 */
import { access, constants } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { PLAINTEXT_KAFKA, SASL_MECHANISMS, type KafkaSecurity, type SaslMechanism } from './kafka-security-contract.ts';
import type { Secret } from './secret-value.ts';
import { addSecretFileOption, loadSecretOption, type OptionSources, type SecretOptionSpec } from './secret-options.ts';

export const KAFKA_SASL_PASSWORD: SecretOptionSpec = {
  name: 'kafka-sasl-password', fileFlag: '--kafka-sasl-password-file', env: 'SEGFLOW_KAFKA_SASL_PASSWORD', description: 'Kafka SASL password',
};
export const KAFKA_KEY_PASSWORD: SecretOptionSpec = {
  name: 'kafka-key-password', fileFlag: '--kafka-key-password-file', env: 'SEGFLOW_KAFKA_KEY_PASSWORD', description: 'passphrase of the Kafka client key',
};

/** Registers the Kafka connection options on `command`. */
export function addKafkaConnectionOptions(command: Command): Command {
  command
    .option('--kafka-tls', 'connect to the brokers over TLS (implied by the other --kafka-* TLS options)')
    .option('--kafka-ca-file <path>', 'PEM CA bundle that signed the brokers\' certificates (default: the system CAs)')
    .option('--kafka-cert-file <path>', 'PEM client certificate for mutual TLS')
    .option('--kafka-key-file <path>', 'PEM key of the client certificate');
  addSecretFileOption(command, KAFKA_KEY_PASSWORD);
  command
    .option('--kafka-tls-server-name <name>', 'TLS server name to verify (default: the broker host)')
    .option('--kafka-tls-insecure-skip-verify', 'do not verify the brokers\' certificates: anyone can impersonate them (experiments only)')
    .addOption(new Option('--kafka-sasl-mechanism <mechanism>', 'SASL mechanism').choices([...SASL_MECHANISMS]))
    .option('--kafka-sasl-username <name>', 'SASL user name');
  return addSecretFileOption(command, KAFKA_SASL_PASSWORD);
}

export interface ResolvedKafkaSecurity {
  readonly security: KafkaSecurity;
  /** The secrets loaded, by name (for --print-config: where each came from). */
  readonly secrets: Map<string, Secret>;
  readonly problems: string[];
  readonly warnings: string[];
}

async function unreadable(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.R_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable';
  }
}

/** Resolves the options into KafkaSecurity; every problem is collected (files are checked for readability). */
export async function resolveKafkaSecurity(options: OptionSources, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedKafkaSecurity> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const secrets = new Map<string, Secret>();
  const get = (attribute: string): string | undefined => options.value(attribute) as string | undefined;
  const files = { caFile: get('kafkaCaFile'), certFile: get('kafkaCertFile'), keyFile: get('kafkaKeyFile') };
  for (const [flag, path] of [['--kafka-ca-file', files.caFile], ['--kafka-cert-file', files.certFile], ['--kafka-key-file', files.keyFile]] as const) {
    if (path === undefined) continue;
    const why = await unreadable(path);
    if (why) problems.push(`${flag} ${path}: ${why}`);
  }
  if ((files.certFile === undefined) !== (files.keyFile === undefined)) problems.push('--kafka-cert-file and --kafka-key-file go together (a client certificate needs its key)');
  const serverName = get('kafkaTlsServerName');
  const insecure = options.value('kafkaTlsInsecureSkipVerify') === true;
  if (insecure) warnings.push('--kafka-tls-insecure-skip-verify: the brokers\' certificates are not verified; anyone on the path can impersonate them and read the flows');
  let keyPassword: string | undefined;
  try {
    const loaded = await loadSecretOption(KAFKA_KEY_PASSWORD, options, env);
    warnings.push(...loaded.warnings);
    if (loaded.secret && files.keyFile === undefined && loaded.secret.origin.kind !== 'env') problems.push('--kafka-key-password-file: there is no --kafka-key-file to decrypt');
    if (files.keyFile !== undefined && loaded.secret) {
      keyPassword = loaded.secret.reveal();
      secrets.set(KAFKA_KEY_PASSWORD.name, loaded.secret);
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  const tlsWanted = options.value('kafkaTls') === true || Object.values(files).some((f) => f !== undefined) || serverName !== undefined || insecure;
  const tls: KafkaSecurity['tls'] = tlsWanted
    ? {
      ...(files.caFile !== undefined ? { caFile: files.caFile } : {}),
      ...(files.certFile !== undefined ? { certFile: files.certFile } : {}),
      ...(files.keyFile !== undefined ? { keyFile: files.keyFile } : {}),
      ...(keyPassword !== undefined ? { keyPassword } : {}),
      ...(serverName !== undefined ? { serverName } : {}),
      ...(insecure ? { insecureSkipVerify: true } : {}),
    }
    : null;

  const mechanism = get('kafkaSaslMechanism') as SaslMechanism | undefined;
  const username = get('kafkaSaslUsername');
  let sasl: KafkaSecurity['sasl'] = null;
  try {
    const loaded = await loadSecretOption(KAFKA_SASL_PASSWORD, options, env);
    warnings.push(...loaded.warnings);
    const password = loaded.secret;
    if (mechanism === undefined) {
      if (username !== undefined) problems.push('--kafka-sasl-username: needs --kafka-sasl-mechanism (plain, scram-sha-256 or scram-sha-512)');
      // A password from the environment alone is ignored: the variable may be set for other processes.
      if (password !== undefined && password.origin.kind !== 'env') problems.push('--kafka-sasl-password-file: needs --kafka-sasl-mechanism');
    } else {
      if (username === undefined) problems.push(`--kafka-sasl-mechanism ${mechanism}: needs --kafka-sasl-username`);
      if (password === undefined) problems.push(`--kafka-sasl-mechanism ${mechanism}: needs a password: --kafka-sasl-password-file PATH or env ${KAFKA_SASL_PASSWORD.env}`);
      if (username !== undefined && password !== undefined) {
        sasl = { mechanism, username, password: password.reveal() };
        secrets.set(KAFKA_SASL_PASSWORD.name, password);
      }
      if (mechanism === 'plain' && tls === null) problems.push('--kafka-sasl-mechanism plain without TLS would send the password in clear text; add --kafka-tls (and --kafka-ca-file)');
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  return { security: tls === null && sasl === null ? PLAINTEXT_KAFKA : { tls, sasl }, secrets, problems, warnings };
}

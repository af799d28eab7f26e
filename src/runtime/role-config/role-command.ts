/**
 * What every role command shares: `--config FILE` (a YAML file of its options), `--print-config`
 * (the effective settings, secrets redacted, then exit), the Kafka and Elasticsearch connection
 * options, secrets from files or the environment, and error messages free of secrets.
 *
 * Precedence of every setting: command line > config file > environment variable > default.
 *
 *   addRoleConfigOptions(cmd); addKafkaConnectionOptions(cmd); ...
 *   cmd.action(roleAction({ role: 'enrich', kafka: true, elasticsearch: true }, async (prepared, opts) => { ... }));
 */
import { Option, type Command } from 'commander';
import type { ElasticsearchConnectionSettings } from '../elasticsearch-security.ts';
import { createLogger } from '../logger.ts';
import { loadConfigFile, RoleConfigError } from './config-file.ts';
import { resolveElasticsearchSettings, ELASTICSEARCH_API_KEY, ELASTICSEARCH_BEARER_TOKEN, ELASTICSEARCH_PASSWORD } from './elasticsearch-connection-options.ts';
import { PLAINTEXT_KAFKA, type KafkaSecurity } from './kafka-security-contract.ts';
import { resolveKafkaSecurity } from './kafka-connection-options.ts';
import { renderEffectiveConfig } from './print-config.ts';
import { redactError } from './secret-redaction.ts';
import { loadSecretOption, optionSourcesOf, type SecretOptionSpec } from './secret-options.ts';
import type { Secret } from './secret-value.ts';

export interface RoleSpec {
  /** The role's command path for messages (`enrich`, `kibana import`). */
  readonly role: string;
  /** The command has the Kafka connection options. */
  readonly kafka?: boolean;
  /** The command has the Elasticsearch connection options. */
  readonly elasticsearch?: boolean;
  /** Secrets of the role itself (the API's cursor secret, Kibana's password). */
  readonly secrets?: readonly SecretOptionSpec[];
  /** Checks of the role's own options that need the merged values: each problem a line. */
  readonly check?: (options: Record<string, unknown>) => string[];
}

/** The resolved connection settings and secrets of a role about to run. */
export interface PreparedRole {
  readonly kafkaSecurity: KafkaSecurity;
  readonly elasticsearch: ElasticsearchConnectionSettings | undefined;
  /** Role secrets by name (only those that were given). */
  readonly secrets: ReadonlyMap<string, Secret>;
  readonly configFile: string | undefined;
}

/** Registers `--config FILE` and `--print-config`. */
export function addRoleConfigOptions(command: Command): Command {
  return command
    .addOption(new Option('--config <file>', 'YAML file of this command\'s options (keys = long option names); the command line overrides it'))
    .option('--print-config', 'print the effective settings (YAML, secrets redacted) and exit');
}

export interface RoleIo {
  readonly stdout: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Applies the config file, resolves connections and secrets (collecting every problem into one
 * RoleConfigError), logs warnings, and handles `--print-config` (returns null after printing).
 */
export async function prepareRole(command: Command, spec: RoleSpec, io: RoleIo = { stdout: process.stdout, env: process.env }): Promise<PreparedRole | null> {
  const configFile = command.getOptionValue('config') as string | undefined;
  if (configFile !== undefined) {
    for (const assignment of await loadConfigFile(configFile, command)) {
      const source = command.getOptionValueSource(assignment.attribute);
      if (source !== 'cli') command.setOptionValueWithSource(assignment.attribute, assignment.value, 'config');
    }
  }
  const sources = optionSourcesOf(command, configFile);
  const problems: string[] = [];
  const warnings: string[] = [];
  const allSecrets = new Map<string, Secret>();

  let kafkaSecurity = PLAINTEXT_KAFKA;
  if (spec.kafka) {
    const resolved = await resolveKafkaSecurity(sources, io.env);
    problems.push(...resolved.problems);
    warnings.push(...resolved.warnings);
    kafkaSecurity = resolved.security;
    for (const [name, secret] of resolved.secrets) allSecrets.set(name, secret);
  }
  let elasticsearch: ElasticsearchConnectionSettings | undefined;
  if (spec.elasticsearch) {
    const resolved = await resolveElasticsearchSettings(sources, io.env);
    problems.push(...resolved.problems);
    warnings.push(...resolved.warnings);
    elasticsearch = resolved.settings;
    const auth = resolved.settings.auth;
    if (auth?.kind === 'basic') allSecrets.set(ELASTICSEARCH_PASSWORD.name, auth.password);
    if (auth?.kind === 'apiKey') allSecrets.set(ELASTICSEARCH_API_KEY.name, auth.apiKey);
    if (auth?.kind === 'bearer') allSecrets.set(ELASTICSEARCH_BEARER_TOKEN.name, auth.token);
  }
  const roleSecrets = new Map<string, Secret>();
  for (const secretSpec of spec.secrets ?? []) {
    try {
      const loaded = await loadSecretOption(secretSpec, sources, io.env);
      warnings.push(...loaded.warnings);
      if (loaded.secret) {
        roleSecrets.set(secretSpec.name, loaded.secret);
        allSecrets.set(secretSpec.name, loaded.secret);
      }
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (spec.check) problems.push(...spec.check(command.opts()));
  if (problems.length > 0) throw new RoleConfigError(problems);
  if (warnings.length > 0) {
    const logger = createLogger(`${spec.role.replace(/ /g, '-')}:config`);
    for (const warning of warnings) logger.warn(warning);
  }
  if (command.getOptionValue('printConfig') === true) {
    const secretValueKeys = new Set((spec.secrets ?? []).flatMap((s) => (s.valueFlag ? [s.valueFlag.replace(/^--/, '')] : [])));
    io.stdout.write(renderEffectiveConfig({ command, commandPath: spec.role, configFile, secretValueKeys, secrets: allSecrets }));
    return null;
  }
  return { kafkaSecurity, elasticsearch, secrets: roleSecrets, configFile };
}

/**
 * The action of a role command: prepares the role, then runs `body` with the merged options.
 * Any error leaving it has its message stripped of secrets (the CLI prints it).
 */
export function roleAction<O extends object>(spec: RoleSpec, body: (prepared: PreparedRole, options: O, command: Command, args: unknown[]) => Promise<void>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    try {
      const prepared = await prepareRole(command, spec);
      if (prepared === null) return;
      await body(prepared, command.opts<O>(), command, args.slice(0, -2));
    } catch (error) {
      throw redactError(error);
    }
  };
}

/**
 * A secret option of a role: its value comes from a file option (`--x-file PATH`, on the command
 * line or in the config file), from an environment variable, or, for the few options that always
 * took the secret itself (`segflow kibana import --password`), from that option — which still
 * works but warns, because argv is visible to every user in `ps`.
 *
 * Precedence: the command line over the config file over the environment; giving both the
 * secret and its file in the same place is an error.
 */
import { Option, type Command, type OptionValueSource } from 'commander';
import { readSecretFile, Secret, secretFromEnv } from './secret-value.ts';

export interface SecretOptionSpec {
  /** Name shown by `--print-config` (`kafka-sasl-password`). */
  readonly name: string;
  /** The file option's long flag (`--kafka-sasl-password-file`). */
  readonly fileFlag: string;
  /** Environment variable holding the secret itself. */
  readonly env: string;
  /** A legacy option that takes the secret itself (`--password`): still accepted, with a warning on argv. */
  readonly valueFlag?: string;
  /** What the secret is, for help and errors ("Kafka SASL password"). */
  readonly description: string;
}

/** Registers the file option (and nothing else: a legacy value option is registered by its command). */
export function addSecretFileOption(command: Command, spec: SecretOptionSpec): Command {
  return command.addOption(new Option(`${spec.fileFlag} <path>`, `file holding the ${spec.description} (or env ${spec.env})`));
}

const attributeOf = (flag: string): string => flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Where option values came from, as `--print-config` and warnings need it. */
export interface OptionSources {
  value(attribute: string): unknown;
  source(attribute: string): OptionValueSource | undefined;
  /** The config file in use, if any (for origins of values set there). */
  readonly configFile: string | undefined;
}

/** Reads a command's current option values and their sources. */
export function optionSourcesOf(command: Command, configFile: string | undefined): OptionSources {
  return {
    value: (attribute) => command.getOptionValue(attribute),
    source: (attribute) => command.getOptionValueSource(attribute),
    configFile,
  };
}

export interface LoadedSecret {
  readonly secret: Secret | undefined;
  readonly warnings: string[];
}

/** Loads one secret; throws with the option name when its file cannot be read or the sources conflict. */
export async function loadSecretOption(spec: SecretOptionSpec, options: OptionSources, env: NodeJS.ProcessEnv = process.env): Promise<LoadedSecret> {
  const warnings: string[] = [];
  const fileAttr = attributeOf(spec.fileFlag);
  const filePath = options.value(fileAttr) as string | undefined;
  const valueAttr = spec.valueFlag !== undefined ? attributeOf(spec.valueFlag) : undefined;
  const value = valueAttr !== undefined ? options.value(valueAttr) as string | undefined : undefined;
  if (value !== undefined && filePath !== undefined) {
    const valueSource = options.source(valueAttr!);
    const fileSource = options.source(fileAttr);
    // Different places: the stronger one wins (command line over config file).
    if (valueSource === fileSource) throw new Error(`${spec.valueFlag} and ${spec.fileFlag}: give one of them`);
    if (fileSource === 'cli') return { secret: await readSecretFile(filePath, spec.fileFlag), warnings };
  }
  if (value !== undefined && value !== '') {
    const source = options.source(valueAttr!);
    if (source === 'cli') {
      warnings.push(`${spec.valueFlag} on the command line is visible to every user of this machine (ps, /proc); use ${spec.fileFlag} or env ${spec.env}`);
      return { secret: new Secret(value, { kind: 'argv', option: spec.valueFlag! }), warnings };
    }
    if (source === 'config' && options.configFile !== undefined) {
      return { secret: new Secret(value, { kind: 'config', file: options.configFile, key: spec.valueFlag!.replace(/^--/, '') }), warnings };
    }
    return { secret: new Secret(value, { kind: 'env', name: spec.env }), warnings };
  }
  if (filePath !== undefined) return { secret: await readSecretFile(filePath, spec.fileFlag), warnings };
  return { secret: secretFromEnv(spec.env, env), warnings };
}

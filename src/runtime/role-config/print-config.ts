/**
 * `--print-config`: a role's effective settings as YAML, each with where it came from, secrets
 * replaced by where they were read from. The output never holds a secret: it is also run
 * through the redaction of every registered secret and URL credential.
 */
import type { Command, OptionValueSource } from 'commander';
import { Document, isMap, isPair, isScalar, isSeq } from 'yaml';
import { configKeyOf } from './config-file.ts';
import { redactSecrets } from './secret-redaction.ts';
import type { Secret } from './secret-value.ts';

const SOURCE_NAMES: Record<string, string> = { cli: 'command line', config: 'config file', env: 'environment', default: 'default', implied: 'implied' };

export interface PrintConfigInput {
  readonly command: Command;
  readonly commandPath: string;
  readonly configFile: string | undefined;
  /** Options whose value is itself a secret (`--password`): shown as their origin. */
  readonly secretValueKeys: ReadonlySet<string>;
  /** Every secret loaded, by name. */
  readonly secrets: ReadonlyMap<string, Secret>;
}

/** The effective settings of `command` as YAML text. */
export function renderEffectiveConfig(input: PrintConfigInput): string {
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const option of input.command.options) {
    const key = configKeyOf(option);
    if (key === undefined || key in values) continue;
    const attribute = option.attributeName();
    const value = input.command.getOptionValue(attribute) as unknown;
    if (value === undefined) continue;
    const source: OptionValueSource | undefined = input.command.getOptionValueSource(attribute);
    if (input.secretValueKeys.has(key)) continue; // listed under secrets, with its origin
    values[key] = value;
    sources[key] = SOURCE_NAMES[source ?? 'default'] ?? String(source);
  }
  const secrets: Record<string, string> = {};
  for (const [name, secret] of [...input.secrets].sort(([a], [b]) => a.localeCompare(b))) secrets[name] = secret.toString();
  const doc = new Document({ ...values, ...(Object.keys(secrets).length > 0 ? { secrets } : {}) });
  doc.commentBefore = ` effective settings of segflow ${input.commandPath}${input.configFile ? ` (config file ${input.configFile})` : ''}\n precedence: command line > config file > environment > default`;
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (isPair(pair) && isScalar(pair.key)) {
        const source = sources[String(pair.key.value)];
        if (source && (isScalar(pair.value) || isSeq(pair.value))) pair.value.comment = ` ${source}`;
      }
    }
  }
  return redactSecrets(doc.toString({ lineWidth: 0 }));
}

/**
 * The option layer every role shares: config files checked against the command's own options
 * (every problem, did-you-mean), precedence command line > config file > environment > default,
 * secrets from files and the environment (never printed), and the resolution of the Kafka and
 * Elasticsearch connection options. Commands are real commander commands built the way the
 * roles build theirs; secret files are real files.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Command, Option } from 'commander';
import { checkConfigDocument, parseConfigText, RoleConfigError } from '../../../src/runtime/role-config/config-file.ts';
import { closestName } from '../../../src/runtime/role-config/did-you-mean.ts';
import { addElasticsearchConnectionOptions } from '../../../src/runtime/role-config/elasticsearch-connection-options.ts';
import { addKafkaConnectionOptions } from '../../../src/runtime/role-config/kafka-connection-options.ts';
import { addRoleConfigOptions, prepareRole, type PreparedRole, type RoleSpec } from '../../../src/runtime/role-config/role-command.ts';
import { redactSecrets, registerSecret } from '../../../src/runtime/role-config/secret-redaction.ts';
import { Secret } from '../../../src/runtime/role-config/secret-value.ts';
import { addSecretFileOption, type SecretOptionSpec } from '../../../src/runtime/role-config/secret-options.ts';

const int = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new Error(`expected an integer, got '${value}'`);
  return Number(value);
};

const PASSWORD: SecretOptionSpec = { name: 'password', fileFlag: '--password-file', env: 'TEST_ROLE_PASSWORD', valueFlag: '--password', description: 'password' };

/** A role command like the real ones: connection options, its own options, --config. */
function roleCommand(): Command {
  const command = new Command('role').exitOverride()
    .addOption(new Option('--brokers <list>', 'brokers').env('TEST_ROLE_BROKERS').default('127.0.0.1:9092'));
  addKafkaConnectionOptions(command);
  addElasticsearchConnectionOptions(command);
  addSecretFileOption(command, PASSWORD);
  return addRoleConfigOptions(command)
    .option('--password <p>', 'legacy secret option')
    .option('--retention-days <n>', 'days', int, 7)
    .addOption(new Option('--mode <m>', 'mode').choices(['fast', 'safe']))
    .option('--resources <paths...>', 'paths')
    .option('--no-http', 'no http')
    .action(() => undefined);
}

async function prepared(args: string[], env: NodeJS.ProcessEnv = {}, spec: Partial<RoleSpec> = {}): Promise<{ role: PreparedRole | null; command: Command; printed: string }> {
  const saved = { ...process.env };
  // Commander reads option env variables while parsing; the resolution gets `env` explicitly.
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  try {
    const command = roleCommand();
    await command.parseAsync(args, { from: 'user' });
    let printed = '';
    const stdout = new Writable({ write(chunk, _enc, done) { printed += String(chunk); done(); } });
    const role = await prepareRole(command, { role: 'role', kafka: true, elasticsearch: true, secrets: [PASSWORD], ...spec }, { stdout, env });
    return { role, command, printed };
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
  }
}

async function problemsOf(args: string[], env: NodeJS.ProcessEnv = {}): Promise<readonly string[]> {
  try {
    await prepared(args, env);
  } catch (error) {
    assert.ok(error instanceof RoleConfigError, `expected RoleConfigError, got ${String(error)}`);
    return error.problems;
  }
  return assert.fail('expected problems');
}

describe('role config', () => {
  let dir: string;
  const file = (name: string): string => path.join(dir, name);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-role-config-'));
    await writeFile(file('es-password'), 'es-Pa55word\n');
    await writeFile(file('es-api-key'), 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==');
    await writeFile(file('kafka-password'), 'kafka-scram-secret');
    await writeFile(file('empty'), '\n');
    await writeFile(file('ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('config files', () => {
    it('lists every problem: unknown keys with did-you-mean, bad values, wrong types, command-line-only keys', () => {
      const command = roleCommand();
      const doc = { kafkaSaslUsername: 'x', 'retention-dayz': 3, 'retention-days': 'soon', mode: 'turbo', http: 'no', resources: { a: 1 }, config: 'other.yaml', totally: 1 };
      const { problems } = checkConfigDocument(doc, command, 'role.yaml');
      assert.deepEqual(problems, [
        'role.yaml: kafkaSaslUsername: unknown key (did you mean kafka-sasl-username?)',
        'role.yaml: retention-dayz: unknown key (did you mean retention-days?)',
        "role.yaml: retention-days: expected an integer, got 'soon'",
        'role.yaml: mode: expected one of fast, safe, got "turbo"',
        'role.yaml: http: expected true or false, got "no"',
        'role.yaml: resources: item 0: expected a string or number, got a mapping',
        'role.yaml: config: only on the command line',
        'role.yaml: totally: unknown key',
      ]);
    });

    it('accepts what the command line accepts: parsed numbers, lists, negated flags', () => {
      const { assignments, problems } = checkConfigDocument({ 'retention-days': 14, resources: ['a', 'b'], http: false, 'kafka-sasl-mechanism': 'scram-sha-512' }, roleCommand(), 'f');
      assert.deepEqual(problems, []);
      assert.deepEqual(assignments.map((a) => [a.attribute, a.value]), [['retentionDays', 14], ['resources', ['a', 'b']], ['http', false], ['kafkaSaslMechanism', 'scram-sha-512']]);
    });

    it('reports YAML syntax errors with line and column, and duplicate keys', () => {
      const bad = parseConfigText('brokers: a\nretention-days: [1\n', 'x.yaml');
      assert.ok(bad.problems.length > 0);
      assert.match(bad.problems[0]!, /^x\.yaml:\d+:\d+: /);
      assert.match(parseConfigText('brokers: a\nbrokers: b\n', 'x.yaml').problems.join('\n'), /x\.yaml:2:1: Map keys must be unique/);
    });

    it('suggests only close names', () => {
      assert.equal(closestName('elasticsearch-pasword-file', ['elasticsearch-password-file', 'brokers']), 'elasticsearch-password-file');
      assert.equal(closestName('xyz', ['elasticsearch-password-file', 'brokers']), undefined);
    });
  });

  describe('precedence: command line > config file > environment > default', () => {
    it('applies each source where the stronger ones are silent', async () => {
      await writeFile(file('role.yaml'), 'brokers: from-file:9092\nretention-days: 30\nmode: safe\n');
      const { command } = await prepared(['--config', file('role.yaml'), '--retention-days', '3'], { TEST_ROLE_BROKERS: 'from-env:9092' });
      assert.equal(command.getOptionValue('retentionDays'), 3); // command line over file
      assert.equal(command.getOptionValueSource('retentionDays'), 'cli');
      assert.equal(command.getOptionValue('brokers'), 'from-file:9092'); // file over environment
      assert.equal(command.getOptionValueSource('brokers'), 'config');
      assert.equal(command.getOptionValue('mode'), 'safe');
      const envOnly = await prepared([], { TEST_ROLE_BROKERS: 'from-env:9092' });
      assert.equal(envOnly.command.getOptionValue('brokers'), 'from-env:9092'); // environment over default
      assert.equal((await prepared([])).command.getOptionValue('brokers'), '127.0.0.1:9092');
    });

    it('a missing config file is an error naming it', async () => {
      assert.deepEqual(await problemsOf(['--config', file('nope.yaml')]), [`--config ${file('nope.yaml')}: no such file`]);
    });
  });

  describe('secrets', () => {
    it('come from files or the environment; a file option wins over the environment', async () => {
      const fromFile = await prepared(['--password-file', file('es-password')], { TEST_ROLE_PASSWORD: 'from-env-secret' });
      assert.equal(fromFile.role?.secrets.get('password')?.reveal(), 'es-Pa55word'); // trailing newline dropped
      assert.equal(fromFile.role?.secrets.get('password')?.toString(), `<redacted from file ${file('es-password')}>`);
      const fromEnv = await prepared([], { TEST_ROLE_PASSWORD: 'from-env-secret' });
      assert.equal(fromEnv.role?.secrets.get('password')?.toString(), '<redacted from env TEST_ROLE_PASSWORD>');
    });

    it('still accept the legacy value option, with a warning, and never both in one place', async () => {
      const legacy = await prepared(['--password', 'legacy-argv-secret']);
      assert.equal(legacy.role?.secrets.get('password')?.reveal(), 'legacy-argv-secret');
      assert.equal(legacy.role?.secrets.get('password')?.origin.kind, 'argv');
      assert.deepEqual(await problemsOf(['--password', 'x', '--password-file', file('es-password')]), ['--password and --password-file: give one of them']);
    });

    it('an empty or missing secret file is an error naming the option', async () => {
      assert.deepEqual(await problemsOf(['--password-file', file('empty')]), [`--password-file: ${file('empty')} is empty`]);
      assert.deepEqual(await problemsOf(['--password-file', file('absent')]), [`--password-file: cannot read ${file('absent')}: no such file`]);
    });

    it('print as where they came from, in JSON, inspect and string form', () => {
      const secret = new Secret('hunter2-very-secret', { kind: 'env', name: 'X' });
      assert.equal(JSON.stringify({ secret }), '{"secret":"<redacted from env X>"}');
      assert.equal(inspect({ secret }), "{ secret: <redacted from env X> }");
      assert.equal(`${secret}`, '<redacted from env X>');
    });

    it('are redacted from any text, raw and JSON-escaped, and so are URL credentials', () => {
      registerSecret('pa"ss\\word-1234');
      assert.equal(redactSecrets(JSON.stringify({ msg: 'failed with pa"ss\\word-1234' })), '{"msg":"failed with <redacted>"}');
      assert.equal(redactSecrets('connect https://elastic:changeme@es:9200/_bulk failed'), 'connect https://<redacted>@es:9200/_bulk failed');
    });
  });

  describe('--print-config', () => {
    it('prints the effective settings with their sources, secrets as their origin, and no secret value', async () => {
      await writeFile(file('print.yaml'), 'retention-days: 30\nkafka-sasl-mechanism: scram-sha-512\nkafka-sasl-username: enricher\n');
      const { role, printed } = await prepared(
        ['--config', file('print.yaml'), '--print-config', '--elasticsearch', 'https://es.example:9200', '--elasticsearch-username', 'segflow', '--elasticsearch-password-file', file('es-password'), '--kafka-ca-file', file('ca.pem'), '--password', 'legacy-argv-secret'],
        { SEGFLOW_KAFKA_SASL_PASSWORD: 'kafka-env-secret' },
      );
      assert.equal(role, null, 'the role does not run');
      assert.match(printed, /^retention-days: 30 # config file$/m);
      assert.match(printed, /^elasticsearch: https:\/\/es\.example:9200 # command line$/m);
      assert.match(printed, /^brokers: 127\.0\.0\.1:9092 # default$/m);
      assert.match(printed, new RegExp(`^  elasticsearch-password: <redacted from file ${file('es-password').replace(/[.]/g, '\\.')}>$`, 'm'));
      assert.match(printed, /^ {2}kafka-sasl-password: <redacted from env SEGFLOW_KAFKA_SASL_PASSWORD>$/m);
      assert.match(printed, /^ {2}password: <redacted from the command line --password>$/m);
      for (const secret of ['es-Pa55word', 'kafka-env-secret', 'legacy-argv-secret']) assert.ok(!printed.includes(secret), `${secret} printed`);
    });

    it('redacts credentials embedded in the Elasticsearch URL', async () => {
      const { printed } = await prepared(['--print-config', '--elasticsearch', 'https://elastic:url-secret-77@es:9200']);
      assert.match(printed, /^elasticsearch: https:\/\/<redacted>@es:9200 # command line$/m);
      assert.ok(!printed.includes('url-secret-77'));
    });
  });

  describe('Elasticsearch connection options', () => {
    it('basic auth, API key and bearer token from files or env', async () => {
      const basic = await prepared(['--elasticsearch-username', 'segflow', '--elasticsearch-password-file', file('es-password')]);
      assert.equal(basic.role?.elasticsearch?.auth?.kind, 'basic');
      const key = await prepared(['--elasticsearch-api-key-file', file('es-api-key'), '--elasticsearch', 'https://es:9200', '--elasticsearch-ca-file', file('ca.pem')]);
      assert.deepEqual({ kind: key.role?.elasticsearch?.auth?.kind, ca: key.role?.elasticsearch?.caFile }, { kind: 'apiKey', ca: file('ca.pem') });
      const bearer = await prepared([], { SEGFLOW_ELASTICSEARCH_BEARER_TOKEN: 'bearer-from-env' });
      assert.equal(bearer.role?.elasticsearch?.auth?.kind, 'bearer');
      // An option naming a method wins over a method the environment offers.
      const chosen = await prepared(['--elasticsearch-username', 'u'], { SEGFLOW_ELASTICSEARCH_API_KEY: 'k', SEGFLOW_ELASTICSEARCH_PASSWORD: 'p' });
      assert.equal(chosen.role?.elasticsearch?.auth?.kind, 'basic');
    });

    it('reports every conflict and gap at once', async () => {
      assert.deepEqual(await problemsOf([
        '--elasticsearch', 'http://u:p@es:9200', '--elasticsearch-ca-fingerprint', 'zz', '--elasticsearch-ca-file', file('ca.pem'),
        '--elasticsearch-api-key-file', file('es-api-key'), '--elasticsearch-bearer-token-file', file('es-password'),
      ]), [
        '--elasticsearch-ca-file and --elasticsearch-ca-fingerprint: give one of them',
        '--elasticsearch-ca-fingerprint: expected a SHA-256 fingerprint (64 hex digits, colons allowed), got "zz"',
        '--elasticsearch http://es:9200: a CA is given but the URL is http; use https://',
        'Elasticsearch authentication: --elasticsearch-api-key-file and --elasticsearch-bearer-token-file each pick a method; give one',
      ]);
      assert.deepEqual(await problemsOf(['--elasticsearch-username', 'u']), ['--elasticsearch-username: needs a password: --elasticsearch-password-file PATH or env SEGFLOW_ELASTICSEARCH_PASSWORD']);
      assert.deepEqual(await problemsOf(['--elasticsearch-password-file', file('es-password')]), ['--elasticsearch-password-file: needs --elasticsearch-username']);
      assert.deepEqual(await problemsOf(['--elasticsearch', 'https://u:p@es:9200', '--elasticsearch-api-key-file', file('es-api-key')]), ['--elasticsearch: the URL holds credentials and --elasticsearch-api-key-file gives others; give one']);
      assert.deepEqual(await problemsOf([], { SEGFLOW_ELASTICSEARCH_API_KEY: 'k', SEGFLOW_ELASTICSEARCH_BEARER_TOKEN: 't' }), ['Elasticsearch authentication: env SEGFLOW_ELASTICSEARCH_API_KEY and env SEGFLOW_ELASTICSEARCH_BEARER_TOKEN each pick a method; give one']);
    });
  });

  describe('Kafka connection options', () => {
    it('resolve into KafkaSecurity: TLS implied by a CA, SCRAM with the password from a file', async () => {
      const { role } = await prepared(['--kafka-ca-file', file('ca.pem'), '--kafka-sasl-mechanism', 'scram-sha-512', '--kafka-sasl-username', 'enricher', '--kafka-sasl-password-file', file('kafka-password')]);
      assert.deepEqual(role?.kafkaSecurity, { tls: { caFile: file('ca.pem') }, sasl: { mechanism: 'scram-sha-512', username: 'enricher', password: 'kafka-scram-secret' } });
      assert.deepEqual((await prepared([])).role?.kafkaSecurity, { tls: null, sasl: null });
      // A password in the environment alone does not turn SASL on (the variable may be meant for another process).
      assert.deepEqual((await prepared([], { SEGFLOW_KAFKA_SASL_PASSWORD: 'x' })).role?.kafkaSecurity, { tls: null, sasl: null });
    });

    it('reports every problem at once', async () => {
      assert.deepEqual(await problemsOf(['--kafka-cert-file', file('ca.pem'), '--kafka-ca-file', file('absent.pem'), '--kafka-sasl-username', 'u']), [
        `--kafka-ca-file ${file('absent.pem')}: no such file`,
        '--kafka-cert-file and --kafka-key-file go together (a client certificate needs its key)',
        '--kafka-sasl-username: needs --kafka-sasl-mechanism (plain, scram-sha-256 or scram-sha-512)',
      ]);
      assert.deepEqual(await problemsOf(['--kafka-sasl-mechanism', 'plain', '--kafka-sasl-username', 'u'], { SEGFLOW_KAFKA_SASL_PASSWORD: 'x' }), [
        '--kafka-sasl-mechanism plain without TLS would send the password in clear text; add --kafka-tls (and --kafka-ca-file)',
      ]);
      assert.deepEqual(await problemsOf(['--kafka-tls', '--kafka-sasl-mechanism', 'scram-sha-256', '--kafka-sasl-username', 'u']), [
        '--kafka-sasl-mechanism scram-sha-256: needs a password: --kafka-sasl-password-file PATH or env SEGFLOW_KAFKA_SASL_PASSWORD',
      ]);
    });
  });
});

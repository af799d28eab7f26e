/**
 * The kafkajs log creator of secured clients: no secret leaves (messages, stacks, nested broker
 * configuration, buffers), a storm of equal entries is one line plus a count, and entries about
 * fatal failures drop to debug (the role reports those once, in its own words).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logLevel, type LogEntry } from 'kafkajs';
import { REDACTED, kafkaLogCreator, redactKafkaLogValue, type KafkaLogLevel } from '../../../src/runtime/kafka-log.ts';

const PASSWORD = 'Sup3r-S3cret-pw';
const KEY_PASSWORD = 'key-pass-77';

function capture(options: { now?: () => number; repeatWindowMs?: number } = {}) {
  const lines: Array<{ level: KafkaLogLevel; fields: Record<string, unknown>; message: string }> = [];
  const log = kafkaLogCreator((level, fields, message) => lines.push({ level, fields, message }), { secrets: [PASSWORD, KEY_PASSWORD], ...options })(logLevel.DEBUG);
  const entry = (level: logLevel, namespace: string, message: string, extra: Record<string, unknown> = {}): void =>
    log({ namespace, level, label: 'x', log: { timestamp: '2026-01-01T00:00:00Z', logger: 'kafkajs', message, ...extra } } as LogEntry);
  return { lines, entry };
}

describe('kafka log creator', () => {
  it('never emits a secret: not in messages, stacks, nested configuration or buffers', () => {
    const { lines, entry } = capture();
    // The shapes kafkajs (and code around it) can log: the client configuration with sasl/ssl,
    // an error whose text quotes the password, a request payload buffer, a stack.
    entry(logLevel.ERROR, 'Broker', `Failed to connect with password ${PASSWORD}`, {
      broker: 'kafka-1:9093',
      config: { sasl: { mechanism: 'plain', username: 'u', password: PASSWORD }, ssl: { key: '-----BEGIN PRIVATE KEY-----abc', passphrase: KEY_PASSWORD } },
      stack: `Error: bad ${PASSWORD}\n    at x (y.js:1:1)`,
      payload: Buffer.from(`\u0000u\u0000${PASSWORD}`),
      nested: [{ password: PASSWORD }, { note: `pw=${KEY_PASSWORD}` }],
      error: new Error(`auth ${PASSWORD}`),
    });
    assert.equal(lines.length, 1);
    const text = JSON.stringify(lines);
    assert.ok(!text.includes(PASSWORD), text);
    assert.ok(!text.includes(KEY_PASSWORD), text);
    assert.ok(!text.includes('BEGIN PRIVATE KEY'), text);
    const fields = lines[0]!.fields as { config: { sasl: string; ssl: string }; payload: string; broker: string };
    assert.equal(fields.config.sasl, REDACTED);
    assert.equal(fields.config.ssl, REDACTED);
    assert.equal(fields.payload, `[${Buffer.byteLength(`\u0000u\u0000${PASSWORD}`)} bytes]`);
    assert.equal(fields.broker, 'kafka-1:9093', 'what is not secret stays');
    assert.equal(lines[0]!.message, `Failed to connect with password ${REDACTED}`);
  });

  it('keeps harmless flags such as ssl: false and sasl: false', () => {
    assert.deepEqual(redactKafkaLogValue({ ssl: false, sasl: false, host: 'h' }, []), { ssl: false, sasl: false, host: 'h' });
  });

  it('logs an error once per window and then says how many equal ones it suppressed', () => {
    let t = 0;
    const { lines, entry } = capture({ now: () => t, repeatWindowMs: 60_000 });
    for (let i = 0; i < 50; i++) {
      entry(logLevel.ERROR, 'Connection', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092' });
      t += 500;
    }
    assert.equal(lines.length, 1, 'a storm of 50 equal errors in 25 s is one line');
    t += 60_000;
    entry(logLevel.ERROR, 'Connection', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    assert.equal(lines.length, 2);
    assert.equal(lines[1]!.fields.suppressedRepeats, 49);
    entry(logLevel.ERROR, 'Connection', 'Connection error: connect ECONNREFUSED 127.0.0.1:9093');
    assert.equal(lines.length, 3, 'a different message is logged');
  });

  it('drops entries about fatal failures to debug and leaves others at their level', () => {
    const { lines, entry } = capture();
    entry(logLevel.ERROR, 'Connection', 'Connection error: self-signed certificate in certificate chain');
    entry(logLevel.ERROR, 'SaslAuthenticator-SCRAM-SHA-512', 'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
    entry(logLevel.ERROR, 'Connection', 'Response Metadata(key: 3, version: 6)', { error: 'Not authorized to access topics: [Topic authorization failed]' });
    entry(logLevel.ERROR, 'Connection', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    entry(logLevel.WARN, 'Consumer', 'consumer#run was called, but the consumer is already running');
    assert.deepEqual(lines.map((l) => l.level), ['debug', 'debug', 'debug', 'error', 'warn']);
  });

  it('drops a transaction refused while the previous one completes (CONCURRENT_TRANSACTIONS, retried) to debug', () => {
    const { lines, entry } = capture();
    entry(logLevel.ERROR, 'Connection', 'Response AddPartitionsToTxn(key: 24, version: 1)', { error: 'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing' });
    entry(logLevel.ERROR, 'Producer', 'Failed to send messages: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing');
    entry(logLevel.ERROR, 'Connection', 'Response AddPartitionsToTxn(key: 24, version: 1)', { error: 'The producer attempted to use a producer id which is not currently assigned to its transactional id' });
    assert.deepEqual(lines.map((l) => l.level), ['debug', 'debug', 'error']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadServicesConfig } from '../../../src/services/services-config.ts';
import { parseBrokerList } from '../../../src/runtime/kafka-client.ts';

describe('services configuration', () => {
  it('defaults to ports 9092 and 9200', () => {
    const config = loadServicesConfig({});
    assert.equal(config.kafka.port, 9092);
    assert.equal(config.elasticsearch.port, 9200);
    assert.equal(config.elasticsearch.runAsUser, 'segflow');
  });

  it('takes ports and folders from the environment', () => {
    const config = loadServicesConfig({ SEGFLOW_KAFKA_PORT: '19092', SEGFLOW_ES_PORT: '19200', SEGFLOW_SERVICES_DIR: '/tmp/x' });
    assert.equal(config.kafka.port, 19092);
    assert.equal(config.elasticsearch.port, 19200);
    assert.equal(config.baseDir, '/tmp/x');
  });

  it('rejects a port that is not a number, naming the variable', () => {
    assert.throws(() => loadServicesConfig({ SEGFLOW_ES_PORT: 'nine' }), /SEGFLOW_ES_PORT=nine is not a positive integer/);
  });
});

describe('Kafka broker lists', () => {
  it('parses host:port lists', () => {
    assert.deepEqual(parseBrokerList('127.0.0.1:9092, kafka:19092'), ['127.0.0.1:9092', 'kafka:19092']);
  });
  it('rejects entries without a port, naming the entry', () => {
    assert.throws(() => parseBrokerList('127.0.0.1:9092,kafka'), /bad Kafka broker address 'kafka'/);
    assert.throws(() => parseBrokerList(' , '), /no Kafka brokers given/);
  });
});

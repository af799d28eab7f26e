import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadServicesConfig } from '../../../src/services/services-config.ts';
import { LocalServices } from '../../../src/services/local-services.ts';

describe('services configuration for clusters', () => {
  it('keeps one broker and one node, with their usual heaps and folders, by default', () => {
    const config = loadServicesConfig({ SEGFLOW_SERVICES_DIR: '/tmp/x' });
    assert.equal(config.kafka.brokers, 1);
    assert.equal(config.elasticsearch.nodes, 1);
    assert.deepEqual(config.kafka.ports, [9092]);
    assert.equal(config.kafka.heap, '1g');
    assert.equal(config.elasticsearch.heap, '2g');
    const services = new LocalServices(config);
    assert.deepEqual(services.kafkaBrokers.map((b) => b.name), ['kafka']);
    assert.deepEqual(services.elasticsearchNodes.map((n) => n.name), ['elasticsearch']);
    assert.equal(services.kafka.bootstrap, '127.0.0.1:9092');
  });

  it('spreads a cluster over ports apart from one another, with small heaps', () => {
    const config = loadServicesConfig({ SEGFLOW_KAFKA_BROKER_COUNT: '3', SEGFLOW_ES_NODE_COUNT: '3' });
    assert.deepEqual(config.kafka.ports, [9092, 9192, 9292]);
    assert.deepEqual(config.kafka.controllerPorts, [9093, 9193, 9293]);
    assert.deepEqual(config.elasticsearch.ports, [9200, 9201, 9202]);
    assert.deepEqual(config.elasticsearch.transportPorts, [9300, 9301, 9302]);
    assert.equal(config.kafka.heap, '384m');
    assert.equal(config.elasticsearch.heap, '768m');
    const services = new LocalServices(config);
    assert.equal(services.kafka.bootstrap, '127.0.0.1:9092,127.0.0.1:9192,127.0.0.1:9292');
    assert.deepEqual(services.elasticsearchNodes.map((n) => n.url), ['http://127.0.0.1:9200', 'http://127.0.0.1:9201', 'http://127.0.0.1:9202']);
    assert.deepEqual(services.kafkaBrokers.map((b) => b.name), ['kafka-1', 'kafka-2', 'kafka-3']);
  });

  it('takes explicit port lists', () => {
    const config = loadServicesConfig({ SEGFLOW_KAFKA_BROKER_COUNT: '2', SEGFLOW_KAFKA_PORTS: '1001, 1002', SEGFLOW_KAFKA_CONTROLLER_PORTS: '1003,1004' });
    assert.deepEqual(config.kafka.ports, [1001, 1002]);
    assert.equal(config.kafka.port, 1001);
    assert.equal(config.kafka.controllerPort, 1003);
  });

  it('names every problem of a port list, and ports given twice', () => {
    assert.throws(() => loadServicesConfig({ SEGFLOW_KAFKA_BROKER_COUNT: '3', SEGFLOW_KAFKA_PORTS: '1,x' }), /SEGFLOW_KAFKA_PORTS=1,x: 2 port\(s\) for 3 node\(s\); 'x' is not a port/);
    assert.throws(() => loadServicesConfig({ SEGFLOW_ES_NODE_COUNT: '2', SEGFLOW_ES_PORT: '9300' }), /port\(s\) 9300, 9301 given to more than one listener/);
    assert.throws(() => loadServicesConfig({ SEGFLOW_ES_NODE_COUNT: '0' }), /SEGFLOW_ES_NODE_COUNT=0 is not a node count from 1 to 9/);
  });
});

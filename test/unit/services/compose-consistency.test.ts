/**
 * docker-compose.yml cannot run here (no Docker engine), so this keeps it honest against the
 * local runner: same Kafka and Elasticsearch versions, same ports, Kibana of the same version.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadServicesConfig, projectRoot } from '../../../src/services/services-config.ts';

interface ComposeService { image: string; ports?: string[]; healthcheck?: unknown; environment?: Record<string, unknown> }

describe('docker-compose.yml matches the local runner', async () => {
  const compose = parse(await readFile(path.join(projectRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
  const defaults = loadServicesConfig({});
  const { kafka, elasticsearch, kibana } = compose.services;

  it('runs the same Kafka version on the same port, in KRaft mode', () => {
    assert.equal(kafka?.image, `apache/kafka:${defaults.kafka.version}`);
    assert.ok(kafka?.ports?.some((p) => p.endsWith(`:${defaults.kafka.port}:${defaults.kafka.port}`)));
    assert.equal(kafka?.environment?.KAFKA_PROCESS_ROLES, 'broker,controller');
  });

  it('runs the same Elasticsearch version on the same port, and Kibana of that version', () => {
    assert.equal(elasticsearch?.image, `docker.elastic.co/elasticsearch/elasticsearch:${defaults.elasticsearch.version}`);
    assert.ok(elasticsearch?.ports?.some((p) => p.endsWith(`:${defaults.elasticsearch.port}:9200`)));
    assert.equal(kibana?.image, `docker.elastic.co/kibana/kibana:${defaults.elasticsearch.version}`);
  });

  it('has a health check on every service', () => {
    for (const [name, service] of Object.entries(compose.services)) assert.ok(service.healthcheck, `${name} has a healthcheck`);
  });
});

/** The services configuration's Elasticsearch security switch: off by default, one node only. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadServicesConfig } from '../../../src/services/services-config.ts';

describe('services config: Elasticsearch security', () => {
  it('is off unless a password file for the elastic user is given', () => {
    assert.equal(loadServicesConfig({}).elasticsearch.security, undefined);
    assert.equal(loadServicesConfig({ SEGFLOW_ES_ELASTIC_PASSWORD_FILE: '' }).elasticsearch.security, undefined);
  });

  it('takes the password file as an absolute path', () => {
    const config = loadServicesConfig({ SEGFLOW_ES_ELASTIC_PASSWORD_FILE: 'secrets/elastic.pw' });
    assert.deepEqual(config.elasticsearch.security, { elasticPasswordFile: path.resolve('secrets/elastic.pw') });
  });

  it('refuses security for a cluster of several nodes, naming both settings', () => {
    assert.throws(
      () => loadServicesConfig({ SEGFLOW_ES_ELASTIC_PASSWORD_FILE: '/x', SEGFLOW_ES_NODE_COUNT: '3' }),
      /SEGFLOW_ES_ELASTIC_PASSWORD_FILE .*single node only.*SEGFLOW_ES_NODE_COUNT=3/,
    );
  });
});

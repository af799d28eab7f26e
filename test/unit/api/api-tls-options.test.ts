/**
 * The API's HTTPS and client-certificate options, and the tokens file's hashed entries: option
 * combinations that cannot work are refused naming the options, `segflow api hash-token`'s
 * entry parses back to the same principal, plain-text tokens are reported, certificate entries
 * are looked up by subject CN.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { apiTlsFromOptions, apiTlsProblems } from '../../../src/api/api-command.ts';
import { parseTokenConfig, tokenDigest, tokenEntryYaml } from '../../../src/api/auth/tokens.ts';
import { resolveApiConfig } from '../../../src/api/config.ts';

describe('API TLS options', () => {
  it('need a certificate and its key together, and a client CA for client authentication', () => {
    assert.deepEqual(apiTlsProblems({ tlsCertFile: 'c.pem' }), ['--tls-cert-file and --tls-key-file go together']);
    assert.deepEqual(apiTlsProblems({ tlsClientAuth: 'optional' }), [
      '--tls-client-ca-file/--tls-client-auth need HTTPS (--tls-cert-file and --tls-key-file)',
      '--tls-client-auth optional: needs --tls-client-ca-file',
    ]);
    assert.deepEqual(apiTlsProblems({ tlsCertFile: 'c', tlsKeyFile: 'k', tlsClientCaFile: 'ca' }), []);
  });

  it('a client CA alone means client certificates are required', () => {
    assert.equal(apiTlsFromOptions({}), null);
    assert.deepEqual(apiTlsFromOptions({ tlsCertFile: 'c', tlsKeyFile: 'k' }), { certFile: 'c', keyFile: 'k', clientAuth: 'none' });
    assert.equal(apiTlsFromOptions({ tlsCertFile: 'c', tlsKeyFile: 'k', tlsClientCaFile: 'ca' })?.clientAuth, 'require');
    assert.equal(apiTlsFromOptions({ tlsCertFile: 'c', tlsKeyFile: 'k', tlsClientCaFile: 'ca', tlsClientAuth: 'optional' })?.clientAuth, 'optional');
  });

  it('the API config refuses client authentication without a CA and a bad metrics port', () => {
    assert.throws(() => resolveApiConfig({ tls: { certFile: 'c', keyFile: 'k', clientAuth: 'require' } }), /--tls-client-auth require needs --tls-client-ca-file/);
    assert.throws(() => resolveApiConfig({ metricsPort: 70000 }), /metricsPort must be ≤ 65535/);
    assert.equal(resolveApiConfig({}).tls, null);
  });
});

describe('tokens file', () => {
  const TOKEN = 'tok_3b1f0c9e2d7a4e58b6c1';

  it('hash-token prints an entry that parses back to the same principal, without the token', () => {
    const entry = tokenEntryYaml(TOKEN, { name: 'shop-team', role: 'viewer', namespaces: ['shop', 'data'] });
    assert.ok(!entry.includes(TOKEN));
    assert.match(entry, new RegExp(`sha256: "${tokenDigest(TOKEN)}"`));
    const table = parseTokenConfig(parseYaml(`tokens:\n${entry}`));
    assert.deepEqual(table.warnings, []);
    assert.deepEqual(table.lookup(TOKEN), { name: 'shop-team', role: 'viewer', scope: { namespaces: ['data', 'shop'] } });
    assert.throws(() => tokenEntryYaml('short', { name: 'x', role: 'viewer' }), /at least 16 characters/);
    assert.throws(() => tokenEntryYaml('has a space in it 123', { name: 'x', role: 'viewer' }), /printable ASCII without spaces/);
  });

  it('plain-text tokens still work but are reported with the digest to store instead', () => {
    const table = parseTokenConfig({ tokens: [{ name: 'ops', token: TOKEN, role: 'admin' }] }, 'tokens.yaml');
    assert.equal(table.lookup(TOKEN)?.name, 'ops');
    assert.equal(table.warnings.length, 1);
    assert.match(table.warnings[0]!, /^tokens\.yaml: tokens\[0\] \(ops\): the token is stored in plain text; store its digest instead: sha256: "[0-9a-f]{64}"/);
    assert.ok(!table.warnings[0]!.includes(TOKEN));
  });

  it('certificate entries map a client certificate subject CN to a principal', () => {
    const table = parseTokenConfig({ tokens: [{ name: 'reporting', certificateCN: 'reporting-job', role: 'viewer', namespaces: ['shop'] }] });
    assert.equal(table.lookupCertificate('reporting-job')?.name, 'reporting');
    assert.equal(table.lookupCertificate('other'), undefined);
    assert.throws(() => parseTokenConfig({ tokens: [{ name: 'a', certificateCN: 'x', sha256: 'a'.repeat(64), role: 'viewer' }] }), /tokens\[0\]: give one of sha256, token, certificateCN/);
  });
});

/**
 * `segflow recommend`'s request body from its options (every bad option named at once) and the
 * summary it prints from an answer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recommendationBody, recommendationSummary, type RecommendOptions } from '../../../src/cli/recommend-command.ts';

const BASE: RecommendOptions = { apiUrl: 'http://127.0.0.1:8080', namespace: 'data', output: 'staged', dns: true, networkSets: 'namespaced', format: 'yaml' };

describe('segflow recommend', () => {
  it('maps options to the API body', () => {
    assert.deepEqual(recommendationBody({ ...BASE, workload: 'postgres', from: 'now-24h', tier: 'security', order: '10', dnsNamespace: 'dns', dnsLabel: ['app=coredns', 'tier='] }), {
      namespace: 'data', output: 'staged', network_sets: 'namespaced', workload: 'postgres', from: 'now-24h', tier: 'security', order: 10,
      dns_namespace: 'dns', dns_labels: { app: 'coredns', tier: '' },
    });
    assert.equal(recommendationBody({ ...BASE, dns: false }).dns, false, '--no-dns');
  });

  it('names every bad option at once', () => {
    assert.throws(() => recommendationBody({ ...BASE, order: 'ten', dnsLabel: ['app'] }), (e: Error) =>
      /--order: expected a non-negative number, got "ten"/.test(e.message) && /--dns-label: expected key=value, got "app"/.test(e.message));
  });

  it('summarises the answer, and says when the replay did not verify it', () => {
    const answer = {
      yaml: '', range: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' },
      workloads: [{ name: 'postgres', policy: 'security.recommended-postgres', selector: "app == 'postgres'", ingress_rules: 3, egress_rules: 2, flows: 7 }],
      network_sets: [{ name: 'postgres-egress-external', nets: ['203.0.113.9/32'] }],
      dns: { note: 'no DNS flows were observed in the range; …' }, warnings: ['w1'],
      observed: { allowed: 10, denied_not_recommended: 2, truncated: false },
      replay: { evaluated: 12, allowed_kept: 9, allowed_not_replayed: 2, allow_to_deny: 1, deny_to_allow: 0, verified: false, truncated: false, changed_groups: [{ key: 'shop/checkout-* → data/postgres-* tcp/5432 allow→deny', flows: 1 }] },
    };
    const text = recommendationSummary(answer);
    assert.match(text, /security\.recommended-postgres: app == 'postgres' — 3 ingress, 2 egress rule\(s\), 7 report\(s\)/);
    assert.match(text, /network set postgres-egress-external: 203\.0\.113\.9\/32/);
    assert.match(text, /warning: w1/);
    assert.match(text, /9 allowed flow\(s\) stay allowed, 1 allowed → denied/);
    assert.match(text, /changed: shop\/checkout-\* → data\/postgres-\* tcp\/5432 allow→deny \(1\)/);
    assert.match(text, /2 allowed report\(s\) could not be replayed: an end had neither a stored address nor a representative/);
    assert.match(text, /NOT verified/);
  });
});

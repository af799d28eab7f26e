/** `segflow fix`: the request body from the options (every bad option named) and the summary. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixRequestBody, fixSummary, fixVerified, type FixAnswer, type FixOptions } from '../../../src/cli/fix-command.ts';

const base: FixOptions = { src: '10.244.1.10', dst: '10.244.2.10', protocol: 'tcp', dstPort: '5432', hours: '24', format: 'yaml', apiUrl: 'http://127.0.0.1:8080' };

describe('segflow fix', () => {
  it('builds the body with numbers and the staged flag', () => {
    assert.deepEqual(fixRequestBody({ ...base, staged: true, time: '2026-12-01T10:00:00Z' }), {
      src: '10.244.1.10', dst: '10.244.2.10', protocol: 'tcp', hours: 24, dst_port: 5432, time: '2026-12-01T10:00:00Z', staged: true,
    });
  });

  it('names every bad option at once', () => {
    assert.throws(() => fixRequestBody({ ...base, dstPort: '70000', srcPort: 'x', hours: '0' }),
      /--dst-port: expected an integer 0-65535, got "70000"; --src-port: expected an integer 0-65535, got "x"; --hours: expected an integer 1-10000, got "0"/);
  });

  const answer = (others: number, found = true): FixAnswer => ({
    allowed: true,
    before: { verdict: 'deny', egress: { trace: ['0|default|np:shop/default.frontend|deny|-1'] }, ingress: { trace: [] } },
    after: { verdict: 'allow', egress: { trace: ['0|default|np:shop/default.frontend|allow|2'] }, ingress: { trace: [] } },
    edits: [{ policy: { kind: 'NetworkPolicy', namespace: 'shop', name: 'default.frontend' }, action: 'Allow', index: 2, reason: 'egress: end of tier' }],
    changes: [{ diff: '', apply_with: 'calicoctl', kind: 'NetworkPolicy', namespace: 'shop', name: 'default.frontend' }],
    yaml: 'x',
    replay: {
      range: { from: 'a', to: 'b' }, evaluated: 40, deny_to_allow: 2 + others, allow_to_deny: 0, truncated: false, target_found: found, target_flows: found ? 2 : 0,
      allowed_groups: [{ key: 'shop/frontend → data/postgres', flows: 2, target: true }],
      other_changes: others > 0 ? [{ key: 'shop/frontend → data/redis', flows: others, target: false }] : [], other_changed_flows: others,
    },
    notes: ['a note'],
  });

  it('summarises a verified fix', () => {
    const a = answer(0);
    assert.equal(fixVerified(a), true);
    const text = fixSummary(a);
    assert.match(text, /edit NetworkPolicy shop\/default\.frontend: Allow rule at 2 — egress: end of tier/);
    assert.match(text, /replay a \.\. b: 40 flow\(s\) evaluated, 2 denied → allowed, 0 allowed → denied/);
    assert.match(text, /allowed now: shop\/frontend → data\/postgres \(2\) ← target/);
    assert.match(text, /verified: the target group \(2 flow\(s\)\) is allowed and no other flow changes verdict/);
    assert.match(text, /note: a note/);
  });

  it('says why a fix is not verified', () => {
    assert.equal(fixVerified(answer(3)), false);
    assert.match(fixSummary(answer(3)), /also changes: shop\/frontend → data\/redis \(3\)\nNOT verified: 3 other flow\(s\) change verdict/);
    assert.match(fixSummary(answer(0, false)), /NOT verified: the target group has no stored flow in the range/);
  });
});

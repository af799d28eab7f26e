/** The denied view's deciding steps in words (src/ui/app/rule-words.ts), like `segflow explain`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuleId, ruleIdInWords, stepInWords } from '../../../src/ui/app/rule-words.ts';

describe('rule ids in words', () => {
  it('parses a rule id', () => {
    assert.deepEqual(parseRuleId('np:payments/default.allow-from-cart:ingress:-1'), { kind: 'np', policy: 'payments/default.allow-from-cart', direction: 'ingress', index: -1 });
    assert.equal(parseRuleId('not a rule id'), undefined);
  });
  it('says end of tier instead of rule -1', () => {
    assert.equal(ruleIdInWords('np:payments/default.allow-from-cart:ingress:-1', 'default'),
      'end of tier default on ingress: np:payments/default.allow-from-cart selected the endpoint, no rule matched');
  });
  it('names profiles and plain rules', () => {
    assert.equal(ruleIdInWords('pro:kns.shop:egress:-1', '__PROFILE__'), 'profile kns.shop on egress: no policy selected the endpoint and the profile did not allow it');
    assert.equal(ruleIdInWords('pro:kns.shop:egress:0', '__PROFILE__'), 'profile kns.shop rule 0 on egress');
    assert.equal(ruleIdInWords('gnp:security.block:egress:2', 'security'), 'rule 2 of gnp:security.block on egress');
    assert.equal(ruleIdInWords('odd', null), 'odd');
  });
  it('names trace steps as the CLI does', () => {
    assert.equal(stepInWords('np', 'shop/x', -1), 'end of tier');
    assert.equal(stepInWords('np', 'shop/x', 3), 'rule 3');
    assert.equal(stepInWords('pro', 'kns.shop', -1), 'profile kns.shop');
    assert.equal(stepInWords('pro', 'kns.shop', 1), 'profile kns.shop rule 1');
  });
});

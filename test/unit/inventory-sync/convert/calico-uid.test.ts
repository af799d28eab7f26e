/** Calico's UID transform for objects read from crd.projectcalico.org/v1 (conversion.go ConvertUID). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calicoUidOf } from '../../../../src/inventory-sync/convert/calico-uid.ts';

describe('calicoUidOf', () => {
  it('gives the UID libcalico-go gives (its own test vector) and is its own inverse', () => {
    assert.equal(calicoUidOf('30316465-6365-4463-ad63-3564622d3638'), '0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c');
    assert.equal(calicoUidOf('0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c'), '30316465-6365-4463-ad63-3564622d3638');
  });

  it('keeps the version and variant bytes, so the result is still a v4 UUID', () => {
    const out = calicoUidOf('123e4567-e89b-42d3-a456-426614174000');
    assert.match(out ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('accepts the other spellings Go\'s uuid.Parse accepts and rejects non-UUIDs', () => {
    const expected = '0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c';
    assert.equal(calicoUidOf('30316465636544 63ad633564622d3638'.replace(' ', '')), expected);
    assert.equal(calicoUidOf('urn:uuid:30316465-6365-4463-AD63-3564622D3638'), expected);
    assert.equal(calicoUidOf('{30316465-6365-4463-ad63-3564622d3638}'), expected);
    for (const bad of ['not-a-uid', '', '30316465-6365-4463-ad63-3564622d363', '30316465x6365-4463-ad63-3564622d3638', 'g0316465-6365-4463-ad63-3564622d3638']) {
      assert.equal(calicoUidOf(bad), null, bad);
    }
  });
});

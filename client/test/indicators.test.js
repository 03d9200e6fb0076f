// The JS indicator evaluator must agree with schema/indicator.go on the
// shared vectors (schema/testdata/indicator_vectors.json), read from disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluate, evaluateScope } from '../web/indicators.js';

const root = new URL('../../', import.meta.url);
const template = JSON.parse(readFileSync(new URL('schema/checklists/default.json', root), 'utf8'));
const vectors = JSON.parse(readFileSync(new URL('schema/testdata/indicator_vectors.json', root), 'utf8'));

test('there are vectors for every indicator', () => {
  assert.ok(vectors.length >= 30, `${vectors.length} vectors`);
  const covered = new Set(vectors.map((v) => v.indicator));
  for (const ind of template.indicators) assert.ok(covered.has(ind.id), `no vector for ${ind.id}`);
});

for (const v of vectors) {
  test(`vector: ${v.name}`, () => {
    const ind = template.indicators.find((i) => i.id === v.indicator);
    assert.ok(ind, `unknown indicator ${v.indicator}`);
    const got = evaluate(ind, v.inputs);
    if (v.value === null) assert.equal(got.value, null, `value of ${v.indicator}`);
    else assert.ok(got.value !== null && Math.abs(got.value - v.value) <= 1e-9, `value ${got.value}; want ${v.value}`);
    assert.equal(got.band, v.band);
    assert.equal(got.applicable, v.band !== '');
    for (const [lang, want] of Object.entries(v.band_label || {})) assert.equal(got.band_label && got.band_label[lang], want, `band label in ${lang}`);
    if (got.band === 'red' || got.band === 'amber') assert.ok(got.band_label, `a ${got.band} band without words`);
    assert.equal(got.id, ind.id);
    assert.deepEqual(got.label, ind.label);
  });
}

test('evaluateScope keeps template order and scope', () => {
  const res = evaluateScope(template, 'location', { location_type: 'multiple', cell_area_m2: 11.5, persons_present: 4 });
  const ids = template.indicators.filter((i) => i.scope === 'location').map((i) => i.id);
  assert.deepEqual(res.map((r) => r.id), ids);
  assert.equal(res.find((r) => r.id === 'space_per_person').band, 'red');
});

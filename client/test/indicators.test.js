// The JS indicator evaluator must agree with schema/indicator.go on the
// shared vectors (schema/testdata/indicator_vectors.json), read from disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { evaluate, evaluateScope } from '../web/indicators.js';
import { pickChecklist } from '../web/store.js';

const root = new URL('../../', import.meta.url);
const dir = new URL('schema/checklists/', root);
// Every embedded checklist (the general one and one per facility type), by id.
const templates = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8'))).map((t) => [t.id, t]));
const template = templates['kz-npm-default'];
const vectors = JSON.parse(readFileSync(new URL('schema/testdata/indicator_vectors.json', root), 'utf8'));
const templateOf = (v) => templates[v.template || 'kz-npm-default'];

test('there are vectors for every indicator of every checklist', () => {
  assert.ok(vectors.length >= 60, `${vectors.length} vectors`);
  assert.ok(Object.keys(templates).length >= 6, 'a checklist per facility type');
  for (const [id, t] of Object.entries(templates)) {
    const covered = new Set(vectors.filter((v) => templateOf(v) === t).map((v) => v.indicator));
    const judged = (ind) => JSON.stringify([ind.scope, ind.formula, ind.when, ind.bands, ind.verify || false]);
    const elsewhere = new Set(vectors.map((v) => judged(templateOf(v).indicators.find((i) => i.id === v.indicator))));
    for (const ind of t.indicators) assert.ok(covered.has(ind.id) || elsewhere.has(judged(ind)), `no vector for ${ind.id} of ${id}`);
  }
});

test('a new visit takes the checklist of its facility type, else the general one', () => {
  const list = Object.values(templates);
  assert.equal(pickChecklist(list, 'ivs').id, 'kz-police-custody');
  assert.equal(pickChecklist(list, 'sizo').id, 'kz-penitentiary');
  assert.equal(pickChecklist(list, 'psychiatric').id, 'kz-psychiatric');
  assert.equal(pickChecklist(list, 'social_care').id, 'kz-social-care');
  assert.equal(pickChecklist(list, 'children_institution').id, 'kz-children-care');
  assert.equal(pickChecklist(list, 'other').id, 'kz-npm-default');
  assert.equal(pickChecklist(list, '').id, 'kz-npm-default');
});

for (const v of vectors) {
  test(`vector: ${v.name}`, () => {
    const ind = templateOf(v).indicators.find((i) => i.id === v.indicator);
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

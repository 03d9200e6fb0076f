// The desk shows an answer to a question whose condition no longer holds as
// not applicable, never as the members' agreed value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

globalThis.document ??= { documentElement: {} };
const { setLang } = await import('../web/i18n.js');
await import('../web/i18n-desk.js');
const F = await import('../web/coord-format.js');

const template = JSON.parse(readFileSync(new URL('../../schema/checklists/default.json', import.meta.url), 'utf8'));

test('an item not asked reads "not applicable", with no consolidated value', () => {
  const scope = { items: [{ item: 'ceiling_height_m', location_id: 'L1', status: 'not_applicable', value: null,
    values: [{ observation_id: 'o1', author_id: 'm1', author_name: 'A', value: 2.4, note: '' },
      { observation_id: 'o2', author_id: 'm2', author_name: 'B', value: 2.4, note: '' }] }] };
  const [row] = F.sideBySide(scope, template, []).rows;
  assert.equal(row.consolidated, '');
  for (const [lang, want] of [['en', 'not applicable'], ['ru', 'не применимо'], ['kk', 'қолданылмайды']]) {
    setLang(lang);
    assert.ok(F.consolidatedNote(row).startsWith(want), F.consolidatedNote(row));
  }
  setLang('en');
});

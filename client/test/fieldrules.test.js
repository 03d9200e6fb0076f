// The field app's rules without the DOM: required questions, what is left per
// section, copying from the previous place, refusals in words, and taking a
// refused change back on the device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setLang } from '../web/i18n.js';
import * as R from '../web/fieldrules.js';
import { rollbackRefused } from '../web/synccore.js';

globalThis.document ??= { documentElement: {} };
const template = JSON.parse(readFileSync(new URL('../../schema/checklists/default.json', import.meta.url), 'utf8'));
const obs = (location_id, item, value) => ({ fields: { location_id, item, value } });

test('required questions are the inputs of the scope\'s indicators', () => {
  const loc = R.requiredItems(template, 'location').map((i) => i.id);
  for (const id of ['cell_area_m2', 'persons_present', 'air_temperature_c', 'toilets_working']) assert.ok(loc.includes(id), id);
  assert.ok(!loc.includes('heating_working'), 'a yes/no no indicator reads is not required');
  assert.deepEqual(R.requiredItems(template, 'visit').map((i) => i.id).sort(), ['headcount', 'official_capacity']);
});

test('each section says how many questions are left', () => {
  const left = R.sectionsLeft(template, 'location', { cell_area_m2: 11.5, persons_present: 0, location_type: '' });
  assert.deepEqual(left.get('space'), { left: 4, total: 6 }, 'zero is an answer, the empty string is not');
  assert.deepEqual(left.get('bedding'), { left: 1, total: 1 });
});

test('before submitting: the required questions nobody answered, per place', () => {
  setLang('en');
  const locations = [{ id: 'L1', label: 'Cell 1' }, { id: 'L2', label: 'Cell 2' }];
  const all = R.requiredItems(template, 'location').map((i) => obs('L1', i.id, 1));
  const missing = R.missingRequired(template, [...all, obs('', 'headcount', 52), obs('L2', 'cell_area_m2', 20), obs('L2', 'persons_present', null)], locations);
  assert.deepEqual(missing.map((p) => p.locationId), ['', 'L2'], 'cell 1 is complete and left out');
  assert.deepEqual(missing[0].items.map((i) => i.id), ['official_capacity']);
  assert.equal(missing[0].label, 'Whole visit');
  const l2 = missing[1].items.map((i) => i.id);
  assert.ok(l2.includes('persons_present') && !l2.includes('cell_area_m2'));
});

test('copying from the previous place never overwrites and skips free text', () => {
  const from = { location_type: 'multiple', cell_area_m2: 11.5, persons_present: 4, disability_assistance_notes: 'ramp broken', heating_working: false };
  const plan = R.copyPlan(template, from, { persons_present: 5 });
  assert.deepEqual(plan.map((p) => p.item.id), ['location_type', 'cell_area_m2', 'heating_working']);
  assert.equal(plan[2].value, false, 'a "no" is copied too');
  const locs = [{ id: '0190-a' }, { id: '0190-b' }, { id: '0190-c' }];
  assert.equal(R.previousPlace(locs, '0190-c', (id) => id === '0190-a').id, '0190-a');
  assert.equal(R.previousPlace(locs, '0190-a', () => true), null);
});

test('a refusal names the place, the question and the reason in the user\'s language', () => {
  setLang('kk');
  const entry = { op: { type: 'observation', id: 'o1', action: 'upsert', fields: { value: 2.4 } },
    error: { field: 'fields.visit_id', code: 'locked', message: 'that visit is approved and locked; ask the coordinator to reopen it' } };
  const record = { fields: { visit_id: 'v1', location_id: 'L1', item: 'ceiling_height_m', value: 2.4 } };
  const d = R.describeRefusal(entry, { record, template, locationLabel: '12-камера', facilityName: 'УҰИ' });
  assert.equal(d.where, 'УҰИ · 12-камера');
  assert.match(d.what, /^B05 · Еденнен/);
  assert.ok(!/[a-z]{4}/i.test(d.what.replace(/^B05/, '')), `the question is in Kazakh: ${d.what}`);
  assert.equal(d.value, '2,4 м');
  assert.match(d.why, /бекітілді/);
  const text = JSON.stringify(d);
  assert.ok(!text.includes('fields.') && !text.includes('approved and locked'), 'no field names, no server English');
  const unknown = R.describeRefusal({ op: { type: 'visit', id: 'v1', fields: { announced: true } }, error: { message: 'x' } }, {});
  assert.match(unknown.why, /қабылдамады/);
  assert.ok(!unknown.what.includes('announced'), unknown.what);
  const gate = R.describeRefusal({ op: { type: 'visit', id: 'v1', fields: { admitted_at: '2026-11-20T09:00:00Z' } },
    error: { field: 'fields.admitted_at', code: 'invalid', message: 'admitted_at (2026-11-20T09:00:00Z) is before arrived_at (2026-11-20T09:40:00Z): the team is let in after it arrives at the gate' } }, {});
  assert.match(gate.why, /қақпаға келген/, 'an admission before the arrival is named in the user\'s language');
  setLang('en');
});

test('a refused change is taken back on the device', () => {
  assert.deepEqual(rollbackRefused({ seq: 40, fields: { value: 2.4 } }, false), { since: 39 }, 'pulled before: pull it again');
  const fresh = rollbackRefused({ key: 'observation/o2', fields: { value: 3 } }, false);
  assert.equal(fresh.put.deleted, true, 'the server never had it: it goes');
  assert.deepEqual(rollbackRefused({ fields: {} }, true), {}, 'later changes still wait: keep it');
  assert.deepEqual(rollbackRefused(undefined, false), {});
});

test('every refusal code of the protocol has words in every language', async () => {
  const { strings } = await import('../web/i18n.js');
  for (const code of ['invalid', 'forbidden', 'locked', 'bad_base', 'op_id_taken', 'parent_deleted', 'other']) assert.ok(strings[`refused_${code}`], code);
});

test('a change inside a visit deleted on the server is refused with that reason, not a generic one', () => {
  setLang('ru');
  const d = R.describeRefusal({ op: { type: 'location', id: 'L1', action: 'upsert', fields: { label: 'Камера 3' } },
    error: { field: 'fields.visit_id', code: 'parent_deleted', message: 'the visit was deleted on the server' } }, {});
  assert.match(d.why, /удалили на сервере/);
  setLang('en');
});

test('a change keeps the value it replaced, for taking it back if refused', async () => {
  await import('fake-indexeddb/auto');
  const { Store } = await import('../web/store.js');
  const store = await Store.open({ name: 'fieldrules-prev' });
  await store.setSession({ token: 't', device_id: '01900000-0000-7000-8000-000000000001', user: { id: 'u1' } });
  await store.change('observation', 'o1', { visit_id: 'v1', item: 'cell_area_m2', value: 11.5 });
  await store.change('observation', 'o1', { value: 30 });
  const [first, second] = await store.outbox();
  assert.equal(first.prev.created, true);
  assert.deepEqual(second.prev.fields, { value: 11.5 }, 'the value before the change, not the new one');
});

test('a failed sign-in says why in the user\'s language, never the server\'s English', () => {
  setLang('kk');
  assert.match(R.signInMessage({ status: 429, code: 'locked', message: 'too many failed sign-ins; try again at 15:40' }), /15 минутқа бұғатталды/);
  assert.match(R.signInMessage({ status: 429, code: 'signin_locked', message: 'too many failed sign-ins; try again at 15:40' }), /15 минутқа бұғатталды/);
  assert.equal(R.signInMessage({ status: 401, code: 'bad_credentials' }), 'Пайдаланушы аты немесе құпиясөз қате.');
  assert.match(R.signInMessage({ status: 0 }), /байланыс/i);
  const other = R.signInMessage({ status: 500, code: 'internal', message: 'the server failed; nothing was saved, try again' });
  assert.ok(!/server|failed/.test(other), other);
  setLang('en');
});

test('what the phone could not store is said, and the form keeps it', async () => {
  await setLang('ru');
  const msg = { textContent: '' };
  const warn = console.warn;
  console.warn = () => {};
  try {
    const full = new DOMException('quota', 'QuotaExceededError');
    assert.equal(await R.saved(msg, async () => { throw full; }), false);
    assert.match(msg.textContent, /^НЕ сохранено: память телефона заполнена/);
    assert.equal(await R.saved(msg, async () => { throw new DOMException('closed', 'InvalidStateError'); }), false);
    assert.match(msg.textContent, /^НЕ сохранено на телефоне \(InvalidStateError\)/);
  } finally {
    console.warn = warn;
  }
  const ok = { textContent: '' };
  assert.equal(await R.saved(ok, async () => {}), true);
  assert.equal(ok.textContent, '');
  await setLang('kk');
  assert.match(R.notSavedText(new DOMException('quota', 'QuotaExceededError')), /^САҚТАЛМАДЫ/);
  await setLang('en');
  assert.match(R.notSavedText(null), /^NOT saved on this phone/);
});

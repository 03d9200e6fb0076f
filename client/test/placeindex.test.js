// The index of records by visit and place (database version 5, issue 20): a
// place's page reads its own records. A phone's database of version 4 is
// upgraded in place with nothing lost and the outbox untouched, rows sealed
// by the app lock get their place once the key is there, and placeOf gives
// what the whole visit read and filtered gives.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from '../web/vendor/idb/idb.js';
import { Store, CLEAR, CLEAR_META, DB_VERSION, TEMPLATE_PART } from '../web/store.js';
import { newLock, makeCodec } from '../web/vault.js';

const FAST = 1000; // PBKDF2 iterations, for speed
const VISIT = '0193a1b2-0000-7000-8000-0000000000a1';
const OTHER = '0193a1b2-0000-7000-8000-0000000000a2';
const CELL1 = '0193a1b2-0000-7000-8000-0000000000b1';
const CELL2 = '0193a1b2-0000-7000-8000-0000000000b2';

/** openV4 creates a database as version 4 of store.js made it (its stores and indexes, nothing of version 5). */
function openV4(name) {
  return openDB(name, 4, {
    upgrade(db) {
      db.createObjectStore('meta', { keyPath: 'k' });
      const records = db.createObjectStore('records', { keyPath: 'key' });
      records.createIndex('type', 'type');
      records.createIndex('visit_id', 'visit_id');
      records.createIndex('facility_id', 'facility_id');
      db.createObjectStore('outbox', { keyPath: 'key', autoIncrement: true });
      db.createObjectStore('rejected', { keyPath: 'key', autoIncrement: true });
      db.createObjectStore('checklists', { keyPath: 'ref' });
      db.createObjectStore('sent', { keyPath: 'key', autoIncrement: true });
      db.createObjectStore('photos', { keyPath: 'id' }).createIndex('visit_id', 'visit_id');
      db.createObjectStore('packs', { keyPath: 'pk' }).createIndex('keys', 'keys', { multiEntry: true });
    },
  });
}

/** v4Record is a record row as version 4 wrote it: index fields visit_id and facility_id, no location_id. */
function v4Record(type, id, fields) {
  return { key: `${type}/${id}`, type, id, fields, versions: {}, deleted: false, own: true,
    visit_id: type === 'visit' ? id : fields.visit_id || '', facility_id: fields.facility_id || '' };
}

/** someRecords are a visit with two cells and answers in each and visit-wide, and another visit's answer. */
function someRecords() {
  const obs = (n, visit, loc) => v4Record('observation', `0193a1b2-0000-7000-8000-00000000${String(n).padStart(4, '0')}`,
    { visit_id: visit, item: `item_${n}`, value: n, ...(loc ? { location_id: loc } : {}) });
  return [
    v4Record('visit', VISIT, { facility_id: 'f1', status: 'draft' }),
    v4Record('location', CELL1, { visit_id: VISIT, kind: 'cell', label: 'Cell 1' }),
    v4Record('location', CELL2, { visit_id: VISIT, kind: 'cell', label: 'Cell 2' }),
    obs(1, VISIT, CELL1), obs(2, VISIT, CELL1), obs(3, VISIT, CELL2), obs(4, VISIT, ''), obs(5, OTHER, CELL1),
  ];
}

async function dumpStores(db) {
  const out = {};
  for (const name of db.objectStoreNames) out[name] = await db.getAll(name);
  return out;
}

const sortKeys = (recs) => recs.map((r) => r.key).sort();

test('a database of version 4 is upgraded with every row kept, the outbox untouched, and each record indexed by its place', async () => {
  assert.equal(DB_VERSION, 5);
  const name = `place-v4-${Date.now()}`;
  const old = await openV4(name);
  const records = someRecords();
  for (const r of records) await old.put('records', r);
  const ops = records.slice(3, 6).map((r, i) => ({ op: { op_id: `op-${i}`, type: r.type, id: r.id, action: 'upsert', fields: r.fields, hlc: `000${i}` }, at: 1000 + i, prev: { created: true } }));
  for (const e of ops) await old.add('outbox', e);
  await old.put('meta', { k: 'since', v: 42 });
  await old.put('meta', { k: 'session', v: { token: 'tok', device_id: 'd1', user: { id: 'u1' } } });
  await old.put('checklists', { ref: 'general@1', id: 'general', version: 1, json: '{"sections":[]}' });
  await old.put('packs', { pk: [OTHER, 0, 7, 0], keys: ['observation/x'], json: '[]', compact: true });
  const before = await dumpStores(old);
  old.close();

  const s = await Store.open({ name });
  assert.equal(s.db.version, DB_VERSION);
  assert.equal(s.placeIndexed, true, 'every row is in the index after the upgrade');
  const after = await dumpStores(s.db);
  // Nothing lost, nothing else changed: the records gained location_id, every other store is as it was.
  for (const store of Object.keys(before)) {
    if (store === 'records') continue;
    assert.deepEqual(after[store], before[store], `the ${store} store is untouched`);
  }
  assert.equal(after.records.length, before.records.length);
  for (const [i, row] of before.records.entries()) {
    assert.deepEqual(after.records[i], { ...row, location_id: row.fields.location_id || '' });
  }
  assert.equal((await s.outbox()).length, 3, 'the waiting operations are still waiting');
  assert.equal(await s.meta('since'), 42);
  assert.deepEqual(sortKeys(await s.placeOf('observation', VISIT, CELL1)), [records[3].key, records[4].key]);
  assert.deepEqual(sortKeys(await s.placeOf('observation', VISIT, CELL2)), [records[5].key]);
  assert.deepEqual(sortKeys(await s.placeOf('observation', VISIT, '')), [records[6].key], 'the visit-wide answers are the place ""');
  assert.deepEqual(sortKeys(await s.placeOf('observation', OTHER, CELL1)), [records[7].key]);
  s.db.close();
});

test('rows sealed by the app lock get their place once the key is given', async () => {
  const name = `place-sealed-${Date.now()}`;
  const { lock, key } = await newLock('730519', FAST);
  const oldClear = { ...CLEAR, records: CLEAR.records.filter((f) => f !== 'location_id') };
  const oldCodec = makeCodec(key, oldClear, CLEAR_META);
  const old = await openV4(name);
  for (const r of someRecords()) await old.put('records', oldCodec.seal('records', r));
  await old.put('meta', { k: 'lock', v: lock });
  old.close();

  // Opened without the key (it cannot read the rows): the index is not
  // complete, and placeOf does not use it.
  const locked = await Store.open({ name });
  assert.equal(locked.placeIndexed, false);
  locked.db.close();

  const s = await Store.open({ name, codec: makeCodec(key, CLEAR, CLEAR_META) });
  assert.equal(s.placeIndexed, true);
  const raw = await s.db.getAll('records');
  assert.ok(raw.every((row) => row.$ && row.fields === undefined), 'the rows stay sealed');
  assert.ok(raw.every((row) => typeof row.location_id === 'string'), 'each row names its place in clear, as it does its visit');
  assert.deepEqual((await s.placeOf('observation', VISIT, CELL1)).map((r) => r.fields.value).sort(), [1, 2]);
  assert.equal((await s.ofVisit('observation', VISIT)).length, 4, 'every record still reads');
  s.db.close();
});

test('placeOf follows a record moved to another place, and gives what the visit read whole gives', async () => {
  const s = await Store.open({ name: `place-live-${Date.now()}` });
  await s.setSession({ token: 't', device_id: '0193a1b2-0000-7000-8000-0000000000d1', user: { id: 'u1' } });
  await s.change('visit', VISIT, { facility_id: 'f1', status: 'draft' });
  const o = '0193a1b2-0000-7000-8000-0000000000e1';
  await s.change('observation', o, { visit_id: VISIT, location_id: CELL1, item: 'x', value: 1 });
  await s.change('observation', '0193a1b2-0000-7000-8000-0000000000e2', { visit_id: VISIT, item: 'y', value: 2 });
  const whole = async (loc) => (await s.ofVisit('observation', VISIT)).filter((r) => (r.fields.location_id || '') === loc);
  for (const loc of [CELL1, CELL2, '']) assert.deepEqual(sortKeys(await s.placeOf('observation', VISIT, loc)), sortKeys(await whole(loc)));
  await s.change('observation', o, { location_id: CELL2 });
  assert.deepEqual(await s.placeOf('observation', VISIT, CELL1), []);
  assert.deepEqual((await s.placeOf('observation', VISIT, CELL2)).map((r) => r.id), [o]);
  await s.change('observation', o, {}, { action: 'delete' });
  assert.deepEqual(await s.placeOf('observation', VISIT, CELL2), [], 'a deleted record is not given');
  s.db.close();
});

test('a long template is kept in parts under TEMPLATE_PART characters, read back whole; saved again short, its parts go; a row kept whole before still reads', async () => {
  const s = await Store.open({ name: `tpl-parts-${Date.now()}` });
  const long = { id: 'long', version: 1, sections: [{ id: 's1', title: { ru: 'Раздел' } }], items: [{ id: 'i1', label: { ru: 'Ж'.repeat(3 * TEMPLATE_PART) } }], indicators: [] };
  const head = (t, extra = {}) => ({ id: t.id, version: t.version, active: true, json: JSON.stringify(t), ...extra });
  await s.saveChecklists([head(long)]);
  const row = await s.db.get('checklists', 'long@1');
  assert.equal(row.json, undefined, 'the head holds no text');
  assert.ok(row.parts >= 3);
  const parts = await s.db.getAll('checklist_parts');
  assert.equal(parts.length, row.parts);
  assert.ok(parts.every((p) => p.json.length <= TEMPLATE_PART));
  s.templates.clear();
  assert.deepEqual((await s.checklist('long@1')).items, long.items, 'read alone, whole');
  assert.deepEqual((await s.checklists())[0].items, long.items, 'read in the list, whole');
  // Turned off by a later whole list: the head changes, the parts stay its own.
  await s.saveChecklists([{ id: 'other', version: 1, active: true, json: '{"items":[]}' }]);
  s.templates.clear();
  const off = (await s.checklists()).find((c) => c.ref === 'long@1');
  assert.equal(off.active, false);
  assert.deepEqual(off.items, long.items);
  // Saved again short: no part of it is left.
  const short = { ...long, items: [{ id: 'i1', label: { ru: 'Камера' } }] };
  await s.saveChecklists([head(short)]);
  assert.deepEqual(await s.db.getAll('checklist_parts'), []);
  s.templates.clear();
  assert.deepEqual((await s.checklist('long@1')).items, short.items);
  // A template row of version 4 (its whole text in one row) reads as before.
  await s.db.put('checklists', { ref: 'old@1', id: 'old', version: 1, json: JSON.stringify(long) });
  assert.deepEqual((await s.checklist('old@1')).items, long.items);
  s.db.close();
});

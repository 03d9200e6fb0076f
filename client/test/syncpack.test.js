// Packed history (issue 20): a new phone keeps the records of old approved
// visits as a few packed rows instead of one row each, reads them as if they
// were rows, never lets a packed copy hide a newer row, and a first sync cut
// by closing the app ends, once reopened, with every record exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.js';
import { phone, visitSetup } from './support/devices.js';
import { uuidv7, recordKey, packableVisits, PACK_TEXT } from '../web/synccore.js';
import { Store, CLEAR, CLEAR_META, PACK_ROW } from '../web/store.js';
import { Syncer } from '../web/sync.js';
import { newLock, makeCodec } from '../web/vault.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

/**
 * history makes, on phone a of setup s, `visits` past visits of n places
 * each (an observation per place), approved by the coordinator; the setup's
 * own visit stays open. Returns the visit ids, oldest first.
 */
async function history(s, visits, n) {
  const ids = [];
  for (let i = 0; i < visits; i++) {
    const visitId = uuidv7();
    ids.push(visitId);
    await s.a.change('visit', visitId, { facility_id: s.facilityId, kind: 'regular', status: 'draft', started_at: `2026-0${i + 1}-10T09:00:00Z`, team: [s.aUser.id] });
    for (let c = 0; c < n; c++) {
      const cell = uuidv7();
      await s.a.change('location', cell, { visit_id: visitId, kind: 'cell', label: `Cell ${c + 1}` });
      await s.a.change('observation', uuidv7(), { visit_id: visitId, location_id: cell, item: 'persons_present', value: c + 2, note: `CANARY-PACK ${c}` });
    }
  }
  await s.a.sync();
  for (const v of ids) await server.approve(s.coord.store.session.token, v);
  await s.a.sync();
  return ids;
}

/** stored counts every stored copy of a record: its row, and each packed row holding it. */
async function stored(store) {
  const copies = new Map();
  for (const k of await store.db.getAllKeys('records')) copies.set(k, (copies.get(k) || 0) + 1);
  for (const row of await store.db.getAll('packs')) for (const k of row.keys) copies.set(k, (copies.get(k) || 0) + 1);
  return copies;
}

test('a new phone keeps old approved visits packed and reads them like rows', async () => {
  const s = await visitSetup(server);
  const [older, old, latest] = await history(s, 3, 4);
  assert.deepEqual([...packableVisits(await s.a.store.all('visit'))].sort(), [older, old].sort(), 'the latest approved visit is not packable');

  const fresh = await phone(server, s.aUser.username);
  const told = [];
  fresh.store.onChange((what, detail) => told.push([what, detail]));
  await fresh.sync();
  // The screen is redrawn for the working set; the packed history is told apart with its visits (app.js redraws only their screens).
  const historyTold = told.filter(([what]) => what === 'history');
  assert.ok(historyTold.length >= 1, `told: ${JSON.stringify(told)}`);
  assert.deepEqual([...new Set(historyTold.flatMap(([, v]) => v))].sort(), [older, old].sort());
  assert.deepEqual(told.slice(told.findIndex(([what]) => what === 'history')).filter(([what]) => what === 'pull'), [], 'no redraw of every screen for the history');
  const packedVisits = new Set((await fresh.store.db.getAllKeys('packs')).map((pk) => pk[0]));
  assert.deepEqual([...packedVisits].sort(), [older, old].sort(), 'the two older approved visits are packed');
  assert.equal(await fresh.store.db.countFromIndex('records', 'visit_id', older), 1, 'only the visit record of a packed visit is a row');
  assert.ok(await fresh.store.db.countFromIndex('records', 'visit_id', latest) > 1, 'the latest approved visit is kept as rows');
  assert.deepEqual(await fresh.live(), await s.a.live());

  // Opening an old visit: its places and answers, and one record by id.
  const places = await fresh.store.ofVisit('location', older);
  assert.equal(places.length, 4);
  const obs = await fresh.store.ofVisit('observation', older);
  assert.equal(obs.length, 4);
  const one = await fresh.store.get('observation', obs[0].id);
  assert.equal(one.fields.value, obs[0].fields.value);
  assert.equal(one.versions.value, one.seq, 'versions expanded from the compact form');
  assert.equal(await fresh.store.get('observation', uuidv7()), undefined, 'a record held nowhere is not found');
  assert.equal(await fresh.store.countRecords(), await s.a.store.countRecords());

  // A change of a packed record starts from its packed version (never from 0) and becomes a row that wins.
  one.fields.value = 99; // what a caller does to what it read must not change the packed copy
  const op = await fresh.store.change('observation', obs[0].id, { note: 'changed after a reopen' });
  assert.equal(op.base.note, one.versions.note);
  assert.equal((await fresh.store.get('observation', obs[0].id)).fields.note, 'changed after a reopen');
  assert.notEqual((await fresh.store.get('observation', obs[0].id)).fields.value, 99);
  assert.equal((await fresh.store.ofVisit('observation', older)).filter((o) => o.id === obs[0].id).length, 1, 'the row hides its packed copy');
});

test('a first sync cut by closing the app ends, reopened, with every record stored exactly once', async () => {
  const s = await visitSetup(server);
  await history(s, 4, 6);
  const want = await s.a.live();
  for (const cutAfter of [1, 3]) {
    const fresh = await phone(server, s.aUser.username);
    fresh.syncer.pullLimit = 10; // pages of 10: the history comes in several
    fresh.syncer.historyPages = 1; // and the history too: reopened, it comes in pages of 40, cut elsewhere
    const name = fresh.store.name;
    // The app is closed after `cutAfter` pages of history were packed: the
    // page being applied never stores its cursor.
    let packedPages = 0;
    const packPage = fresh.store.packPage.bind(fresh.store);
    fresh.store.packPage = async (...args) => {
      const n = await packPage(...args);
      if (++packedPages === cutAfter) fresh.store.db.transaction = () => { throw new Error('the app was closed'); };
      return n;
    };
    const cut = await fresh.syncer.sync().then(() => null, (e) => e);
    assert.match(String(cut && cut.message), /closed/);
    assert.equal(packedPages, cutAfter, 'the sync was cut in the history');
    fresh.store.db.close();

    const store = await Store.open({ name });
    store.base = server.url;
    const syncer = new Syncer(store);
    syncer.pullLimit = 10;
    await syncer.sync();
    assert.equal(syncer.state.error, null);
    const copies = await stored(store);
    const twice = [...copies].filter(([, n]) => n > 1).map(([k]) => k);
    assert.deepEqual(twice, [], 'no record is stored twice');
    const live = {};
    for (const t of ['facility', 'visit', 'location', 'observation', 'recommendation', 'confidential_note', 'consolidation']) {
      for (const r of await store.all(t)) live[`${t}/${r.id}`] = r.fields;
    }
    for (const k of Object.keys(want)) assert.ok(live[k], `${k} arrived`);
    assert.equal(Object.keys(live).length, Object.keys(want).length);
    assert.ok((await store.db.count('packs')) > 0, 'the history is packed');
    store.db.close();
  }
});

/** page is a compact pull page of changes (seq, type, id, fields). */
const page = (next, ...changes) => ({ changes, next, more: false, compact: true });
const obsChange = (seq, id, visitId, value) => ({ seq, type: 'observation', id, fields: { visit_id: visitId, item: 'persons_present', value } });

test('a pulled change of a record that has a row updates the row, never a packed copy under it', async () => {
  const store = await Store.open({ name: `pack-row-${Date.now()}` });
  const V = uuidv7();
  await store.applyPull(page(5, obsChange(5, 'o1', V, 1)));
  await store.applyPull(page(9, obsChange(9, 'o1', V, 2), obsChange(8, 'o2', V, 7)), 0, { pack: new Set([V]) });
  assert.equal((await store.get('observation', 'o1')).fields.value, 2);
  assert.equal((await store.ofVisit('observation', V)).find((o) => o.id === 'o1').fields.value, 2);
  assert.equal((await store.get('observation', 'o2')).fields.value, 7, 'a record without a row is packed');
  assert.deepEqual((await store.db.getAll('packs')).map((r) => r.keys), [[recordKey('observation', 'o2')]]);
});

test('a record with an operation waiting is never packed: the waiting value stays over the pulled one', async () => {
  const store = await Store.open({ name: `pack-pending-${Date.now()}` });
  await store.setSession({ token: 't', device_id: uuidv7(), user: { id: 'u1' } });
  const V = uuidv7();
  await store.change('observation', 'o1', { visit_id: V, item: 'persons_present', value: 1 });
  // The row gone while its operation waits (as after a merge renamed the operation to this record).
  await store.db.delete('records', recordKey('observation', 'o1'));
  await store.applyPull(page(9, obsChange(9, 'o1', V, 2)), 0, { pack: new Set([V]) });
  assert.equal((await store.get('observation', 'o1')).fields.value, 1);
  assert.equal(await store.db.count('packs'), 0);
});

test('after a reset, packed rows of the earlier snapshot go; a merged-away packed record is hidden', async () => {
  const store = await Store.open({ name: `pack-reset-${Date.now()}` });
  const V = uuidv7();
  const pack = new Set([V]);
  await store.applyPull(page(3, obsChange(1, 'o1', V, 1), obsChange(2, 'o2', V, 2), obsChange(3, 'o3', V, 3)), 0, { pack });
  assert.equal((await store.ofVisit('observation', V)).length, 3);
  await store.applyPull({ ...page(4), changes: [{ seq: 4, type: 'observation', id: 'o3', merged_into: 'o1', fields: {} }] }, 0, { pack });
  assert.equal((await store.get('observation', 'o3')).deleted, true, 'merged away');
  assert.deepEqual((await store.ofVisit('observation', V)).map((o) => o.id).sort(), ['o1', 'o2']);
  // A snapshot from 0 holds o1 only: o2 goes with the earlier snapshot's packs.
  await store.applyPull(page(9, obsChange(9, 'o1', V, 5)), 77, { pack });
  await store.pruneSnapshot(77);
  assert.deepEqual((await store.ofVisit('observation', V)).map((o) => [o.id, o.fields.value]), [['o1', 5]]);
  assert.equal(await store.get('observation', 'o2'), undefined);
});

test('packed history is sealed by the app lock like every row', async () => {
  const store = await Store.open({ name: `pack-seal-${Date.now()}` });
  const V = uuidv7();
  const { key } = await newLock('730519', 1000);
  await store.reseal(makeCodec(key, CLEAR, CLEAR_META));
  await store.applyPull(page(2, { seq: 2, type: 'confidential_note', id: 'n1', fields: { visit_id: V, text: 'CANARY-PACK рассказал' } }), 0, { pack: new Set([V]) });
  const raw = JSON.stringify(await store.db.getAll('packs'), (k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v));
  assert.ok(raw.includes(V), 'the packed row is there, keyed in clear');
  assert.ok(!raw.includes('CANARY-PACK') && !raw.includes('рассказал'), 'a packed record is readable without the PIN');
  assert.equal((await store.ofVisit('confidential_note', V))[0].fields.text, 'CANARY-PACK рассказал');
});

test('a large page is packed in rows of at most PACK_ROW records and PACK_TEXT characters; pulled again, it replaces its own rows', async () => {
  const store = await Store.open({ name: `pack-rows-${Date.now()}` });
  const V = uuidv7();
  const changes = Array.from({ length: 600 }, (_, i) => obsChange(i + 1, `o${i}`, V, i));
  await store.applyPull(page(600, ...changes), 0, { pack: new Set([V]) });
  const rows = await store.db.getAll('packs');
  assert.ok(rows.length >= 3, `${rows.length} rows`);
  for (const r of rows) assert.ok(r.keys.length <= PACK_ROW && r.json.length <= PACK_TEXT, `a row of ${r.keys.length} records, ${r.json.length} characters`);
  assert.deepEqual(rows.flatMap((r) => r.keys), changes.map((ch) => recordKey(ch.type, ch.id)), 'every record once, in order');
  // The app was closed before the cursor was stored; meanwhile the last 400 got rows (an earlier pull of them, say).
  await store.applyPull(page(600, ...changes.slice(200)));
  await store.applyPull(page(600, ...changes), 0, { pack: new Set([V]) });
  const copies = await stored(store);
  assert.equal(copies.size, 600);
  assert.deepEqual([...copies.values()].filter((n) => n > 1), [], 'no record is stored twice');
  assert.equal((await store.ofVisit('observation', V)).length, 600);
});

test('a pulled chunk reads the rows the phone holds and writes new records without a read', async () => {
  const store = await Store.open({ name: `held-${Date.now()}` });
  await store.setSession({ token: 't', device_id: uuidv7(), user: { id: 'u1' } });
  const V = uuidv7();
  await store.applyPull(page(30, ...Array.from({ length: 30 }, (_, i) => obsChange(i + 1, `o${i}`, V, i))));
  await store.change('observation', 'mine', { visit_id: V, item: 'persons_present', value: 1 }); // own, waiting
  const changes = [...Array.from({ length: 40 }, (_, i) => obsChange(100 + i, `o${i}`, V, 1000 + i)), obsChange(200, 'mine', V, 2)];
  await store.applyPull(page(200, ...changes));
  const mine = await store.get('observation', 'mine');
  assert.equal(mine.own, true, 'the row held was read: its local mark stays');
  assert.equal(mine.fields.value, 1, 'the waiting value stays over the pulled one');
  assert.equal((await store.get('observation', 'o39')).fields.value, 1039);
  assert.equal((await store.get('observation', 'o5')).fields.value, 1005);
  assert.equal(await store.db.count('records'), 41);
});

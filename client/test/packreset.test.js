// Packed history after a reset or a sign-in again (review of issue 20's
// packs): a packed copy pulled earlier never stands for a record changed or
// deleted since, and a page of merges alone is drawn.
import 'fake-indexeddb/auto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.js';
import { phone, visitSetup } from './support/devices.js';
import { uuidv7 } from '../web/synccore.js';
import { Store } from '../web/store.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const page = (next, ...changes) => ({ changes, next, more: false, compact: true });
const answer = (seq, id, visitId, value, extra = {}) => ({ seq, type: 'observation', id, fields: { visit_id: visitId, item: 'persons_present', value }, ...extra });

test('a record packed by a reset snapshot and pulled again later shows its later state, once', async () => {
  const store = await Store.open({ name: `packreset-${uuidv7()}` });
  const v = uuidv7();
  const pack = new Set([v]);
  const snap = Date.now() + Math.random(); // startOver's mark: sorts after every ordinary row
  await store.applyPull(page(10, answer(5, 'o1', v, 1), answer(6, 'o2', v, 2)), snap, { pack });
  await store.pruneSnapshot(snap);
  // An ordinary pull later (snap 0): o1 corrected, o2 deleted on the server.
  await store.applyPull(page(20, answer(15, 'o1', v, 42), answer(16, 'o2', v, 2, { deleted: true })), 0, { pack });
  store.packCache.clear();
  assert.equal((await store.get('observation', 'o1')).fields.value, 42);
  assert.deepEqual((await store.ofVisit('observation', v)).map((o) => o.id), ['o1']);
  let copies = 0;
  for (const row of await store.db.getAll('packs')) copies += store.fromRow('packs', row).keys.filter((k) => k.endsWith('/o1')).length;
  assert.equal(copies, 1, 'one packed copy of o1');
});

test('two packed copies of a record (packed by an earlier version): the later sequence wins, not the later row', async () => {
  const store = await Store.open({ name: `packreset-${uuidv7()}` });
  const v = uuidv7();
  const pack = new Set([v]);
  await store.applyPull(page(20, answer(15, 'o1', v, 42)), 0, { pack });
  // As an earlier version left it: the snapshot's older copy in a row of its own, the later one kept.
  const snap = Date.now() + Math.random();
  const row = { pk: [v, snap, 10, 0], keys: ['observation/o1'], changes: [answer(5, 'o1', v, 1)], compact: true };
  await store.db.put('packs', store.toRow('packs', row));
  store.packCache.clear();
  assert.equal((await store.get('observation', 'o1')).fields.value, 42);
});

test('a pulled page of merges alone counts as drawn rows', async () => {
  const store = await Store.open({ name: `packreset-${uuidv7()}` });
  const v = uuidv7();
  await store.applyPull(page(2, answer(1, 'o1', v, 1), answer(2, 'o2', v, 1)));
  const out = {};
  await store.applyPull(page(3, { seq: 3, type: 'observation', id: 'o2', merged_into: 'o1', fields: {} }), 0, { out });
  assert.equal(out.rows, 1, 'the screen is drawn again: the merged-away answer goes');
  assert.deepEqual((await store.ofVisit('observation', v)).map((o) => o.id), ['o1']);
});

test('after signing in again, a correction of an old approved visit reaches the phone', async () => {
  const s = await visitSetup(server);
  const visits = [];
  const answers = [];
  for (let i = 0; i < 3; i++) {
    const v = uuidv7();
    visits.push(v);
    await s.a.change('visit', v, { facility_id: s.facilityId, kind: 'regular', status: 'draft', started_at: `2026-0${i + 1}-10T09:00:00Z`, team: [s.aUser.id] });
    const cell = uuidv7();
    await s.a.change('location', cell, { visit_id: v, kind: 'cell', label: 'Cell 1' });
    const o = uuidv7();
    answers.push(o);
    await s.a.change('observation', o, { visit_id: v, location_id: cell, item: 'persons_present', value: 2 });
  }
  await s.a.sync();
  const coord = s.coord.store.session.token;
  for (const v of visits) await server.approve(coord, v);
  await s.a.sync();

  const fresh = await phone(server, s.aUser.username);
  await fresh.sync();
  assert.ok((await fresh.store.db.count('packs')) > 0, 'the old visits are packed');
  await fresh.syncer.startOver(); // what signing in again does: the next pull is a snapshot
  await fresh.sync();

  await server.call(coord, 'POST', `/api/v1/visits/${visits[0]}/reopen`, { reason: 'correct a count' });
  await s.a.sync();
  await s.a.change('observation', answers[0], { value: 7 });
  await s.a.sync();
  await server.approve(coord, visits[0]);

  await fresh.sync();
  assert.equal((await fresh.store.get('visit', visits[0])).fields.status, 'approved');
  assert.equal((await fresh.store.get('observation', answers[0])).fields.value, 7, 'the phone shows the corrected answer');
});

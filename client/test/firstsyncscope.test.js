// A first sync during which what the user may see changes (protocol.md,
// "First sync"): the full pass from 0 records the change without a reset,
// so the phone itself drops what the working-set pass applied and the full
// pass no longer brought, keeping what it still has to send or wrote since.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.js';
import { phone, visitSetup } from './support/devices.js';
import { uuidv7, recordKey } from '../web/synccore.js';
import { Store } from '../web/store.js';
import { Syncer } from '../web/sync.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

/**
 * scene makes, on the server, Ana's open visit (from visitSetup) with a
 * yard, and Bek's visit with Ana on its team (a cell, two observations);
 * Ana's new phone then signs in. Returns its ids and { fresh, tab() } (tab
 * opens another tab of the app on the new phone's database).
 */
async function scene() {
  const s = await visitSetup(server); // Ana's open visit (team Ana, Bek), one cell
  const shared = uuidv7();
  const sharedCell = uuidv7();
  const sharedObs = uuidv7();
  const waitingObs = uuidv7();
  await s.b.change('visit', shared, { facility_id: s.facilityId, kind: 'regular', status: 'draft', started_at: '2026-11-21T09:00:00Z', team: [s.bUser.id, s.aUser.id] });
  await s.b.change('location', sharedCell, { visit_id: shared, kind: 'cell', label: 'Cell 7' });
  await s.b.change('observation', sharedObs, { visit_id: shared, location_id: sharedCell, item: 'persons_present', value: 3 });
  await s.b.change('observation', waitingObs, { visit_id: shared, location_id: sharedCell, item: 'persons_present', value: 4 });
  const yard = uuidv7();
  await s.a.change('location', yard, { visit_id: s.visitId, kind: 'yard', label: 'Yard' });
  await s.b.sync();
  await s.a.sync();
  await s.coord.sync();
  const fresh = await phone(server, s.aUser.username);
  const tab = async () => {
    const t = await Store.open({ name: fresh.store.name });
    t.base = server.url;
    await t.setSession(fresh.store.session);
    return t;
  };
  return { ...s, shared, sharedCell, sharedObs, waitingObs, yard, fresh, tab };
}

/** rewriteYard renames the yard on store. */
const rewriteYard = (store, c) => store.change('location', c.yard, { label: 'Exercise yard' });

/**
 * syncWith syncs the new phone, running fn once when it asks for the first
 * page of the full pass (the working set applied). The full pass's pages
 * leave out the yard, as the server leaves out a write of the device's own
 * it stored as sent ("No echo"; today's server echoes a record this device
 * did not make, but the contract allows it: the phone must not drop it).
 */
async function syncWith(c, fn) {
  let between = false;
  const real = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const u = new URL(url);
    if (u.pathname !== '/api/v1/sync/pull' || u.searchParams.get('set')) return real(url, init);
    if (!between) {
      between = true;
      await fn();
    }
    const resp = await real(url, init);
    const page = await resp.json();
    if (page.changes) page.changes = page.changes.filter((ch) => ch.id !== c.yard);
    return new Response(JSON.stringify(page), { status: resp.status, headers: { 'Content-Type': 'application/json' } });
  };
  try {
    await c.fresh.sync();
  } finally {
    globalThis.fetch = real;
  }
  assert.ok(between, 'the phone pulled in two passes');
}

test('a visit the member is taken off between the two passes of a first sync leaves the phone, but not what it still has to send or wrote since', async () => {
  const c = await scene();
  const { fresh } = c;
  await syncWith(c, async () => {
    assert.ok(await fresh.store.get('visit', c.shared), 'the shared visit came in the working set');
    // The coordinator takes Ana off Bek's visit.
    await c.coord.change('visit', c.shared, { team: [c.bUser.id] });
    await c.coord.sync();
    assert.deepEqual(await c.coord.store.rejected(), [], 'the coordinator changed the team');
    // Another tab of the app on the same phone renames the yard and sends it.
    const tab = await c.tab();
    await rewriteYard(tab, c);
    await new Syncer(tab).push();
    assert.equal(await tab.outboxCount(), 0, 'the other tab sent its write');
    tab.db.close();
    // Ana corrects an observation of Bek's visit on her new phone, not sent yet.
    await fresh.change('observation', c.waitingObs, { value: 5 });
  });
  for (const [type, id] of [['visit', c.shared], ['location', c.sharedCell], ['observation', c.sharedObs]]) {
    assert.equal(await fresh.store.get(type, id), undefined, `${type} of the visit Ana was taken off is still on her phone`);
  }
  const waiting = await fresh.store.get('observation', c.waitingObs);
  assert.ok(waiting, 'the observation with a correction waiting to be sent was dropped');
  assert.equal(waiting.fields.value, 5);
  assert.equal(await fresh.store.outboxCount(), 1);
  const yard = await fresh.store.get('location', c.yard);
  assert.ok(yard, 'the place the device wrote since the first pass was dropped');
  assert.equal(yard.fields.label, 'Exercise yard');

  // Apart from the record it still has to send, the phone holds what a phone signed in now gets.
  const again = await phone(server, c.aUser.username);
  await again.sync();
  const live = await fresh.live();
  delete live[recordKey('observation', c.waitingObs)];
  assert.ok(live[recordKey('visit', c.visitId)] && live[recordKey('location', c.cellId)], 'Ana\'s own visit stayed');
  assert.deepEqual(live, await again.live());
  assert.equal(await fresh.store.meta('since'), await again.store.meta('since'));
});

test('a write another tab has acknowledged while the last page is applied keeps every record until the next reset', async () => {
  const c = await scene();
  const { fresh } = c;
  // The other tab's push reaches the server before the full pass (not echoed), and its answer is
  // applied after the phone read its log of acknowledged pushes, before the last page's transaction.
  let release;
  const released = new Promise((r) => { release = r; });
  let pushed;
  const read = fresh.store.writtenSince.bind(fresh.store);
  fresh.store.writtenSince = async (mark) => {
    const written = await read(mark);
    release();
    await pushed; // the answer applied: the operation left the outbox, the push is in the log
    return written;
  };
  await syncWith(c, async () => {
    await c.coord.change('visit', c.shared, { team: [c.bUser.id] });
    await c.coord.sync();
    assert.deepEqual(await c.coord.store.rejected(), [], 'the coordinator changed the team');
    const tab = await c.tab();
    await rewriteYard(tab, c);
    let answered;
    const served = new Promise((r) => { answered = r; });
    const ack = tab.acknowledgePush.bind(tab);
    tab.acknowledgePush = async (...args) => {
      answered();
      await released;
      return ack(...args);
    };
    pushed = new Syncer(tab).push().finally(() => tab.db.close());
    await served;
  });
  assert.ok(pushed, 'the other tab pushed');
  release(); // had the last page not read the log, the push still ends
  await pushed;
  const yard = await fresh.store.get('location', c.yard);
  assert.ok(yard, 'the place another tab wrote and sent during the first sync was dropped');
  assert.equal(yard.fields.label, 'Exercise yard');
  assert.ok(await fresh.store.get('visit', c.shared), 'nothing is dropped when a push was acknowledged meanwhile');
});

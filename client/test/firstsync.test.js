// A new phone's first sync (issue 20, protocol 1.2): the working set first,
// then the history, each change applied once; pulled pages applied in time
// slices that leave the main thread free.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.js';
import { phone, visitSetup } from './support/devices.js';
import { uuidv7, recordKey, expandVersions } from '../web/synccore.js';
import { Store, updateSliced } from '../web/store.js';
import { unwrap } from '../web/vendor/idb/idb.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test('a new phone applies the working set before the history, each change once, and ends like the phone that made it', async () => {
  const s = await visitSetup(server); // its visit (20 Nov) stays open
  const under = {}; // visit id → keys of the records under it
  const past = [];
  for (const day of ['2026-01-10', '2026-06-10']) {
    const visitId = uuidv7();
    past.push(visitId);
    under[visitId] = [];
    await s.a.change('visit', visitId, { facility_id: s.facilityId, kind: 'regular', status: 'draft', started_at: `${day}T09:00:00Z`, team: [s.aUser.id] });
    for (let c = 0; c < 3; c++) {
      const cell = uuidv7();
      const obs = uuidv7();
      await s.a.change('location', cell, { visit_id: visitId, kind: 'cell', label: `Cell ${c + 1}` });
      await s.a.change('observation', obs, { visit_id: visitId, location_id: cell, item: 'persons_present', value: c + 2 });
      under[visitId].push(recordKey('location', cell), recordKey('observation', obs));
    }
  }
  await s.a.sync();
  for (const v of past) await server.approve(s.coord.store.session.token, v);
  await s.a.sync();

  const fresh = await phone(server, s.aUser.username);
  const order = []; // every change pulled, in order
  let applied = 0; // what the store says it applied
  const apply = fresh.store.applyPull.bind(fresh.store);
  fresh.store.applyPull = async (resp, snap, opts) => {
    // A page comes cut for applying (splitPage): its rows' changes and its packed parts, put back in the page's order.
    const all = resp.changes.map((ch) => [ch.seq, recordKey(ch.type, ch.id)]);
    for (const p of resp.packs || []) p.keys.forEach((k, i) => all.push([p.seqs[i], k]));
    for (const [, k] of all.sort((a, b) => a[0] - b[0])) order.push(k);
    const n = await apply(resp, snap, opts);
    applied += n;
    return n;
  };
  await fresh.sync();

  const [older, latest] = past;
  const work = [recordKey('facility', s.facilityId), recordKey('visit', s.visitId), recordKey('location', s.cellId),
    ...past.map((v) => recordKey('visit', v)), ...under[latest]];
  const lastWork = Math.max(...work.map((k) => order.indexOf(k)));
  const firstHistory = Math.min(...under[older].map((k) => order.indexOf(k)));
  assert.ok(!work.some((k) => order.indexOf(k) < 0), 'every record of the working set came');
  assert.ok(lastWork < firstHistory, `the working set (last at ${lastWork}) came before the history (first at ${firstHistory})`);
  assert.ok(order.length > new Set(order).size, 'the full pass sent the working set again');
  assert.equal(applied, new Set(order).size, 'no change applied twice');
  assert.ok(fresh.syncer.stats.pages[0].work && !fresh.syncer.stats.pages.at(-1).work, 'a working-set pass, then a full one');
  assert.deepEqual(await fresh.live(), await s.a.live());
  // The versions came in the compact form and were expanded: a base is the field's version.
  const obs = await fresh.store.get('observation', under[older][1].split('/')[1]);
  assert.ok(obs.versions.value > 0 && obs.versions.value === obs.seq, `versions ${JSON.stringify(obs.versions)} at seq ${obs.seq}`);
  assert.ok(fresh.store.clock.last.wall > 0, 'the page stamp moved the clock');
  // The next pull starts after everything: nothing comes again.
  order.length = 0;
  await fresh.sync();
  assert.deepEqual(order, []);
});

test('a compact change expands to its full versions', () => {
  assert.deepEqual(expandVersions({ seq: 9, fields: { a: 1, b: 2, c: 3 }, versions: { b: 4, c: 0, _deleted: 7 } }), { a: 9, b: 4, _deleted: 7 });
  assert.deepEqual(expandVersions({ seq: 3, fields: { a: 1 } }), { a: 3 });
});

test('a page is applied in time slices, each next slice in the task of an answer', async () => {
  const store = await Store.open({ name: 'slices' });
  const keys = Array.from({ length: 40 }, (_, i) => `observation/${i}`);
  const tx = store.db.transaction('records', 'readwrite');
  const os = tx.objectStore('records');
  let t = 0;
  const clock = () => (t += 10); // every read issued costs 10 ms
  let issued = 0;
  let issuedAtFirstAnswer = -1;
  const raw = unwrap(os); // the plain IDBObjectStore under idb's wrapper
  const get = raw.get.bind(raw);
  raw.get = (k) => { issued++; return get(k); };
  await updateSliced(os, keys, (row, key) => {
    if (issuedAtFirstAnswer < 0) issuedAtFirstAnswer = issued;
    return { key, type: 'observation', id: key, visit_id: '', facility_id: '', fields: {}, versions: {} };
  }, 25, clock);
  await tx.done;
  assert.equal(issuedAtFirstAnswer, 3, 'a slice of 25 ms holds 3 reads of 10 ms; the rest waits for an answer');
  assert.equal(issued, keys.length);
  assert.equal(await store.db.count('records'), keys.length);
});

test('the last push brings the pull that follows it (protocol 1.2): no pull request of its own', async () => {
  const s = await visitSetup(server);
  await s.b.change('location', s.cellId, { label: 'Cell 1 (renamed on B)' });
  await s.b.sync();
  const obs = uuidv7();
  await s.a.change('observation', obs, { visit_id: s.visitId, location_id: s.cellId, item: 'persons_present', value: 4 });
  const real = globalThis.fetch;
  const asked = [];
  globalThis.fetch = (url, init) => {
    asked.push(`${(init && init.method) || 'GET'} ${new URL(url).pathname}`);
    return real(url, init);
  };
  try {
    await s.a.sync();
  } finally {
    globalThis.fetch = real;
  }
  assert.deepEqual(asked, ['POST /api/v1/sync/push']);
  assert.equal((await s.a.store.get('location', s.cellId)).fields.label, 'Cell 1 (renamed on B)');
  assert.equal(await s.a.store.outboxCount(), 0);
  await s.b.sync();
  assert.deepEqual(await s.b.live(), await s.a.live());
});

test('a read the screen makes while a page is applied waits for one chunk, not the whole page', async () => {
  const store = await Store.open({ name: 'chunks' });
  const changes = Array.from({ length: 500 }, (_, i) => ({ seq: i + 1, type: 'observation', id: `o${i}`,
    fields: { visit_id: 'v1', item: 'persons_present', value: i } }));
  let applied = false;
  const applying = store.applyPull({ changes, next: 500, more: false, compact: true }).then(() => { applied = true; });
  await new Promise((r) => setTimeout(r, 0));
  const visits = await store.all('visit'); // what opening a screen reads
  assert.deepEqual(visits, []);
  assert.equal(applied, false, 'the read was answered while the page was still being applied');
  await applying;
  assert.equal(await store.db.count('records'), 500);
  assert.equal(await store.meta('since'), 500);
  assert.equal((await store.get('observation', 'o7')).versions.value, 8);
});

test('the next page is fetched while the last one is applied', async () => {
  const s = await visitSetup(server);
  for (let i = 0; i < 12; i++) await s.a.change('location', uuidv7(), { visit_id: s.visitId, kind: 'cell', label: `Cell ${i + 2}` });
  await s.a.sync();
  const fresh = await phone(server, s.aUser.username);
  fresh.syncer.pullLimit = 4; // pages of 4 changes: several pages in each pass
  const events = []; // ['asked', since] when a page is requested, ['applied', next, more] when one is in
  const real = globalThis.fetch;
  globalThis.fetch = (url, init) => {
    const u = new URL(url);
    if (u.pathname === '/api/v1/sync/pull') events.push(['asked', Number(u.searchParams.get('since'))]);
    return real(url, init);
  };
  const apply = fresh.store.applyPull.bind(fresh.store);
  fresh.store.applyPull = async (resp, snap, opts) => {
    const n = await apply(resp, snap, opts);
    events.push(['applied', resp.next, resp.more]);
    return n;
  };
  try {
    await fresh.sync();
  } finally {
    globalThis.fetch = real;
  }
  const pages = events.filter(([what, , more]) => what === 'applied' && more);
  assert.ok(pages.length >= 4, `${pages.length} pages followed by another`);
  for (const page of pages) {
    // Between the page before it applied and this page applied, the page after it was asked for.
    const applied = events.indexOf(page);
    const before = events.findLastIndex(([what], i) => what === 'applied' && i < applied);
    const asked = events.findIndex(([what, since], i) => what === 'asked' && since === page[1] && i > before && i < applied);
    assert.ok(asked >= 0, `the page after ${page[1]} was asked for while the page ending there was applied: ${JSON.stringify(events)}`);
  }
  assert.deepEqual(await fresh.live(), await s.a.live());
});

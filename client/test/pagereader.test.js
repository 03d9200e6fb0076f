// Pulled pages read off the main thread (issue 20, round four): the page
// fetches a page and hands its body to pullworker.js, which parses it and
// cuts it for applying (splitPage); packed history comes back as JSON text
// and is stored as it is. Whatever the path — the worker, the worker broken,
// no worker — and wherever a first sync is cut, every record is stored
// exactly once, and the phone ends with what the phone that made it holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.js';
import { phone, visitSetup } from './support/devices.js';
import { uuidv7, recordKey, splitPage, partChanges, PACK_ROW, PACK_TEXT } from '../web/synccore.js';
import { Store, OUTBOX_SLICE, CLEAR, CLEAR_META, TEMPLATE_PART } from '../web/store.js';
import { newLock, makeCodec } from '../web/vault.js';
import { Syncer, downloadReference, api } from '../web/sync.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const page = (next, ...changes) => ({ changes, next, more: false, compact: true });
const obsChange = (seq, id, visitId, value) => ({ seq, type: 'observation', id, fields: { visit_id: visitId, item: 'persons_present', value } });

/** stored counts every stored copy of a record: its row, and each packed row holding it. */
async function stored(store) {
  const copies = new Map();
  for (const k of await store.db.getAllKeys('records')) copies.set(k, (copies.get(k) || 0) + 1);
  for (const row of await store.db.getAll('packs')) for (const k of row.keys) copies.set(k, (copies.get(k) || 0) + 1);
  return copies;
}

// A module worker run in this process, as the browser runs pullworker.js:
// messages are copied both ways; every instance shares the module (one
// `self`), so replies are routed back by a tag on the request id.
const workers = new Map();
let workerSeq = 0;
class InProcessWorker {
  constructor(url, opts) {
    assert.equal(opts && opts.type, 'module');
    assert.match(String(url), /pullworker\.js$/);
    this.n = ++workerSeq;
    workers.set(this.n, this);
    globalThis.self ||= {
      postMessage(msg) {
        const [n, id] = msg.id.split(':');
        const w = workers.get(Number(n));
        if (w) setTimeout(() => w.onmessage({ data: structuredClone({ ...msg, id: Number(id) }) }), 0);
      },
    };
    this.loaded = import(url.href);
  }

  postMessage(msg) {
    this.posted = (this.posted || 0) + 1;
    this.loaded.then(() => globalThis.self.onmessage({ data: { ...msg, id: `${this.n}:${msg.id}` } }));
  }

  terminate() {
    workers.delete(this.n);
  }
}

/** BrokenWorker never starts (a browser without module workers): the page's reader must read pages itself. */
class BrokenWorker {
  constructor() {
    setTimeout(() => this.onerror({ message: 'module workers are not supported' }), 5);
  }

  postMessage() {}

  terminate() {}
}

/** withWorker runs fn with Worker set to W (undefined: none, as in node). */
async function withWorker(W, fn) {
  const had = globalThis.Worker;
  globalThis.Worker = W;
  try {
    return await fn();
  } finally {
    globalThis.Worker = had;
  }
}

test('splitPage keeps rows in order and cuts packed history in parts of PACK_ROW, as JSON text', () => {
  const V = uuidv7();
  const W = uuidv7();
  const changes = [
    { seq: 1, type: 'visit', id: V, fields: { status: 'approved' } },
    ...Array.from({ length: PACK_ROW + 10 }, (_, i) => obsChange(i + 2, `o${i}`, V, i)),
    obsChange(400, 'w1', W, 1),
    { seq: 401, type: 'observation', id: 'gone', merged_into: 'o1', fields: { visit_id: V } },
  ];
  const p = splitPage(page(401, ...changes), new Set([V]), { textMax: Infinity });
  assert.equal(p.split, true);
  assert.deepEqual(p.changes.map((ch) => ch.id), [V, 'w1', 'gone'], 'the visit record, an unpacked visit and a merge stay rows');
  assert.deepEqual(p.packs.map((x) => [x.visit, x.part, x.keys.length]), [[V, 0, PACK_ROW], [V, 1, 10]]);
  assert.deepEqual(p.packs.flatMap((x) => x.keys), changes.slice(1, PACK_ROW + 11).map((ch) => recordKey(ch.type, ch.id)));
  assert.deepEqual(p.packs.flatMap((x) => x.seqs), changes.slice(1, PACK_ROW + 11).map((ch) => ch.seq));
  assert.equal(typeof p.packs[0].json, 'string');
  assert.deepEqual(p.packs.flatMap(partChanges), changes.slice(1, PACK_ROW + 11));
  assert.equal(p.next, 401);
  assert.deepEqual(splitPage(page(2, obsChange(2, 'o', V, 1)), null).packs, [], 'nothing packed without packable visits');
});

test('splitPage cuts a part before its JSON text passes PACK_TEXT characters (a row over 64 KiB is a Blob of its own in Chromium)', () => {
  const V = uuidv7();
  const note = 'Камера переполнена, окно не открывается; '.repeat(8); // two bytes a character in IndexedDB
  const changes = Array.from({ length: 300 }, (_, i) => ({ ...obsChange(i + 1, `o${i}`, V, i), fields: { visit_id: V, item: 'persons_present', value: i, note } }));
  const huge = { ...obsChange(301, 'huge', V, 1), fields: { visit_id: V, item: 'persons_present', note: 'ж'.repeat(PACK_TEXT + 10) } };
  const p = splitPage(page(302, ...changes, huge, obsChange(302, 'after', V, 2)), new Set([V]));
  assert.ok(p.packs.length > 300 / PACK_ROW + 2, `cut by its text, not only by count: ${p.packs.length} parts`);
  for (const x of p.packs.slice(0, -2)) {
    assert.ok(x.json.length <= PACK_TEXT, `a part of ${x.json.length} characters`);
    assert.ok(2 * x.json.length + x.keys.join('').length < 64 * 1024, 'under 64 KiB as stored');
  }
  assert.deepEqual(p.packs.map((x) => x.part), p.packs.map((_, i) => i), 'parts numbered in order');
  assert.deepEqual(p.packs.at(-2).keys, [recordKey('observation', 'huge')], 'a change larger than the bound is a part alone');
  assert.deepEqual(p.packs.at(-1).keys, [recordKey('observation', 'after')]);
  assert.deepEqual(p.packs.flatMap(partChanges), [...changes, huge, obsChange(302, 'after', V, 2)], 'every change once, in order, as it came');
  assert.deepEqual(p.packs.flatMap((x) => x.seqs), [...changes.map((ch) => ch.seq), 301, 302]);
});

test('a visit\'s epoch changes after every committed write of its records, not after writes of other visits\' records', async () => {
  const store = await Store.open({ name: `epoch-${Date.now()}` });
  await store.setSession({ token: 't', device_id: uuidv7(), user: { id: 'u1' } });
  const V = uuidv7();
  const W = uuidv7();
  const at = () => [store.visitEpoch(V), store.visitEpoch(W)];
  let [v, w] = at();
  await store.applyPull(page(2, obsChange(1, 'a', V, 1), obsChange(2, 'b', V, 2)));
  assert.notEqual(store.visitEpoch(V), v, 'a pulled record of the visit');
  assert.equal(store.visitEpoch(W), w, 'nothing of the other visit was written');
  [v, w] = at();
  await store.applyPull(page(3, { seq: 3, type: 'observation', id: 'a', fields: { value: 5 } })); // the change names no visit: its row does
  assert.notEqual(store.visitEpoch(V), v, 'a change of a record of the visit, named by its row');
  assert.equal(store.visitEpoch(W), w);
  [v, w] = at();
  await store.applyPull(page(4, { seq: 4, type: 'visit', id: W, fields: { status: 'approved' } }));
  assert.deepEqual([store.visitEpoch(V) === v, store.visitEpoch(W) === w], [true, false], 'the visit record itself');
  [v, w] = at();
  await store.applyPull(page(5, obsChange(5, 'c', W, 1)), 0, { pack: new Set([W]) });
  assert.deepEqual([store.visitEpoch(V) === v, store.visitEpoch(W) === w], [true, false], 'packed history of the visit');
  [v, w] = at();
  await store.change('facility', 'f1', { name: 'x' });
  assert.deepEqual([store.visitEpoch(V) === v, store.visitEpoch(W) === w], [false, false], 'a change on the phone counts for every visit');
});

test('a page cut in the middle of a packed part is applied exactly once: rows, waiting operations and skipped changes leave the part', async () => {
  const store = await Store.open({ name: `split-mid-${Date.now()}` });
  await store.setSession({ token: 't', device_id: uuidv7(), user: { id: 'u1' } });
  const V = uuidv7();
  const pack = new Set([V]);
  const n = 2 * PACK_ROW + 20;
  const changes = Array.from({ length: n }, (_, i) => obsChange(i + 10, `o${i}`, V, i));
  // In the middle of the second part: a record held as a row, one with an operation waiting, one applied already.
  await store.applyPull(page(5, obsChange(5, `o${PACK_ROW + 3}`, V, -1), obsChange(6, `o${2 * PACK_ROW + 5}`, V, -1)));
  // (and in the third part, a row alone: that part is cut for it only)
  await store.change('observation', `o${PACK_ROW + 7}`, { visit_id: V, item: 'persons_present', value: 777 });
  await store.db.delete('records', recordKey('observation', `o${PACK_ROW + 7}`)); // its row gone while it waits
  const skip = new Map([[recordKey('observation', `o${PACK_ROW + 11}`), PACK_ROW + 21]]);
  const out = {};
  const split = splitPage(page(n + 10, ...changes), pack); // as the page's reader gives it
  await store.applyPull(split, 0, { pack, skip, out });
  assert.equal(out.packed, n - 4);
  assert.equal(out.rows, 3);
  const copies = await stored(store);
  assert.deepEqual([...copies].filter(([, c]) => c > 1), [], 'no record is stored twice');
  assert.equal(copies.has(recordKey('observation', `o${PACK_ROW + 11}`)), false, 'a skipped change is not applied again');
  assert.equal((await store.get('observation', `o${PACK_ROW + 3}`)).fields.value, PACK_ROW + 3, 'the row took the pulled value');
  assert.equal((await store.get('observation', `o${2 * PACK_ROW + 5}`)).fields.value, 2 * PACK_ROW + 5, 'the row took the pulled value');
  assert.equal((await store.get('observation', `o${PACK_ROW + 7}`)).fields.value, 777, 'the waiting value stays over the pulled one');
  const all = await store.ofVisit('observation', V);
  assert.equal(all.length, n - 1);
  assert.equal(new Set(all.map((o) => o.id)).size, n - 1);
  for (const o of all) if (o.id !== `o${PACK_ROW + 7}`) assert.equal(o.fields.value, Number(o.id.slice(1)), o.id);
  assert.ok((await store.db.getAll('packs')).every((r) => r.json === undefined || typeof r.json === 'string'));
});

test('packed rows written before the JSON text (objects) are still read, and replaced when pulled again', async () => {
  const store = await Store.open({ name: `pack-old-${Date.now()}` });
  const V = uuidv7();
  await store.db.put('packs', { pk: [V, 0, 9, 0], keys: [recordKey('observation', 'a'), recordKey('observation', 'b')], changes: [obsChange(3, 'a', V, 42), obsChange(4, 'b', V, 7)], compact: true });
  const reopened = await Store.open({ name: store.name });
  assert.equal((await reopened.get('observation', 'a')).fields.value, 42);
  assert.equal((await reopened.ofVisit('observation', V)).length, 2);
  // The app closed before that page's cursor was stored: pulled again from before it, cut elsewhere.
  await reopened.applyPull(page(12, obsChange(3, 'a', V, 42), obsChange(11, 'c', V, 1)), 0, { pack: new Set([V]) });
  const copies = await stored(reopened);
  assert.deepEqual([...copies.values()], [1, 1, 1], 'every record once');
  assert.deepEqual((await reopened.ofVisit('observation', V)).map((o) => [o.id, o.fields.value]).sort(), [['a', 42], ['b', 7], ['c', 1]]);
  const old = await reopened.db.get('packs', [V, 0, 9, 0]);
  assert.deepEqual(old.keys, [recordKey('observation', 'b')], 'the old row keeps only what the new one does not hold');
  assert.equal(typeof old.json, 'string');
});

test('the pull worker parses a page and cuts it for applying', async () => {
  await withWorker(InProcessWorker, async () => {
    const V = uuidv7();
    const w = new InProcessWorker(new URL('../web/pullworker.js', import.meta.url), { type: 'module' });
    const reply = new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); });
    const body = page(3, obsChange(2, 'o1', V, 1), { seq: 3, type: 'visit', id: V, fields: {} });
    w.postMessage({ id: 7, blob: new Blob([JSON.stringify(body)]), pack: [V] });
    const { id, page: got, error } = await reply;
    assert.equal(id, 7);
    assert.equal(error, undefined);
    assert.deepEqual(got, splitPage(body, new Set([V])));
    const bad = new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); });
    w.postMessage({ id: 8, blob: new Blob(['{"changes": [']), pack: null });
    assert.match((await bad).error, /JSON/);
    w.terminate();
  });
});

/**
 * history makes, on phone a of setup s, `visits` past visits of n places
 * each (an observation per place), approved by the coordinator.
 */
async function history(s, visits, n) {
  for (let i = 0; i < visits; i++) {
    const visitId = uuidv7();
    await s.a.change('visit', visitId, { facility_id: s.facilityId, kind: 'regular', status: 'draft', started_at: `2026-0${i + 1}-10T09:00:00Z`, team: [s.aUser.id] });
    for (let c = 0; c < n; c++) {
      const cell = uuidv7();
      await s.a.change('location', cell, { visit_id: visitId, kind: 'cell', label: `Cell ${c + 1}` });
      await s.a.change('observation', uuidv7(), { visit_id: visitId, location_id: cell, item: 'persons_present', value: c + 2 });
    }
    await s.a.sync();
    await server.approve(s.coord.store.session.token, visitId);
  }
  await s.a.sync();
}

test('a first sync read by the worker, by a broken worker, or cut and reopened, stores every record once', async () => {
  const s = await visitSetup(server);
  await history(s, 4, 6);
  const want = await s.a.live();
  const check = async (store, how) => {
    const copies = await stored(store);
    assert.deepEqual([...copies].filter(([, c]) => c > 1).map(([k]) => k), [], `${how}: no record is stored twice`);
    const live = {};
    for (const t of ['facility', 'visit', 'location', 'observation', 'recommendation']) for (const r of await store.all(t)) live[`${t}/${r.id}`] = true;
    assert.deepEqual(Object.keys(live).sort(), Object.keys(want).sort(), `${how}: the same records as the phone that made them`);
    assert.ok((await store.db.count('packs')) > 0, `${how}: the history is packed`);
    assert.ok((await store.db.getAll('packs')).every((r) => typeof r.json === 'string'), `${how}: packed rows hold JSON text`);
  };
  for (const [how, W] of [['worker', InProcessWorker], ['broken worker', BrokenWorker], ['no worker', undefined]]) {
    await withWorker(W, async () => {
      const fresh = await phone(server, s.aUser.username);
      fresh.syncer.pullLimit = 10;
      await fresh.sync();
      assert.equal(fresh.syncer.state.error, null, how);
      if (W === InProcessWorker) assert.ok(fresh.syncer.reader.worker && fresh.syncer.reader.worker.posted >= 3, 'the pages went through the worker');
      else assert.equal(fresh.syncer.reader.worker, null, `${how}: read here`);
      await check(fresh.store, how);
    });
  }
  // Through the worker, the app closed after the second packed page; reopened, with pages of other sizes.
  await withWorker(InProcessWorker, async () => {
    const fresh = await phone(server, s.aUser.username);
    fresh.syncer.pullLimit = 10;
    fresh.syncer.historyPages = 1;
    let packedPages = 0;
    const packPage = fresh.store.packPage.bind(fresh.store);
    fresh.store.packPage = async (...args) => {
      const n = await packPage(...args);
      if (++packedPages === 2) fresh.store.db.transaction = () => { throw new Error('the app was closed'); };
      return n;
    };
    const cut = await fresh.syncer.sync().then(() => null, (e) => e);
    assert.match(String(cut && cut.message), /closed/);
    fresh.store.db.close();
    const store = await Store.open({ name: fresh.store.name });
    store.base = server.url;
    const syncer = new Syncer(store);
    syncer.pullLimit = 7;
    await syncer.sync();
    assert.equal(syncer.state.error, null);
    await check(store, 'cut and reopened');
  });
});

test('checklists read by the worker are saved whole, each template parsed apart', async () => {
  const s = await visitSetup(server);
  const want = (await api(s.a.store, 'GET', '/api/v1/checklists')).checklists;
  assert.ok(want.length >= 2);
  for (const [how, W] of [['worker', InProcessWorker], ['no worker', undefined]]) {
    await withWorker(W, async () => {
      const fresh = await phone(server, s.aUser.username);
      await downloadReference(fresh.store, fresh.syncer.reader);
      if (W) {
        assert.ok(fresh.syncer.reader.worker && fresh.syncer.reader.worker.posted >= 1, 'the list went through the worker');
        const heads = await fresh.store.db.getAll('checklists');
        assert.ok(heads.every((r) => r.ref === `${r.id}@${r.version}` && (typeof r.json === 'string' ? r.json.length <= TEMPLATE_PART : r.parts >= 2)), 'kept as JSON text under a head, whole or in parts');
        assert.ok(heads.some((r) => r.parts), 'a template of the region is long enough to be kept in parts');
        assert.ok((await fresh.store.db.getAll('checklist_parts')).every((p) => p.json.length <= TEMPLATE_PART), 'no part over TEMPLATE_PART characters');
      }
      const saved = await fresh.store.checklists();
      assert.ok(saved.length >= 1, how);
      for (const c of saved) {
        const same = want.find((x) => x.id === c.id && x.version === c.version);
        assert.ok(same, `${how}: ${c.ref} is the server's`);
        assert.deepEqual(c.items, same.items, `${how}: ${c.ref} whole`);
      }
      assert.ok(await fresh.store.meta('reference_at'), how);
      const one = saved.find((c) => c.active) || saved[0];
      assert.deepEqual((await fresh.store.checklist(one.ref)).sections, want.find((x) => x.id === one.id && x.version === one.version).sections);
      // The whole list later: a version no longer active is marked so in its head, and read so.
      await fresh.store.saveChecklists([{ ...want[0], active: false }]);
      for (const c of await fresh.store.checklists()) assert.equal(!!c.active, false, `${how}: ${c.ref} marked inactive`);
    });
  }
});

test('the outbox is read in slices: every operation once, in order, across the cuts, sealed or not', async () => {
  for (const sealed of [false, true]) {
    const store = await Store.open({ name: `outbox-slices-${sealed}-${Date.now()}` });
    await store.setSession({ token: 't', device_id: uuidv7(), user: { id: 'u1' } });
    if (sealed) await store.reseal(makeCodec((await newLock('730519', 1000)).key, CLEAR, CLEAR_META));
    const n = 2 * OUTBOX_SLICE + 37;
    for (let i = 0; i < n; i++) await store.change('observation', `o${i}`, { visit_id: 'v', item: 'persons_present', value: i });
    const all = await store.outbox();
    assert.deepEqual(all.map((e) => e.op.id), Array.from({ length: n }, (_, i) => `o${i}`), 'every operation once, oldest first');
    for (const limit of [1, OUTBOX_SLICE, OUTBOX_SLICE + 1, 2 * OUTBOX_SLICE, n + 5]) {
      assert.deepEqual((await store.outbox(limit)).map((e) => e.key), all.slice(0, limit).map((e) => e.key), `limit ${limit}`);
    }
  }
});

// HLC format and ordering, operation building, outbox batching, the reading
// of push answers and pulled changes, and push bodies (docs/protocol.md), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock, parseHLC, formatHLC, compareHLC } from '../web/hlc.js';
import { makeOp, nextBatch, acknowledge, pendingFields, foldChange, uuidv7, MAX_OPS_PER_PUSH } from '../web/synccore.js';
import { matchResults, requeueKeys, BatchSizer, DELETED } from '../web/synccore.js';
import { pushBody, packJSON, unpackJSON } from '../web/pack.js';
import { observeAnswer, skewMinutes } from '../web/clockwatch.js';
import { gunzipSync } from 'node:zlib';

const DEV = '0193a1b2-0000-7000-8000-000000000001';

test('HLC has the SYNC.md format and round-trips', () => {
  const c = new Clock(DEV, '', () => Date.UTC(2026, 10, 26, 10, 15, 3, 120));
  const s = c.next();
  assert.equal(s, `2026-11-26T10:15:03.120Z/0000/${DEV}`);
  assert.equal(formatHLC(parseHLC(s)), s);
  assert.match(c.next(), /\/0001\//);
  assert.equal(parseHLC('garbage'), null);
});

test('HLC never goes backwards, even when the wall clock does', () => {
  let now = Date.UTC(2026, 0, 1, 12);
  const c = new Clock(DEV, '', () => now);
  const seen = [];
  for (let i = 0; i < 50; i++) {
    now += i % 7 === 3 ? -5000 : i % 2; // the phone's clock jumps back now and then
    seen.push(c.next());
  }
  for (let i = 1; i < seen.length; i++) assert.equal(compareHLC(seen[i - 1], seen[i]), -1, `${seen[i - 1]} !< ${seen[i]}`);
  // For one node, text order is time order too.
  assert.deepEqual([...seen].sort(), seen);
});

test('HLC resumes after the last stamp it issued (restart), unless that is more than a day ahead', () => {
  const now = Date.UTC(2026, 0, 1);
  const near = `2026-01-01T23:00:00.000Z/0007/${DEV}`; // within a day: it may have been observed
  assert.equal(compareHLC(near, new Clock(DEV, near, () => now).next()), -1);
  // Issued while the phone's date was set years ahead: the clock starts again from the physical time.
  const far = `2030-01-01T00:00:00.000Z/0007/${DEV}`;
  assert.equal(new Clock(DEV, far, () => now).next(), `2026-01-01T00:00:00.000Z/0000/${DEV}`);
});

test('HLC of a phone whose date was set years ahead stamps by the right time once the date is put right', () => {
  let phone = Date.UTC(2062, 10, 17, 9); // set wrong while offline
  const c = new Clock(DEV, '', () => phone);
  assert.match(c.next(), /^2062-/);
  phone = Date.UTC(2026, 10, 26, 10); // put right, and it syncs
  observeAnswer(c, { server_time: '2026-11-26T10:00:00.000Z' });
  assert.equal(c.next(), `2026-11-26T10:00:00.000Z/0000/${DEV}`);
  phone += 3600e3;
  assert.equal(c.next(), `2026-11-26T11:00:00.000Z/0000/${DEV}`, 'an hour later');
});

test('HLC ties are broken by node', () => {
  const a = `2026-11-26T10:15:03.120Z/0003/a`;
  const b = `2026-11-26T10:15:03.120Z/0003/b`;
  assert.equal(compareHLC(a, b), -1);
  assert.equal(compareHLC(b, a), 1);
  assert.equal(compareHLC(a, a), 0);
  assert.equal(compareHLC(`2026-11-26T10:15:03.120Z/0004/a`, b), 1);
});

test('uuidv7 is a version 7 UUID ordered by time', () => {
  const a = uuidv7(1000);
  const b = uuidv7(2000);
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(a < b);
});

test('a new record sends every field with base 0', () => {
  const op = makeOp({ type: 'observation', id: 'x', fields: { visit_id: 'v', item: 'cell_area_m2', value: 11.5 }, rec: null, hlc: 'h', opId: 'o' });
  assert.deepEqual(op, { op_id: 'o', type: 'observation', id: 'x', action: 'upsert', hlc: 'h',
    base: { visit_id: 0, item: 0, value: 0 }, fields: { visit_id: 'v', item: 'cell_area_m2', value: 11.5 } });
});

test('only changed fields are sent, each with its last pulled version as base', () => {
  const rec = { fields: { visit_id: 'v', item: 'i', value: 3, note: 'n' }, versions: { value: 40, note: 41 } };
  const op = makeOp({ type: 'observation', id: 'x', fields: { visit_id: 'v', value: 4, note: 'n' }, rec, hlc: 'h', opId: 'o' });
  assert.deepEqual(op.fields, { value: 4 });
  assert.deepEqual(op.base, { value: 40 });
  assert.equal(makeOp({ type: 'observation', id: 'x', fields: { value: 3 }, rec, hlc: 'h', opId: 'o' }), null);
});

const entries = (n) => Array.from({ length: n }, (_, i) => ({ key: i + 1, op: { op_id: `op${i}`, type: 'observation', id: `r${i % 3}`, action: 'upsert', fields: { value: i } } }));

test('a push carries at most 1000 operations, in outbox order', () => {
  const b = nextBatch(entries(2500));
  assert.equal(b.length, MAX_OPS_PER_PUSH);
  assert.equal(b[0].key, 1);
  assert.equal(b[999].key, 1000);
  assert.equal(nextBatch(entries(3)).length, 3);
  assert.equal(nextBatch([]).length, 0);
});

test('a push stays under the byte limit', () => {
  const big = Array.from({ length: 10 }, (_, i) => ({ key: i, op: { op_id: `o${i}`, fields: { text: 'x'.repeat(200000) } } }));
  const b = nextBatch(big);
  assert.ok(b.length >= 1 && b.length < 10, `${b.length}`);
});

test('applied, duplicate and conflict leave the outbox; rejected ones are kept to show', () => {
  const batch = entries(6);
  const results = [
    { op_id: 'op0', status: 'applied', seq: 10 },
    { op_id: 'op1', status: 'duplicate', seq: 5 },
    { op_id: 'op2', status: 'conflict', seq: 11, conflict_id: 'c' },
    { op_id: 'op3', status: 'rejected', error: { field: 'fields.value', message: 'must be between 0.5 and 2000 m²' } },
    { op_id: 'op4', status: 'duplicate', first_status: 'rejected', error: { field: 'fields.value', message: 'old' } },
  ];
  const ack = acknowledge(batch, results, 8);
  assert.deepEqual(ack.done, [1, 2, 3, 4, 5]); // op5 unanswered: it stays
  assert.deepEqual(ack.rejected.map((r) => r.op.op_id), ['op3', 'op4']);
  assert.equal(ack.rejected[0].error.message, 'must be between 0.5 and 2000 m²');
  assert.equal(ack.since, 4); // seq 5 ≤ since 8: pull that record again
});

test('a pulled change keeps values still waiting in the outbox', () => {
  const outbox = [
    { key: 1, op: { type: 'observation', id: 'r1', action: 'upsert', fields: { value: 7 } } },
    { key: 2, op: { type: 'observation', id: 'r1', action: 'upsert', fields: { value: 8, note: 'later' } } },
  ];
  const pending = pendingFields(outbox);
  const rec = foldChange({ seq: 20, type: 'observation', id: 'r1', deleted: false,
    fields: { visit_id: 'v', item: 'i', value: 5, note: '' }, versions: { value: 19, note: 12 } }, pending, { own: true });
  assert.equal(rec.fields.value, 8);
  assert.equal(rec.fields.note, 'later');
  assert.equal(rec.versions.value, 19);
  assert.equal(rec.visit_id, 'v');
  assert.equal(rec.own, true);
  const other = foldChange({ seq: 21, type: 'observation', id: 'r2', fields: { visit_id: 'v', value: 1 }, versions: { value: 21 } }, pending, null);
  assert.equal(other.fields.value, 1);
  const visit = foldChange({ seq: 22, type: 'visit', id: 'v', fields: { facility_id: 'f' }, versions: {} }, pending, null);
  assert.equal(visit.visit_id, 'v');
  assert.equal(visit.facility_id, 'f');
});

// ---- protocol 1.1: clock offset, deletes with base, decisions, acknowledgement, batch sizes, gzip.

test('the clock stamps by the phone clock corrected by the server offset', () => {
  const phone = Date.UTC(2099, 0, 1); // a phone that believes it is 2099
  const c = new Clock(DEV, '', () => phone);
  const offset = observeAnswer(c, { server_time: '2026-11-26T10:15:03.120Z' });
  assert.equal(offset, Date.UTC(2026, 10, 26, 10, 15, 3, 120) - phone);
  assert.equal(skewMinutes(offset) < 0, true);
  assert.match(c.next(), /^2026-11-26T10:15:03\.120Z\/0000\//); // the server's time, through the offset
  assert.equal(skewMinutes(4 * 60000), 0);
  assert.equal(skewMinutes(-6 * 60000), -6);
});

test('a received stamp more than a day ahead of the corrected clock is not observed', () => {
  const now = Date.UTC(2026, 10, 26);
  const c = new Clock(DEV, '', () => now);
  c.observe(`2026-11-28T00:00:00.000Z/0000/other`);
  assert.match(c.next(), /^2026-11-26T00:00:00\.000Z/);
  c.observe(`2026-11-26T12:00:00.000Z/0005/other`);
  assert.match(c.next(), /^2026-11-26T12:00:00\.000Z\/0006\//);
  // Pulled stamps are observed too.
  observeAnswer(c, { changes: [{ stamps: { value: `2026-11-26T13:00:00.000Z/0002/x` } }] });
  assert.match(c.next(), /^2026-11-26T13:00:00\.000Z\/0003\//);
});

test('a delete carries base._deleted, the highest version held; a restore the deletion version', () => {
  const rec = { fields: { label: 'a' }, versions: { label: 40, kind: 52 }, deleted: false };
  const del = makeOp({ type: 'location', id: 'x', action: 'delete', rec, hlc: 'h', opId: 'o' });
  assert.deepEqual(del.base, { [DELETED]: 52 });
  assert.equal(del.fields, undefined);
  assert.deepEqual(makeOp({ type: 'location', id: 'x', action: 'delete', rec: null, hlc: 'h', opId: 'o' }).base, { _deleted: 0 });
  const gone = { fields: { label: 'a' }, versions: { label: 40, _deleted: 60 }, deleted: true };
  const back = makeOp({ type: 'location', id: 'x', fields: {}, rec: gone, hlc: 'h', opId: 'o' });
  assert.deepEqual(back.base, { _deleted: 60 });
  const pending = pendingFields([{ op: del }, { op: back }]);
  assert.equal(pending.get('location/x').deleted, false, 'the later restore wins over the earlier delete');
});

test('a decision writes the field even unchanged, from its current version, naming the conflicts', () => {
  const rec = { fields: { label: 'kept' }, versions: { label: 77 } };
  const op = makeOp({ type: 'location', id: 'x', fields: { label: 'kept' }, rec, hlc: 'h', opId: 'o', resolves: ['c1'], force: ['label'] });
  assert.deepEqual(op.fields, { label: 'kept' });
  assert.deepEqual(op.base, { label: 77 });
  assert.deepEqual(op.resolves, ['c1']);
});

test('compact results are matched by position', () => {
  const batch = [
    { key: 1, op: { op_id: 'a', type: 'observation', id: 'r1', action: 'upsert', fields: { value: 1, note: 'n' } } },
    { key: 2, op: { op_id: 'b', type: 'location', id: 'l1', action: 'delete' } },
    { key: 3, op: { op_id: 'c', type: 'observation', id: 'r2', action: 'upsert', fields: { value: 2 } } },
    { key: 4, op: { op_id: 'd', type: 'observation', id: 'r3', action: 'upsert', fields: { value: 3 } } },
  ];
  const results = [{ status: 'applied', seq: 10 }, { status: 'applied', seq: 11 }, { status: 'conflict', seq: 12 }, { status: 'duplicate', seq: 5, first_status: 'applied' }];
  assert.deepEqual(matchResults(batch, results).map(([e, r]) => [e.key, r.seq]), [[1, 10], [2, 11], [3, 12], [4, 5]]);
  const ack = acknowledge(batch, results, 0);
  assert.deepEqual(ack.kept.map((e) => e.key), [1, 2, 3, 4]);
});

test('operations sent again go before those waiting, in their first order', () => {
  assert.deepEqual(requeueKeys(10, 3), [7, 8, 9]);
  assert.equal(requeueKeys(null, 3), null);
});

test('batches start small, grow with what the link carries, shrink when slow, halve when cut, reach one', () => {
  const b = new BatchSizer({ start: 50, timeoutMs: 30000 });
  b.ok(50, 500); // 50 in 0.5 s: 750 would fit in a quarter of the timeout; at most 8×
  assert.equal(b.size(), 400);
  b.ok(10, 100); // the outbox ran out: no news about the link
  assert.equal(b.size(), 400);
  b.ok(400, 20000); // too slow: 150 would fit, but never below half
  assert.equal(b.size(), 200);
  b.ok(200, 30000);
  assert.equal(b.size(), 100);
  b.ok(100, 1000); // 750 would fit
  assert.equal(b.size(), 750);
  for (let i = 0; i < 20; i++) b.failed(b.size());
  assert.equal(b.size(), 1);
  for (let i = 0; i < 20; i++) b.ok(b.size(), 100);
  assert.equal(b.size(), MAX_OPS_PER_PUSH);
});

test('a push body is gzipped JSON carrying device_time and compact_results; plain when gzip is missing', async () => {
  const ops = Array.from({ length: 450 }, (_, i) => ({ op_id: `op${i}`, type: 'observation', id: `r${i}`, action: 'upsert', hlc: 'h', fields: { value: i, note: 'same text again' } }));
  const gz = await pushBody(DEV, ops, { deviceTime: '2026-11-26T10:00:00.000Z' });
  assert.equal(gz.gzip, true);
  const body = JSON.parse(gunzipSync(gz.data).toString('utf8'));
  assert.deepEqual(body, { device_id: DEV, device_time: '2026-11-26T10:00:00.000Z', compact_results: true, ops });
  const plain = await pushBody(DEV, ops, { gzip: false });
  assert.equal(plain.gzip, false);
  assert.deepEqual(JSON.parse(plain.data).ops, ops);
  assert.ok(gz.bytes * 5 < plain.bytes, `gzip ${gz.bytes} B vs plain ${plain.bytes} B`);
  assert.deepEqual(await unpackJSON(await packJSON(ops)), ops);
});

test('a push body is built in slices: other tasks run while a large one is made, gzipped or plain', async () => {
  const ops = Array.from({ length: 1000 }, (_, i) => ({ op_id: `op${i}`, type: 'observation', id: `r${i}`, action: 'upsert', hlc: 'h', fields: { value: i, note: 'same text again' } }));
  // The plain fallback (a browser without CompressionStream) yields only by
  // its slices; node's gzip is asynchronous anyway, so there this checks
  // nothing more than that other tasks run (Chromium: e2e/weaklink_test.go).
  for (const gzip of [false, true]) {
    let ticks = 0;
    let stop = false;
    const tick = () => {
      if (stop) return;
      ticks++;
      setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    const body = await pushBody(DEV, ops, { gzip });
    stop = true;
    assert.equal(body.gzip, gzip);
    assert.ok(ticks >= 5, `gzip ${gzip}: ${ticks} other tasks ran while 1,000 operations were encoded; want one per slice of 100`);
  }
});

test('a refused change gives back the values it replaced, unless a later waiting change sets them', async () => {
  const { rollbackRefused } = await import('../web/synccore.js');
  const rec = { key: 'observation/o1', type: 'observation', id: 'o1', fields: { visit_id: 'v', value: 99, note: 'new' }, versions: { value: 10 }, deleted: false };
  const prev = { fields: { value: 2.4, note: null }, deleted: false };
  const back = rollbackRefused(rec, false, prev).put;
  assert.equal(back.fields.value, 2.4);
  assert.equal('note' in back.fields, false);
  const later = rollbackRefused(rec, { fields: { note: 'newer' }, deleted: null }, prev).put;
  assert.equal(later.fields.value, 2.4);
  assert.equal(later.fields.note, 'new', 'a later waiting change keeps its value');
  assert.equal(rollbackRefused(rec, false, { created: true }).put.deleted, true, 'a record the refused change made goes');
  assert.deepEqual(rollbackRefused(rec, { fields: {} }, { created: true }), {});
});

test('an operation whose parent is missing on the server waits for the next sync, for 30 days', () => {
  const now = Date.UTC(2026, 10, 29);
  const batch = [
    { key: 1, at: now - 1000, op: { op_id: 'a', type: 'observation', id: 'r1', action: 'upsert', fields: { value: 1 } } },
    { key: 2, at: now - 31 * 24 * 3600 * 1000, op: { op_id: 'b', type: 'observation', id: 'r2', action: 'upsert', fields: { value: 2 } } },
  ];
  const missing = { status: 'rejected', error: { code: 'missing_parent', field: 'fields.visit_id', message: 'no such visit' } };
  const ack = acknowledge(batch, [missing, missing], 0, now);
  assert.deepEqual(ack.waiting, [1]);
  assert.deepEqual(ack.done, [2]);
  assert.deepEqual(ack.rejected.map((r) => r.op.op_id), ['b'], 'after 30 days it is shown refused');
});

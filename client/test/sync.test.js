// HLC format and ordering, operation building, outbox batching and the
// reading of push answers and pulled changes (SYNC.md), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock, parseHLC, formatHLC, compareHLC } from '../web/hlc.js';
import { makeOp, nextBatch, acknowledge, pendingFields, foldChange, uuidv7, MAX_OPS_PER_PUSH } from '../web/synccore.js';

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

test('HLC resumes after the last stamp it issued (restart)', () => {
  const last = `2030-01-01T00:00:00.000Z/0007/${DEV}`;
  const c = new Clock(DEV, last, () => Date.UTC(2026, 0, 1));
  assert.equal(compareHLC(last, c.next()), -1);
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

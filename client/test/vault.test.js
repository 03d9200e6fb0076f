// The PIN, the data key and the codec that seals the device's rows (vault.js).
// PBKDF2 runs with few iterations here for speed except where the real count is
// checked; the browser test (e2e/applock_test.go) uses the real count throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { validPin, deriveKey, newLock, rewrap, unwrap, makeCodec, PIN_ITERATIONS } from '../web/vault.js';

// The same lists as store.js (which imports the browser-only idb and cannot load here).
const CLEAR = { meta: ['k'], records: ['key', 'type', 'id', 'visit_id', 'facility_id'], outbox: ['key'], rejected: ['key'], checklists: ['ref'], sent: ['key'] };
const CLEAR_META = ['lang', 'lock'];
const FAST = 1000;
const CANARY = 'КАНАРЕЙКА-7f3a Ivanov I.I. b. 1985';

/** raw renders a row as an attacker reading the disk would see its bytes. */
function raw(row) {
  return JSON.stringify(row, (k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') + Buffer.from(v).toString('utf8') : v));
}

test('a PIN is 6 to 32 digits', () => {
  for (const ok of ['123456', '0000000', '12345678901234567890123456789012']) assert.ok(validPin(ok), ok);
  for (const bad of ['12345', '', '12345a', ' 123456', '123456 ', '１２３４５６', '123456789012345678901234567890123', 123456, null]) assert.ok(!validPin(bad), String(bad));
});

test('the key is PBKDF2-SHA-256 of the PIN, as OpenSSL computes it', async () => {
  const salt = new Uint8Array(16).fill(7);
  const got = await deriveKey('482916', salt, FAST);
  assert.equal(Buffer.from(got).toString('hex'), pbkdf2Sync('482916', salt, FAST, 32, 'sha256').toString('hex'));
  await assert.rejects(deriveKey('482916', salt, 10), /too few/);
});

test('a new lock uses at least 600,000 iterations and keeps no PIN', async () => {
  assert.ok(PIN_ITERATIONS >= 600000);
  const { lock, key } = await newLock('90817263');
  assert.equal(lock.iterations, PIN_ITERATIONS);
  assert.equal(lock.kdf, 'PBKDF2-SHA-256');
  assert.equal(lock.salt.length, 16);
  assert.equal(key.length, 32);
  assert.ok(!raw(lock).includes('90817263'));
  assert.ok(!raw(lock).includes(Buffer.from(key).toString('latin1')), 'the data key is stored in clear');
});

test('the right PIN unwraps the data key, a wrong one does not; a new PIN keeps the key', async () => {
  const { lock, key } = await newLock('246810', FAST);
  assert.deepEqual(await unwrap(lock, '246810'), key);
  assert.equal(await unwrap(lock, '246811'), null);
  assert.equal(await unwrap(lock, '2468100'), null);
  const { lock: lock2 } = await rewrap(key, '13579135', FAST);
  assert.deepEqual(await unwrap(lock2, '13579135'), key);
  assert.equal(await unwrap(lock2, '246810'), null);
  assert.notDeepEqual(lock2.salt, lock.salt);
  await assert.rejects(newLock('12345', FAST), /six digits/);
  // Two locks for one PIN differ (salt), and so do their data keys.
  const other = await newLock('246810', FAST);
  assert.notDeepEqual(other.key, key);
});

test('a sealed row keeps only its keys and index fields readable, and opens to what went in', async () => {
  const { key } = await newLock('111222', FAST);
  const codec = makeCodec(key, CLEAR, CLEAR_META);
  const rec = { key: 'confidential_note/0193-aa', type: 'confidential_note', id: '0193-aa', visit_id: '0193-v', facility_id: undefined,
    fields: { text: CANARY, visit_id: '0193-v', consent_to_publish: false }, versions: { text: 12 }, deleted: false, own: true };
  const sealed = codec.seal('records', rec);
  assert.deepEqual(Object.keys(sealed).sort(), ['$', 'facility_id', 'id', 'key', 'type', 'visit_id']);
  assert.ok(!raw(sealed).includes(CANARY) && !raw(sealed).includes('КАНАРЕЙКА') && !raw(sealed).includes('Ivanov'), raw(sealed));
  assert.ok(raw(structuredClone(sealed)).includes('confidential_note/0193-aa'));
  assert.deepEqual(codec.unseal('records', structuredClone(sealed)), { ...rec, facility_id: undefined });
  // The outbox and the settings likewise; the language and the lock stay whole.
  const entry = { key: 4, op: { type: 'location', fields: { label: CANARY } }, at: 1 };
  const se = codec.seal('outbox', entry);
  assert.ok(!raw(se).includes('КАНАРЕЙКА'));
  assert.deepEqual(codec.unseal('outbox', se), entry);
  const session = { k: 'session', v: { token: 'tok-secret', user: { name: CANARY } } };
  assert.ok(!raw(codec.seal('meta', session)).includes('tok-secret'));
  assert.deepEqual(codec.seal('meta', { k: 'lang', v: 'kk' }), { k: 'lang', v: 'kk' });
  // Each seal has a fresh nonce: the same row twice gives different bytes.
  assert.notDeepEqual(codec.seal('records', rec).$, sealed.$);
});

test('a row does not open with another key or under another store, and a clear row reads as is', async () => {
  const a = makeCodec((await newLock('111222', FAST)).key, CLEAR, CLEAR_META);
  const b = makeCodec((await newLock('111222', FAST)).key, CLEAR, CLEAR_META);
  const sealed = a.seal('outbox', { op: { fields: { note: CANARY } }, at: 1 });
  assert.throws(() => b.unseal('outbox', sealed), /does not open/);
  assert.throws(() => a.unseal('rejected', sealed), /does not open/);
  const bad = structuredClone(sealed);
  bad.$[20] ^= 1;
  assert.throws(() => a.unseal('outbox', bad), /does not open/);
  // Written before the PIN was set: read as it is (and sealed at the next write or by the migration).
  const legacy = { key: 'location/1', type: 'location', id: '1', fields: { label: CANARY } };
  assert.deepEqual(a.unseal('records', legacy), legacy);
  assert.equal(a.unseal('records', undefined), undefined);
});

test('bytes inside a row (a packed batch of sent operations) come back as bytes', async () => {
  const codec = makeCodec((await newLock('111222', FAST)).key, CLEAR, CLEAR_META);
  const gz = new Uint8Array(70000).map((_, i) => (i * 7) % 256);
  const row = { key: 3, at: 5, n: 2, ops: { gz } };
  const sealed = codec.seal('sent', row);
  assert.deepEqual(Object.keys(sealed).sort(), ['$', 'key']);
  const back = codec.unseal('sent', structuredClone(sealed));
  assert.ok(back.ops.gz instanceof Uint8Array);
  assert.deepEqual(back, row);
  assert.throws(() => codec.seal('nowhere', row), /CLEAR lists no fields/);
});

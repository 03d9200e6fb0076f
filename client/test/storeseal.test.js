// The app's Store with the app lock's codec, on fake-indexeddb: setting a PIN
// seals in place what was kept in clear, later writes are sealed, the raw
// database holds no text of a record, the outbox or the settings, and opening
// again with the PIN gives everything back.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store, CLEAR, CLEAR_META } from '../web/store.js';
import { newLock, unwrap, makeCodec } from '../web/vault.js';

const FAST = 1000; // PBKDF2 iterations, for speed; the browser test uses the real count
const PIN = '730519';
const VISIT = '0193a1b2-0000-7000-8000-0000000000a1';

async function rawDump(store) {
  const out = [];
  for (const name of store.db.objectStoreNames) {
    const rows = await store.db.getAll(name);
    out.push(JSON.stringify(rows, (k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') + Buffer.from(v).toString('utf8') : v)));
  }
  return out.join('\n');
}

test('setting a PIN seals the store in place; reopening with the PIN gives it all back', async () => {
  const name = `seal-${Date.now()}`;
  const store = await Store.open({ name });
  await store.setSession({ token: 'tok-SECRET-1', device_id: '0193a1b2-0000-7000-8000-0000000000d1', user: { id: 'u1', name: 'Demo Member' } });
  await store.setMeta('lang', 'kk');
  await store.change('location', '0193a1b2-0000-7000-8000-0000000000b1', { visit_id: VISIT, kind: 'cell', label: 'CANARY-BEFORE Камера 3' });
  assert.match(await rawDump(store), /CANARY-BEFORE/, 'the dump must see clear text, or the checks below prove nothing');

  const { lock, key } = await newLock(PIN, FAST);
  await store.reseal(makeCodec(key, CLEAR, CLEAR_META), [{ k: 'lock', v: lock }]);
  await store.change('confidential_note', '0193a1b2-0000-7000-8000-0000000000c1', { visit_id: VISIT, text: 'CANARY-AFTER рассказал' });
  await store.setMeta('persisted', 'granted');

  const dump = await rawDump(store);
  for (const secret of ['CANARY-BEFORE', 'Камера', 'CANARY-AFTER', 'рассказал', 'tok-SECRET-1', 'Demo Member', 'granted']) {
    assert.ok(!dump.includes(secret), `${secret} is readable without the PIN`);
  }
  assert.ok(dump.includes(VISIT), 'index fields stay readable');
  assert.equal((await store.db.get('meta', 'lang')).v, 'kk', 'the language stays readable');
  // The running store still reads everything.
  assert.equal((await store.all('location'))[0].fields.label, 'CANARY-BEFORE Камера 3');
  assert.equal((await store.outbox()).length, 2);
  store.db.close();

  // Reopened without the key: no session, nothing to read.
  const locked = await Store.open({ name });
  assert.equal(locked.session, undefined);
  locked.db.close();

  // Reopened with the PIN (as the lock screen does): the session, the records and the outbox.
  let wrong = null;
  const again = await Store.open({ name, codec: async (db) => {
    const l = (await db.get('meta', 'lock')).v;
    wrong = await unwrap(l, '000000');
    return makeCodec(await unwrap(l, PIN), CLEAR, CLEAR_META);
  } });
  assert.equal(wrong, null);
  assert.equal(again.session.token, 'tok-SECRET-1');
  assert.equal((await again.all('confidential_note'))[0].fields.text, 'CANARY-AFTER рассказал');
  assert.deepEqual((await again.outbox()).map((e) => e.op.fields.label || e.op.fields.text), ['CANARY-BEFORE Камера 3', 'CANARY-AFTER рассказал']);
  assert.equal(await again.meta('persisted'), 'granted');
  await again.wipe();
});

// Sending photos (photos.js): a photo refused for now (the visit approved,
// the member not yet on its team, the visit's photos full) is held with its
// bytes and sent again later; a refusal is shown by its code in the user's
// language; deleting a photo the server recorded deletes it there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhotoSender, removePhoto, sendAgain, waitingCount, refusalText, sha256Hex, mismatchPause } from '../web/photos.js';
import { setLang, strings } from '../web/i18n.js';

globalThis.document ??= { documentElement: {} }; // setLang marks the page's language

// fakeStore is the part of the app's store photos.js uses, over a Map.
function fakeStore() {
  const rows = new Map();
  const emitted = [];
  return {
    session: { token: 't' }, base: 'http://x', rows, emitted,
    db: {
      get: async (_s, id) => rows.get(id),
      put: async (_s, r) => rows.set(r.id, structuredClone(r)),
      getAll: async () => [...rows.values()],
      delete: async (_s, id) => rows.delete(id),
    },
    fromRow: (_s, r) => ({ ...r }), toRow: (_s, r) => ({ ...r }),
    onChange: () => () => {}, emit: (what) => emitted.push(what),
  };
}

function addRow(store, id, extra = {}) {
  store.rows.set(id, { id, visit_id: 'v1', location_id: '', item: '', caption: '', taken_at: '2026-11-26T10:00:00Z',
    sha256: 'a'.repeat(64), size: 3, data: new Uint8Array([1, 2, 3]), state: 'waiting', error: '', ...extra });
}

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const refuse = (status, code) => json(status, { error: { code, message: `the server's English sentence for ${code}` } });

// fakeServer answers the photo routes: refusal(method, path) may return a
// refusal; everything else is accepted. It logs every request.
function fakeServer(refusal) {
  const calls = [];
  globalThis.fetch = async (url, opts) => {
    const path = url.replace('http://x', '');
    calls.push(`${opts.method} ${path}`);
    const r = refusal(opts.method, path);
    if (r) return r;
    if (opts.method === 'POST') return json(200, { received: 0, complete: false, chunk_bytes: 262144 });
    if (opts.method === 'PUT') return json(200, { received: 3, complete: true, chunk_bytes: 262144 });
    return json(200, { deleted: true });
  };
  return calls;
}

for (const [code, status] of [['locked', 409], ['forbidden', 403], ['visit_photos_full', 413]]) {
  test(`a photo refused with ${code} is held with its bytes and sent once the server accepts it`, async () => {
    const store = fakeStore();
    addRow(store, 'p1');
    let accepting = false;
    const calls = fakeServer((method) => (!accepting && method === 'POST' ? refuse(status, code) : null));
    const sender = new PhotoSender(store);
    await sender.send();
    const held = store.rows.get('p1');
    assert.equal(held.state, 'held');
    assert.equal(held.error, code);
    assert.deepEqual([...held.data], [1, 2, 3], 'the bytes are kept');
    assert.equal(await waitingCount(store), 1, 'a held photo is not on the server: it counts as waiting');
    assert.equal(sender.retry === null || sender.retryMs === 0, true, 'a refusal for now does not start the quick retries');
    // The next round (after the next sync) tries again; still refused: still held.
    await sender.send();
    assert.equal(store.rows.get('p1').state, 'held');
    accepting = true; // the coordinator reopened the visit, added the member, or photos were deleted
    const before = calls.length;
    await sender.send();
    assert.deepEqual(calls.slice(before), ['POST /api/v1/photos', 'PUT /api/v1/photos/p1/content?offset=0']);
    assert.equal(store.rows.get('p1').state, 'sent');
    assert.equal(store.rows.get('p1').error, '');
    assert.equal(await waitingCount(store), 0);
  });
}

test('a photo an earlier version marked refused with the server\'s sentence is sent once more', async () => {
  const store = fakeStore();
  addRow(store, 'old', { state: 'refused', error: 'this visit is approved and locked; ask the coordinator to reopen it', announced: true });
  addRow(store, 'oldFinal', { state: 'refused', error: 'the photo is neither a JPEG nor a PNG image (judged by its bytes)', announced: true });
  const calls = fakeServer((method, path) => (method === 'PUT' && path.includes('oldFinal') ? refuse(415, 'not_an_image') : null));
  const sender = new PhotoSender(store);
  await sender.send();
  assert.equal(store.rows.get('old').state, 'sent');
  assert.equal(store.rows.get('oldFinal').state, 'refused');
  assert.equal(store.rows.get('oldFinal').error, 'not_an_image');
  const before = calls.length;
  await sender.send();
  assert.equal(calls.length, before, 'refused by code: not sent again');
});

test('"send again" puts a held photo back to waiting at once', async () => {
  const store = fakeStore();
  addRow(store, 'p1', { state: 'held', error: 'locked', announced: true });
  addRow(store, 'p2', { state: 'refused', error: 'not_an_image', announced: true });
  await sendAgain(store, 'p1');
  await sendAgain(store, 'p2');
  assert.equal(store.rows.get('p1').state, 'waiting');
  assert.equal(store.rows.get('p2').state, 'refused', 'a final refusal is not sent again');
  assert.ok(store.emitted.includes('photos'), 'the sender is told');
});

test('a final refusal is kept as refused and not sent again', async () => {
  const store = fakeStore();
  addRow(store, 'p1');
  const calls = fakeServer((method) => (method === 'PUT' ? refuse(415, 'not_an_image') : null));
  const sender = new PhotoSender(store);
  await sender.send();
  assert.equal(store.rows.get('p1').state, 'refused');
  assert.equal(store.rows.get('p1').error, 'not_an_image');
  const before = calls.length;
  await sender.send();
  assert.equal(calls.length, before, 'a refused photo is not sent again');
});

test('a photo of a visit deleted on the server is refused for good, not tried again every round', async () => {
  const store = fakeStore();
  addRow(store, 'p1');
  const calls = fakeServer((method) => (method === 'PUT' ? refuse(409, 'parent_deleted') : null));
  const sender = new PhotoSender(store);
  await sender.send();
  assert.equal(store.rows.get('p1').state, 'refused');
  assert.equal(store.rows.get('p1').error, 'parent_deleted');
  assert.ok(store.rows.get('p1').data, 'its bytes stay on the phone until the member deletes it');
  const before = calls.length;
  await sender.send();
  assert.equal(calls.length, before, 'not sent again');
});

test('a refusal is shown by its code in ru, kk and en, never as the server\'s English sentence', async () => {
  const codes = ['locked', 'forbidden', 'visit_photos_full', 'not_an_image', 'photo_too_large', 'deleted', 'id_taken', 'invalid', 'hash_mismatch', 'parent_deleted', 'some_new_code'];
  for (const l of ['ru', 'kk', 'en']) {
    await setLang(l);
    for (const code of codes) {
      for (const state of ['held', 'refused']) {
        const text = refusalText({ state, error: code });
        assert.ok(text && !text.includes("server's English"), `${l} ${code}: ${text}`);
        assert.ok(Object.values(strings).some((row) => row[{ en: 0, ru: 1, kk: 2 }[l]] === text), `${l} ${code}: "${text}" is no ${l} string`);
      }
    }
  }
  await setLang('en');
  assert.match(refusalText({ state: 'held', error: 'locked' }), /reopens/);
  await setLang('ru');
});

test('deleting a photo the server recorded asks the server to delete it; one it never recorded goes at once', async () => {
  const store = fakeStore();
  addRow(store, 'refused', { state: 'refused', error: 'not_an_image', announced: true });
  addRow(store, 'held', { state: 'held', error: 'visit_photos_full', announced: false });
  addRow(store, 'heldAnnounced', { state: 'held', error: 'locked', announced: true });
  let locked = true;
  const calls = fakeServer((method) => (method === 'DELETE' && locked ? refuse(409, 'locked') : null));
  for (const id of ['refused', 'held', 'heldAnnounced']) await removePhoto(store, id);
  assert.equal(store.rows.has('held'), false, 'never recorded by the server: deleted at once');
  assert.equal(store.rows.get('refused').state, 'deleting');
  assert.equal(store.rows.get('heldAnnounced').state, 'deleting');
  const sender = new PhotoSender(store);
  await sender.send(); // the visit is approved: the server refuses the deletion for now
  assert.equal(store.rows.get('refused').state, 'deleting', 'a deletion refused for now is asked again later');
  locked = false;
  await sender.send();
  assert.deepEqual(calls.filter((c) => c.startsWith('DELETE')).slice(-2).sort(),
    ['DELETE /api/v1/photos/heldAnnounced', 'DELETE /api/v1/photos/refused']);
  assert.equal(store.rows.size, 0);
});

// hashingServer checks, as the server does, that the bytes of a photo have
// the SHA-256 it was announced with (damage(id) may spoil them on the way).
// It records the announcements and logs every request.
function hashingServer({ damage = () => false, taken = new Set() } = {}) {
  const calls = [];
  const announced = new Map();
  globalThis.fetch = async (url, opts) => {
    const path = url.replace('http://x', '');
    calls.push(`${opts.method} ${path}`);
    if (opts.method === 'POST') {
      const meta = JSON.parse(opts.body);
      if (taken.has(meta.id)) return refuse(409, 'id_taken');
      announced.set(meta.id, meta);
      return json(200, { received: 0, complete: false, chunk_bytes: 262144 });
    }
    if (opts.method === 'PUT') {
      const id = path.split('/')[4];
      const sha = await sha256Hex(opts.body);
      if (damage(id) || sha !== announced.get(id).sha256) return refuse(422, 'hash_mismatch');
      return json(200, { received: opts.body.length, complete: true, chunk_bytes: 262144 });
    }
    return json(200, { deleted: true });
  };
  return { calls, announced };
}

test('a photo whose bytes here have another hash than announced goes on under a new id with their true hash', async () => {
  const store = fakeStore();
  addRow(store, 'p1', { caption: 'Window' }); // announced as 'aaaa…', which the bytes 1,2,3 do not have
  const truth = await sha256Hex(new Uint8Array([1, 2, 3]));
  const { calls, announced } = hashingServer();
  const sender = new PhotoSender(store);
  await sender.send();
  clearTimeout(sender.retry); // a broken rule must fail here, not keep the test running
  const rows = [...store.rows.values()];
  assert.equal(rows.length, 1, `one photo on the phone, got ${JSON.stringify(rows.map((r) => [r.id, r.state]))}`);
  const [row] = rows;
  assert.notEqual(row.id, 'p1');
  assert.equal(row.state, 'sent');
  assert.equal(row.sha256, truth);
  assert.equal(row.caption, 'Window', 'what the photo is of goes with it');
  assert.equal(announced.get(row.id).sha256, truth, 'announced again with the true hash');
  assert.ok(calls.includes('DELETE /api/v1/photos/p1'), `the record under the old id is deleted on the server: ${calls}`);
  assert.equal(sender.retryMs, 0, 'no quick retries');
});

test('a photo the server keeps receiving damaged is held and tried again after a growing pause, not at once', async () => {
  const store = fakeStore();
  let clock = Date.parse('2026-11-26T10:00:00Z');
  store.now = () => clock;
  addRow(store, 'p1', { sha256: await sha256Hex(new Uint8Array([1, 2, 3])) }); // the bytes here are as announced
  let damaged = true;
  const { calls } = hashingServer({ damage: () => damaged });
  const sender = new PhotoSender(store);
  await sender.send();
  clearTimeout(sender.retry); // a broken rule must fail here, not keep the test running
  let row = store.rows.get('p1');
  assert.equal(row.state, 'held');
  assert.equal(row.error, 'hash_mismatch');
  assert.deepEqual([...row.data], [1, 2, 3], 'the bytes are kept');
  assert.equal(row.retry_at, clock + mismatchPause(1));
  assert.equal(sender.retryMs, 0, 'no quick retries');
  await setLang('en');
  assert.match(refusalText(row), /damaged/);
  await setLang('ru');
  assert.match(refusalText(row), /повреждённым/);
  const puts = () => calls.filter((c) => c.startsWith('PUT')).length;
  assert.equal(puts(), 1);
  await sender.send(); // the next sync, a moment later
  assert.equal(puts(), 1, 'not sent again before its pause ends');
  clock += mismatchPause(1);
  await sender.send();
  clearTimeout(sender.retry); // a broken rule must fail here, not keep the test running
  assert.equal(puts(), 2, 'sent again once the pause ended');
  row = store.rows.get('p1');
  assert.equal(row.retry_at, clock + mismatchPause(2), 'the pause grows');
  assert.ok(mismatchPause(2) > mismatchPause(1) && mismatchPause(40) <= 6 * 3600 * 1000);
  damaged = false;
  await sendAgain(store, 'p1'); // "send again" tries at once
  await sender.send();
  clearTimeout(sender.retry); // a broken rule must fail here, not keep the test running
  row = store.rows.get('p1');
  assert.equal(row.state, 'sent');
  assert.equal(row.mismatches, 0);
});

test('a photo whose id is taken on the server goes on under a new id, nothing deleted there', async () => {
  const store = fakeStore();
  const sha = await sha256Hex(new Uint8Array([1, 2, 3]));
  addRow(store, 'p1', { sha256: sha });
  addRow(store, 'old', { sha256: sha, state: 'refused', error: 'id_taken' }); // shown refused by an earlier version
  const { calls } = hashingServer({ taken: new Set(['p1', 'old']) });
  const sender = new PhotoSender(store);
  await sender.send();
  clearTimeout(sender.retry); // a broken rule must fail here, not keep the test running
  const rows = [...store.rows.values()];
  assert.equal(rows.length, 2, 'both photos kept');
  for (const row of rows) {
    assert.ok(row.id !== 'p1' && row.id !== 'old', 'under a new id');
    assert.equal(row.state, 'sent');
    assert.equal(row.sha256, sha);
  }
  assert.equal(sender.retryMs, 0, 'no quick retries');
  assert.equal(calls.filter((c) => c.startsWith('DELETE')).length, 0, 'the taken id is not ours: nothing is deleted on the server');
});

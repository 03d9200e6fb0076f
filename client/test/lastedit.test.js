// "The latest edit wins" and what the phone shows, with the app's own Store
// and Syncer against a real server (support/server.js): a refused change
// taken back beside a later change the server took in the same push; a
// phone signing in again over the edits waiting on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.js';
import { visitSetup, sleep } from './support/devices.js';
import { uuidv7 } from '../web/synccore.js';
import { signIn } from '../web/sync.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

/** observed records an observation on a's phone and syncs it: its id. */
async function observed(s, value) {
  const id = uuidv7();
  await s.a.change('observation', id, { visit_id: s.visitId, location_id: s.cellId, item: 'cell_area_m2', value });
  await s.a.sync();
  return id;
}

test('a refused change is taken back without undoing a later change of the same push the server took', async () => {
  const s = await visitSetup(server);
  const obs = await observed(s, 10);
  await s.a.change('observation', obs, { value: -4 }); // refused: out of range
  await s.a.change('observation', obs, { value: 12.5 }); // taken, and not echoed back (the phone's own write)
  await s.a.sync();
  await s.a.sync();
  assert.deepEqual((await s.a.store.rejected()).map((r) => r.error.field), ['fields.value']);
  await s.coord.sync();
  assert.equal((await s.coord.store.get('observation', obs)).fields.value, 12.5, 'the server holds the later change');
  assert.equal((await s.a.store.get('observation', obs)).fields.value, 12.5, 'the phone shows what the server holds');
});

test('two refused changes of one field in one push give back the value before both', async () => {
  const s = await visitSetup(server);
  const obs = await observed(s, 10);
  await s.a.change('observation', obs, { value: -4 });
  await s.a.change('observation', obs, { value: -5 });
  await s.a.sync();
  assert.equal((await s.a.store.rejected()).length, 2);
  assert.equal((await s.a.store.get('observation', obs)).fields.value, 10, 'the value the server holds');
});

/** openConflicts lists a visit's open conflicts as its region's coordinator sees them. */
async function openConflicts(s) {
  const list = await server.call(s.coord.store.session.token, 'GET', `/api/v1/conflicts?visit_id=${s.visitId}`);
  return (list.conflicts || []).filter((c) => !c.resolved_at);
}

/** signInAgain resets a's password (which revokes the phone's token) and signs the phone in again with the new one. */
async function signInAgain(s) {
  const password = 'another-long-test-password';
  const admin = (await server.login('admin')).token;
  await server.call(admin, 'POST', `/api/v1/users/${s.aUser.id}/password`, { password });
  await s.a.sync();
  assert.equal(s.a.syncer.state.signInAgain, true, 'the phone asks its user to sign in again');
  await signIn(s.a.store, s.a.syncer, { username: s.aUser.username, password, deviceName: 'phone again' });
  assert.equal(s.a.store.session.device_id, s.a.deviceId, 'the phone stays the device it was');
}

test('signed in again, a member\'s edit that waited follows their own earlier one: no conflict', async () => {
  const s = await visitSetup(server);
  await s.a.change('location', s.cellId, { label: 'Cell 1 (first)' });
  await s.a.sync();
  await s.a.change('location', s.cellId, { label: 'Cell 1 (second)' }); // waits
  await signInAgain(s);
  await s.a.sync();
  assert.deepEqual(await openConflicts(s), [], 'a member\'s two edits in order are no conflict');
  await s.coord.sync();
  assert.equal((await s.coord.store.get('location', s.cellId)).fields.label, 'Cell 1 (second)');
});

test('signed in again, an edit that waited keeps its time: a teammate\'s later edit wins', async () => {
  const s = await visitSetup(server);
  await s.a.change('location', s.cellId, { label: 'A, earlier' }); // waits
  await sleep(20);
  await s.b.change('location', s.cellId, { label: 'B, later' });
  await s.b.sync();
  await sleep(20);
  await signInAgain(s);
  await s.a.sync();
  await s.b.sync();
  for (const p of [s.a, s.b]) assert.equal((await p.store.get('location', s.cellId)).fields.label, 'B, later');
  assert.deepEqual((await openConflicts(s)).map((c) => c.loser_value), ['A, earlier'], 'A\'s edit set aside, not lost');
});

// "The latest edit wins" and what the phone shows, with the app's own Store
// and Syncer against a real server (support/server.js): a refused change
// taken back beside a later change the server took in the same push.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.js';
import { visitSetup } from './support/devices.js';
import { uuidv7 } from '../web/synccore.js';

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

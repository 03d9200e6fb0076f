// The JavaScript sync client (store.js, sync.js) against a real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.js';
import { phone, visitSetup } from './support/devices.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test('a visit recorded on one phone reaches the teammate and the coordinator', async () => {
  const s = await visitSetup(server);
  const want = await s.a.live();
  assert.ok(want[`visit/${s.visitId}`], 'the visit is on the phone that made it');
  assert.deepEqual(await s.b.live(), want);
  assert.deepEqual(await s.coord.live(), want);
  assert.equal(await s.a.store.outboxCount(), 0);
});

// The checklists a phone downloads at sign-in (issue 13): a member's phone
// asks for its region's first, and a whole list it already holds clears the
// "not all checklists yet" mark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.js';
import { phone, visitSetup } from './support/devices.js';
import { downloadReference, refreshChecklists } from '../web/sync.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

/** asked runs fn and returns the paths of the checklist lists it asked for. */
async function asked(fn) {
  const paths = [];
  const real = globalThis.fetch;
  globalThis.fetch = (url, opts) => {
    const u = new URL(String(url));
    if (u.pathname === '/api/v1/checklists') paths.push(u.pathname + u.search);
    return real(url, opts);
  };
  try {
    await fn();
  } finally {
    globalThis.fetch = real;
  }
  return paths;
}

test('a member phone asks for its region\'s checklists first, by the region the sign-in answer names', async () => {
  const s = await visitSetup(server);
  const p = await phone(server, s.aUser.username);
  assert.ok(p.user.region_id, 'the sign-in answer names the region');
  const paths = await asked(() => downloadReference(p.store));
  assert.deepEqual(paths, [`/api/v1/checklists?region=${encodeURIComponent(p.user.region_id)}`]);
});

test('a whole list answered "unchanged" leaves nothing waiting: the partial mark goes', async () => {
  const s = await visitSetup(server);
  const p = await phone(server, s.aUser.username);
  await downloadReference(p.store);
  await refreshChecklists(p.store, { everyMs: 0 }); // the whole list: the phone holds its signature now
  await p.store.setMeta('checklists_partial', true); // as a region's list equal to the whole one left it
  const paths = await asked(() => refreshChecklists(p.store, { everyMs: 0 }));
  assert.equal(paths.length, 1);
  assert.match(paths[0], /[?&]known=/);
  assert.equal(await p.store.meta('checklists_partial'), false);
});

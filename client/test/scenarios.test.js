// The shared convergence scenarios (sync/testdata/scenarios.json, format in
// docs/protocol.md "Shared scenario vectors") run by the JavaScript client:
// the app's store.js and sync.js on fake-indexeddb, against a real server.
// The Go client runs the same file (sync/scenarios_test.go), which keeps the
// two clients from drifting.
//
// advance_ms moves the real time on for the server and every phone: here by
// really waiting, at most 250 ms (a spawned server's clock cannot be moved).
// What the scenarios test is the order of edits in real time, which that keeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { startServer } from './support/server.js';
import { phone, sleep } from './support/devices.js';
import { uuidv7 } from '../web/synccore.js';

const file = new URL('../../sync/testdata/scenarios.json', import.meta.url);
const scenarios = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).scenarios : [];

let server;
let v11 = false;
before(async () => {
  server = await startServer();
  v11 = !!(await server.login('admin')).server_time;
});
after(async () => { await server.stop(); });

let run = 0;

/** substitute replaces @user, @facility and #record names in a field value. */
function substitute(v, names) {
  if (typeof v === 'string' && (v.startsWith('@') || v.startsWith('#'))) {
    const got = names.get(v);
    if (!got) throw new Error(`scenario names ${v}, which it does not define`);
    return got;
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, names));
  return v;
}

const ref = (key, ids) => {
  const [type, name] = key.split('/');
  return { type, id: ids.get(name) };
};

/** regionView is what the server holds: a new phone of a coordinator of the region, synced. */
async function regionView(coordName) {
  const p = await phone(server, coordName);
  await p.sync();
  return p;
}

async function runScenario(sc) {
  const tag = `s${++run}`;
  const names = new Map();
  const ids = new Map();
  const recordId = (name) => {
    if (!ids.has(name)) ids.set(name, uuidv7());
    return ids.get(name);
  };
  // The facility every scenario starts with, made by a coordinator of its own.
  const coordName = `${tag}coord`;
  await server.createUser(coordName, 'coordinator');
  const coord = await phone(server, coordName);
  const facility = uuidv7();
  await coord.change('facility', facility, { name: `[TEST] ${sc.name}`.slice(0, 250), type: 'sizo', region: 'KZ-KAR' });
  await coord.sync();
  names.set('@facility', facility);
  const users = {};
  for (const [name, role] of Object.entries(sc.users)) {
    users[name] = await server.createUser(`${tag}${name}`, role);
    names.set(`@${name}`, users[name].id);
  }
  const devices = {};
  for (const [name, d] of Object.entries(sc.devices)) {
    const offset = d.clock_offset_ms || 0;
    devices[name] = await phone(server, users[d.user].username, { now: () => Date.now() + offset });
  }
  for (const st of sc.steps) {
    if (st.advance_ms) {
      await sleep(Math.min(st.advance_ms, 250));
      continue;
    }
    const p = devices[st.device];
    const id = st.id && recordId(st.id);
    if (st.id) names.set(`#${st.id}`, id);
    const fields = {};
    for (const [k, v] of Object.entries(st.fields || {})) {
      if (typeof v === 'string' && v.startsWith('#')) recordId(v.slice(1));
      for (const [n, i] of ids) names.set(`#${n}`, i);
      fields[k] = substitute(v, names);
    }
    switch (st.do) {
      case 'create':
      case 'upsert': await p.change(st.type, id, fields); break;
      case 'delete': await p.change(st.type, id, {}, { action: 'delete' }); break;
      case 'restore': await p.change(st.type, id, fields); break;
      case 'push': await p.syncer.push(); break;
      case 'pull': await p.syncer.pull(); break;
      case 'sync': await p.sync(); break;
      default: throw new Error(`unknown step ${JSON.stringify(st)}`);
    }
  }
  const order = Object.keys(devices).sort();
  for (let round = 0; round < 2; round++) for (const name of order) await devices[name].sync();
  const ex = sc.expect;
  const view = await regionView(coordName);
  for (const [key, want] of Object.entries(ex.records || {})) {
    const { type, id } = ref(key, ids);
    const onServer = await view.store.get(type, id);
    assert.ok(onServer, `${key} on the server`);
    for (const [name, p] of [['server', { store: view.store }], ...order.map((n) => [n, devices[n]])]) {
      const rec = name === 'server' ? onServer : await p.store.get(type, id);
      if (!rec) continue; // a device that does not hold it
      for (const [f, v] of Object.entries(want)) {
        const got = f === 'deleted' ? rec.deleted : rec.fields[f];
        assert.deepEqual(got, substitute(v, names), `${key}.${f} on ${name}`);
      }
    }
  }
  for (const [name, keys] of Object.entries(ex.not_held || {})) {
    for (const key of keys) {
      const { type, id } = ref(key, ids);
      assert.equal(await devices[name].store.get(type, id), undefined, `${name} must not hold ${key}`);
    }
  }
  if (ex.open_conflicts !== undefined) {
    let open = 0;
    for (const [name, id] of ids) {
      if (!(await view.store.get('visit', id))) continue;
      const list = await server.call(view.store.session.token, 'GET', `/api/v1/conflicts?visit_id=${id}`);
      open += (list.conflicts || []).filter((c) => !c.resolved_at).length;
    }
    assert.equal(open, ex.open_conflicts, 'open conflicts on the server');
  }
  if (ex.devices_equal_server) {
    for (const name of order) {
      const p = devices[name];
      assert.equal(await p.store.outboxCount(), 0, `${name} has nothing waiting`);
      assert.deepEqual(await p.store.rejected(), [], `${name} has nothing refused`);
      const fresh = await phone(server, users[sc.devices[name].user].username);
      await fresh.sync();
      assert.deepEqual(await p.live(), await fresh.live(), `${name} holds what the server holds for its user`);
    }
  }
}

for (const sc of scenarios) {
  test(`scenario: ${sc.name}`, (t) => (v11 ? runScenario(sc) : t.skip('the server does not speak protocol 1.1 yet')));
}

test('the shared scenarios are there to run', (t) => {
  if (!v11) return t.skip('the server does not speak protocol 1.1 yet');
  assert.ok(scenarios.length >= 5, `${scenarios.length} scenarios in sync/testdata/scenarios.json`);
});

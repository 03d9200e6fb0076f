// Phones for the JavaScript sync tests: the app's own Store and Syncer on
// fake-indexeddb, signed in to a real server (support/server.js).
import 'fake-indexeddb/auto';
import { Store } from '../../web/store.js';
import { Syncer } from '../../web/sync.js';
import { uuidv7 } from '../../web/synccore.js';

let seq = 0;

/**
 * phone signs username in on a new device. now is the phone's wall clock
 * (a wrong one for the clock tests). Returns { store, syncer, user, sync(), ... }.
 */
export async function phone(server, username, { now, timeoutMs } = {}) {
  if (!now) now = undefined;
  const login = await server.login(username, `phone ${++seq}`);
  const store = await Store.open({ name: `phone-${seq}-${username}`, now });
  store.base = server.url;
  await store.setSession({ token: login.token, device_id: login.device_id, user: login.user, signed_in_at: new Date().toISOString() });
  const syncer = new Syncer(store, { timeoutMs });
  await syncer.answered({ data: login }); // the sign-in answer's server time and generation
  return {
    store,
    syncer,
    user: login.user,
    deviceId: login.device_id,
    sync: () => syncer.sync(),
    change: (type, id, fields, opts) => store.change(type, id, fields, opts),
    /** live returns { type/id: fields } of every live record, for comparing replicas. */
    async live(types = ['facility', 'visit', 'location', 'observation', 'recommendation', 'confidential_note', 'consolidation']) {
      const out = {};
      for (const t of types) for (const r of await store.all(t)) out[`${t}/${r.id}`] = stripLocal(r.fields);
      return out;
    },
  };
}

// Fields kept only on the device (set by the server in its own copy).
const LOCAL_ONLY = ['author_id', 'created_by', 'verified'];

// Empty values are left out: a device holds only the fields it sent of a
// record it made (the server does not send it back), the server holds the
// others empty.
function stripLocal(fields) {
  const out = {};
  for (const [k, v] of Object.entries(fields)) {
    if (LOCAL_ONLY.includes(k) || v === '' || v === false || v === null || (Array.isArray(v) && !v.length)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * visitSetup makes a region with a coordinator, two members, a facility and a
 * visit whose team is both members, with one cell; every phone has pulled it.
 */
export async function visitSetup(server, { clocks = {} } = {}) {
  const tag = String(++seq);
  const coordUser = await server.createUser(`coord${tag}`, 'coordinator');
  const aUser = await server.createUser(`ana${tag}`);
  const bUser = await server.createUser(`bek${tag}`);
  const coord = await phone(server, coordUser.username);
  const a = await phone(server, aUser.username, { now: clocks.a });
  const b = await phone(server, bUser.username, { now: clocks.b });
  const facilityId = uuidv7();
  await coord.change('facility', facilityId, { name: `[TEST] Facility ${tag}`, type: 'sizo', region: 'KZ-KAR' });
  await coord.sync();
  await a.sync();
  const visitId = uuidv7();
  await a.change('visit', visitId, { facility_id: facilityId, kind: 'regular', status: 'draft', started_at: '2026-11-20T09:00:00Z', team: [aUser.id, bUser.id] });
  const cellId = uuidv7();
  await a.change('location', cellId, { visit_id: visitId, kind: 'cell', label: 'Cell 1' });
  await a.sync();
  await b.sync();
  await coord.sync();
  return { coord, a, b, coordUser, aUser, bUser, facilityId, visitId, cellId };
}

/** syncAll syncs every phone twice, one after the other. */
export async function syncAll(...phones) {
  for (let round = 0; round < 2; round++) for (const p of phones) await p.sync();
}

/** sleep waits ms of real time (the server's clock moves too). */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

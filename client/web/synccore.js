// The pure rules of the sync protocol (SYNC.md) as the device applies them:
// making an operation, cutting the outbox into pushes, reading a push's
// answer, and folding a pulled change into the local copy. No browser API
// here, so `node --test client/test/` checks them; sync.js does the I/O.

export const MAX_OPS_PER_PUSH = 1000;
// The server takes 4 MiB per push; stay under it with room for the envelope.
export const MAX_PUSH_BYTES = 4 * 1024 * 1024 - 64 * 1024;

/** uuidv7 returns a UUIDv7 string (48-bit ms time, then random bits). */
export function uuidv7(now = Date.now(), rand = (n) => crypto.getRandomValues(new Uint8Array(n))) {
  const b = rand(16);
  let t = now;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** DELETED names, in a record's versions, the version of its deleted flag (protocol.md 1.1). */
export const DELETED = '_deleted';

/**
 * SERVER_FILLED names, per record type, the field the server fills with the
 * sender's user id. A device fills it itself in a record it writes: the
 * server does not send that record back (docs/protocol.md, "No echo").
 */
export const SERVER_FILLED = {
  facility: 'created_by', visit: 'created_by', location: 'created_by', recommendation: 'created_by',
  observation: 'author_id', confidential_note: 'author_id', consolidation: 'decided_by',
  obstruction: 'created_by', interview: 'author_id',
};

/** recordKey is the local key of a record. */
export const recordKey = (type, id) => `${type}/${id}`;

/**
 * makeOp builds the operation for a change of named fields of rec (the local
 * copy, or null for a new record). Only fields whose value differs from the
 * local copy are sent (and those named in force, for a decision); base is
 * each field's last known version (0 if never pulled). A delete's base is
 * {_deleted: the highest version held of the record}; an upsert of a deleted
 * record restores it, with base._deleted the deletion's version. resolves
 * names the conflicts the operation decides. Returns null when nothing changed.
 */
export function makeOp({ type, id, action = 'upsert', fields = {}, rec, hlc, opId, resolves = [], force = [] }) {
  const versions = (rec && rec.versions) || {};
  const current = (rec && rec.fields) || {};
  const op = { op_id: opId, type, id, action, hlc };
  if (action === 'delete') {
    op.base = { [DELETED]: Math.max(0, ...Object.values(versions)) };
    if (resolves.length) op.resolves = resolves;
    return op;
  }
  const sent = {};
  const base = {};
  for (const [name, value] of Object.entries(fields)) {
    if (rec && name in current && sameValue(current[name], value) && !force.includes(name)) continue;
    sent[name] = value;
    base[name] = versions[name] || 0;
  }
  const restore = !!(rec && rec.deleted) || force.includes(DELETED);
  if (restore) base[DELETED] = versions[DELETED] || 0;
  if (Object.keys(sent).length === 0 && !restore && !resolves.length) return null;
  op.base = base;
  op.fields = sent;
  if (resolves.length) op.resolves = resolves;
  return op;
}

function sameValue(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** nextBatch takes the first operations of the outbox (in order) that fit one push. */
export function nextBatch(outbox, maxOps = MAX_OPS_PER_PUSH, maxBytes = MAX_PUSH_BYTES) {
  const batch = [];
  let bytes = 0;
  for (const entry of outbox) {
    if (batch.length >= maxOps) break;
    const size = JSON.stringify(entry.op).length * 3; // worst case UTF-8
    if (batch.length > 0 && bytes + size > maxBytes) break;
    batch.push(entry);
    bytes += size;
  }
  return batch;
}

/** SENT_KEEP_MS is how long acknowledged operations are kept to send again after a restore. */
export const SENT_KEEP_MS = 30 * 24 * 3600 * 1000;

/**
 * matchResults pairs a batch of outbox entries ({key, op}) with a push's
 * results: by op_id, or by position when the server left op_id out
 * (compact_results: one result per operation, in order).
 */
export function matchResults(batch, results) {
  const byOp = new Map();
  const compact = results.length === batch.length && results.every((r) => !r.op_id);
  results.forEach((r, i) => byOp.set(compact ? batch[i].op.op_id : r.op_id, r));
  return batch.map((entry) => [entry, byOp.get(entry.op.op_id)]);
}

const wasRejected = (r) => r.status === 'rejected' || (r.status === 'duplicate' && r.first_status === 'rejected');

/**
 * acknowledge reads a push's results for a batch of outbox entries ({key, op}).
 * Applied, duplicate and conflict remove the operation and are kept (sent
 * again after a restore); rejected (also a duplicate of a rejected one)
 * removes it too and reports it to show the member. Entries the server did
 * not answer stay. When an answered sequence is not after `since`, a pull
 * that ran meanwhile showed the local value over the server's: since is
 * moved back so the record is pulled again.
 */
export function acknowledge(batch, results, since, now = Date.now()) {
  const done = [];
  const rejected = [];
  const kept = [];
  const waiting = [];
  for (const [entry, r] of matchResults(batch, results)) {
    if (!r) continue;
    if (waitsForParent(entry, r, now)) {
      waiting.push(entry.key);
      continue;
    }
    done.push(entry.key);
    if (wasRejected(r)) rejected.push({ op: entry.op, error: r.error || { field: '', message: 'rejected' }, prev: entry.prev });
    else kept.push(entry);
    if (r.seq > 0 && r.seq <= since) since = r.seq - 1;
  }
  return { done, rejected, kept, waiting, since };
}

/**
 * waitsForParent: a rejection for a record the operation needs that is not
 * on the server (missing_parent: after a restore another device has not sent
 * it again yet) keeps the operation in the outbox, to be sent again at the
 * next syncs, until 30 days after it was made; then it is shown refused.
 */
function waitsForParent(entry, r, now) {
  return r.status === 'rejected' && r.error && r.error.code === 'missing_parent' && !(now - (entry.at || now) > SENT_KEEP_MS);
}

/**
 * requeueKeys gives n outbox keys that sort before first (the oldest key
 * still waiting), or null when the outbox is empty (keys are then generated).
 */
export function requeueKeys(first, n) {
  if (first === null || first === undefined) return null;
  return Array.from({ length: n }, (_, i) => first - n + i);
}

/**
 * BatchSizer sizes pushes by what the link carried last time: it starts
 * small, doubles while requests finish well inside the timeout, and halves
 * the failed size after a request is cut, down to one operation, so any link
 * that carries a few KB per second gets every operation through.
 */
export class BatchSizer {
  constructor({ start = 50, max = MAX_OPS_PER_PUSH, timeoutMs = 30000 } = {}) {
    this.n = Math.max(1, Math.min(start, max));
    this.max = max;
    this.timeoutMs = timeoutMs;
  }

  size() {
    return this.n;
  }

  /**
   * ok records a batch of `sent` operations answered after ms: the next size
   * is what the link carried at that pace in a quarter of the timeout, at
   * most eight times this one (and at least half of it): a full visit goes
   * up in three requests on slow 3G, 50, then about 400, then the rest.
   */
  ok(sent, ms) {
    if (sent < this.n) return; // the outbox ran out: says nothing about the link
    const fits = Math.floor((sent * (this.timeoutMs / 4)) / Math.max(ms, 1));
    this.n = Math.max(1, Math.min(this.max, this.n * 8, Math.max(Math.floor(this.n / 2), fits)));
  }

  /** failed records a batch of `sent` operations whose request was cut. */
  failed(sent) {
    this.n = Math.max(1, Math.floor(Math.min(sent, this.n) / 2));
  }
}

/**
 * rollbackRefused says how to take back, on the device, a change the server
 * refused, so that the screen never keeps a value the server does not have.
 * rec is the local record; pending what other operations on it still wait
 * in the outbox (pendingFields' entry, or a boolean); prev what the refused
 * change replaced (kept with it in the outbox). With prev: the replaced
 * values come back (a record the change created goes), except fields a
 * later waiting change sets. Without (older outbox entries): a record pulled
 * before is pulled again ({since}), a record the server never had, with
 * nothing else waiting, disappears ({put}: marked deleted); else nothing.
 */
export function rollbackRefused(rec, pending, prev) {
  if (!rec) return {};
  if (prev) {
    if (prev.created) return pending ? {} : { put: { ...rec, deleted: true } };
    const later = (pending && pending.fields) || {};
    const fields = { ...rec.fields };
    for (const [f, v] of Object.entries(prev.fields || {})) {
      if (f in later) continue;
      if (v === null) delete fields[f];
      else fields[f] = v;
    }
    const deleted = pending && pending.deleted !== null && pending.deleted !== undefined ? pending.deleted : prev.deleted;
    return { put: indexFields({ ...rec, fields, deleted }) };
  }
  if (rec.seq > 0) return { since: rec.seq - 1 };
  if (!pending) return { put: { ...rec, deleted: true } };
  return {};
}

/** pendingFields collects, per record key, the field values still in the outbox (later ops win). */
export function pendingFields(outbox) {
  const pending = new Map();
  for (const { op } of outbox) {
    const k = recordKey(op.type, op.id);
    if (!pending.has(k)) pending.set(k, { fields: {}, deleted: null });
    const p = pending.get(k);
    Object.assign(p.fields, op.fields || {});
    if (op.action === 'delete') p.deleted = true;
    else if (op.base && DELETED in op.base) p.deleted = false; // a restore
  }
  return pending;
}

/**
 * expandVersions gives a change of a compact pull (protocol 1.2, "Compact
 * form") its full versions: a field of `fields` not named in `versions` has
 * version `seq`, a version 0 is no version, any other name has the version given.
 */
export function expandVersions(change) {
  const full = {};
  for (const f of Object.keys(change.fields || {})) full[f] = change.seq;
  for (const [f, v] of Object.entries(change.versions || {})) {
    if (v > 0) full[f] = v;
    else delete full[f];
  }
  return full;
}

/**
 * foldChange turns a pulled change into the local record: the server's full
 * state and versions, with the fields of operations still waiting in the
 * outbox laid over it so that a pull never hides a value not yet sent.
 * `local` is the current local record (kept for its local-only marks);
 * compact says the change is of a compact pull (see expandVersions).
 */
export function foldChange(change, pending, local, compact = false) {
  const rec = {
    key: recordKey(change.type, change.id),
    type: change.type,
    id: change.id,
    fields: { ...(change.fields || {}) },
    versions: compact ? expandVersions(change) : { ...(change.versions || {}) },
    deleted: !!change.deleted,
    seq: change.seq,
  };
  if (change.conflicts && change.conflicts.length) rec.conflicts = change.conflicts;
  const p = pending && pending.get(rec.key);
  if (p) {
    Object.assign(rec.fields, p.fields);
    if (p.deleted !== null) rec.deleted = p.deleted;
  }
  if (local && local.own) rec.own = true;
  return indexFields(rec);
}

/** indexFields copies the fields the IndexedDB indexes need to the top level. */
export function indexFields(rec) {
  rec.visit_id = rec.type === 'visit' ? rec.id : rec.fields.visit_id || '';
  rec.facility_id = rec.fields.facility_id || '';
  rec.location_id = rec.fields.location_id || '';
  return rec;
}

/**
 * ROW_TYPES are the types always kept one record a row: what the screens
 * list across visits (packVisit never packs them).
 */
export const ROW_TYPES = new Set(['facility', 'visit', 'recommendation']);

/**
 * packableVisits says which visits' records a pull may keep packed (the
 * history, store.js "Packed history"): the approved visits, live, that are
 * not the latest approved visit of their facility (by started_at, then id:
 * the server's working set, protocol.md "First sync"). visits are the local
 * visit records.
 */
export function packableVisits(visits) {
  const approved = visits.filter((v) => !v.deleted && v.fields.status === 'approved');
  const latest = new Map(); // facility id → its latest approved visit
  const later = (a, b) => {
    const x = a.fields.started_at || '';
    const y = b.fields.started_at || '';
    return x > y || (x === y && a.id > b.id);
  };
  for (const v of approved) {
    const f = v.fields.facility_id || '';
    if (!latest.has(f) || later(v, latest.get(f))) latest.set(f, v);
  }
  return new Set(approved.filter((v) => latest.get(v.fields.facility_id || '') !== v).map((v) => v.id));
}

/**
 * packVisit gives the visit under which a pulled change may be kept packed
 * (one of the packable visit ids), or '' when it is kept as a row: a record
 * of ROW_TYPES, one with conflicts to decide, one merged away, one that
 * names a facility (ofFacility reads rows only).
 */
export function packVisit(change, packable) {
  if (!packable || !packable.size || ROW_TYPES.has(change.type) || change.merged_into) return '';
  if (change.conflicts && change.conflicts.length) return '';
  const f = change.fields || {};
  if (f.facility_id || !f.visit_id || !packable.has(f.visit_id)) return '';
  return f.visit_id;
}

/**
 * PACK_ROW is how many records one packed row holds at most (store.js,
 * "Packed history"): a row is written in a task of its own.
 */
export const PACK_ROW = 250;

/**
 * PACK_TEXT is how long the JSON text of one packed row may grow (in
 * characters) before its part is cut, a single change excepted. Chromium
 * stores an IndexedDB value of more than 64 KiB as a Blob of its own
 * (IDBValueWrapper::kWrapThreshold): writing it took 50 to 150 ms of the main
 * thread at 4× CPU and reading it an extra round trip (issue 20). Text with
 * Cyrillic letters takes two bytes a character: 24,000 characters and the
 * row's keys stay under that bound.
 */
export const PACK_TEXT = 24000;

/**
 * splitPage cuts a pulled page for applying (Store.applyPull): the changes
 * kept as rows stay in `changes`, in the page's order; those of packable
 * visits (packVisit) go, per visit and in the page's order, in parts of at
 * most rowMax changes and textMax characters of JSON, each { visit, part,
 * keys, seqs, json }: their record keys, sequences, and the changes as JSON
 * text. A packed row stores the text as it is, so the page's reader
 * (pullworker.js, off the main thread) hands the main thread a few strings
 * instead of thousands of objects, and IndexedDB copies a string, not an
 * object graph (issue 20: no main-thread task over 100 ms).
 */
export function splitPage(resp, pack, { rowMax = PACK_ROW, textMax = PACK_TEXT } = {}) {
  const changes = [];
  const byVisit = new Map();
  for (const ch of resp.changes || []) {
    const v = packVisit(ch, pack);
    if (!v) {
      changes.push(ch);
      continue;
    }
    if (!byVisit.has(v)) byVisit.set(v, []);
    byVisit.get(v).push(ch);
  }
  const packs = [];
  for (const [visit, list] of byVisit) {
    let cut = [];
    let texts = [];
    let size = 0;
    let part = 0;
    const flush = () => {
      packs.push({ visit, part: part++, keys: cut.map((ch) => recordKey(ch.type, ch.id)), seqs: cut.map((ch) => ch.seq), json: `[${texts.join(',')}]` });
      cut = [];
      texts = [];
      size = 0;
    };
    for (const ch of list) {
      const text = JSON.stringify(ch);
      if (cut.length && (cut.length >= rowMax || size + text.length + 1 > textMax)) flush();
      cut.push(ch);
      texts.push(text);
      size += text.length + 1;
    }
    if (cut.length) flush();
  }
  return { ...resp, changes, packs, split: true };
}

/** partChanges gives the changes of a part of splitPage or of a packed row (JSON text; rows written before it hold objects). */
export function partChanges(part) {
  return part.json !== undefined ? JSON.parse(part.json) : part.changes || [];
}

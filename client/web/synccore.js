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

/** recordKey is the local key of a record. */
export const recordKey = (type, id) => `${type}/${id}`;

/**
 * makeOp builds the operation for a change of named fields of rec (the local
 * copy, or null for a new record). Only fields whose value differs from the
 * local copy are sent; base is each field's last pulled version (0 if never
 * pulled). Returns null when nothing changed.
 */
export function makeOp({ type, id, action = 'upsert', fields = {}, rec, hlc, opId }) {
  const versions = (rec && rec.versions) || {};
  const current = (rec && rec.fields) || {};
  const sent = {};
  const base = {};
  for (const [name, value] of Object.entries(fields)) {
    if (rec && name in current && sameValue(current[name], value)) continue;
    sent[name] = value;
    base[name] = versions[name] || 0;
  }
  if (action === 'upsert' && Object.keys(sent).length === 0) return null;
  const op = { op_id: opId, type, id, action, hlc };
  if (action === 'upsert') {
    op.base = base;
    op.fields = sent;
  }
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

/**
 * acknowledge reads a push's results for a batch of outbox entries ({key, op}).
 * Applied, duplicate and conflict remove the operation; rejected (also a
 * duplicate of a rejected one) removes it too and reports it to show the member.
 * Entries the server did not answer stay. When an answered sequence is not
 * after `since`, a pull that ran meanwhile showed the local value over the
 * server's: since is moved back so the record is pulled again.
 */
export function acknowledge(batch, results, since) {
  const byOp = new Map(results.map((r) => [r.op_id, r]));
  const done = [];
  const rejected = [];
  for (const entry of batch) {
    const r = byOp.get(entry.op.op_id);
    if (!r) continue;
    done.push(entry.key);
    if (r.status === 'rejected' || (r.status === 'duplicate' && r.first_status === 'rejected')) {
      rejected.push({ op: entry.op, error: r.error || { field: '', message: 'rejected' } });
    }
    if (r.seq > 0 && r.seq <= since) since = r.seq - 1;
  }
  return { done, rejected, since };
}

/**
 * rollbackRefused says how to take back, on the device, a change the server
 * refused, so that the screen never keeps a value the server does not have.
 * rec is the local record; stillPending whether other operations on it wait
 * in the outbox. A record pulled before is pulled again ({since}: the pull
 * folds the server's state back in); a record the server never had, with
 * nothing else waiting, disappears ({put}: marked deleted); else nothing.
 */
export function rollbackRefused(rec, stillPending) {
  if (!rec) return {};
  if (rec.seq > 0) return { since: rec.seq - 1 };
  if (!stillPending) return { put: { ...rec, deleted: true } };
  return {};
}

/** pendingFields collects, per record key, the field values still in the outbox (later ops win). */
export function pendingFields(outbox) {
  const pending = new Map();
  for (const { op } of outbox) {
    const k = recordKey(op.type, op.id);
    if (!pending.has(k)) pending.set(k, { fields: {}, deleted: false });
    const p = pending.get(k);
    Object.assign(p.fields, op.fields || {});
    if (op.action === 'delete') p.deleted = true;
  }
  return pending;
}

/**
 * foldChange turns a pulled change into the local record: the server's full
 * state and versions, with the fields of operations still waiting in the
 * outbox laid over it so that a pull never hides a value not yet sent.
 * `local` is the current local record (kept for its local-only marks).
 */
export function foldChange(change, pending, local) {
  const rec = {
    key: recordKey(change.type, change.id),
    type: change.type,
    id: change.id,
    fields: { ...(change.fields || {}) },
    versions: { ...(change.versions || {}) },
    deleted: !!change.deleted,
    seq: change.seq,
  };
  const p = pending && pending.get(rec.key);
  if (p) {
    Object.assign(rec.fields, p.fields);
    if (p.deleted) rec.deleted = true;
  }
  if (local && local.own) rec.own = true;
  return indexFields(rec);
}

/** indexFields copies the fields the IndexedDB indexes need to the top level. */
export function indexFields(rec) {
  rec.visit_id = rec.type === 'visit' ? rec.id : rec.fields.visit_id || '';
  rec.facility_id = rec.fields.facility_id || '';
  return rec;
}

// The device's store on IndexedDB (through the vendored idb). Everything a
// member records lives here first; the outbox entry of a change is written in
// the same transaction as the record it changes, so neither exists without
// the other.
//
// Every row goes in through toRow() and comes out through fromRow(): the one
// place where a codec (such as encryption at rest) applies to what is stored.
import { openDB, deleteDB, unwrap } from './vendor/idb/idb.js';
import { Clock } from './hlc.js';
import {
  makeOp, recordKey, uuidv7, indexFields, pendingFields, foldChange, acknowledge,
  requeueKeys, SENT_KEEP_MS, SERVER_FILLED, rollbackRefused, DELETED, ROW_TYPES, PACK_ROW, splitPage, partChanges,
} from './synccore.js';
import { packJSON, unpackJSON, yieldToEvents } from './pack.js';

export const DB_NAME = 'inspecta';

/**
 * APPLY_SLICE_MS bounds the main thread's work of applying a pulled page in
 * one task: a page's requests are issued in slices of about this long, each
 * next slice in the task of the previous slice's last answer, so taps and
 * keys are handled in between (issue 20: no task over 100 ms at 4× CPU).
 */
export const APPLY_SLICE_MS = 25;

/**
 * APPLY_CHUNK is how many pulled records one transaction writes: a read the
 * screen makes (opening a visit while the history comes) waits for the
 * transaction under way, so a page of 500 is written in several.
 */
export const APPLY_CHUNK = 100;

/**
 * updateSliced reads the rows of keys from an object store of an open
 * transaction and puts back what fn returns for each (undefined: nothing).
 * Plain IndexedDB requests with callbacks: a page of hundreds of records
 * costs one transaction and no promise per row, and the requests are issued
 * in slices of sliceMs so the main thread is free between them (now is the
 * clock, for tests). held, when given, is every key the store holds (read
 * in the same transaction): a key not in it is not read, fn gets undefined.
 * Resolves when every request was issued; the writes complete with the transaction.
 */
export function updateSliced(os, keys, fn, sliceMs = APPLY_SLICE_MS, now = () => performance.now(), held = null) {
  const raw = unwrap(os);
  let i = 0;
  return new Promise((resolve) => {
    const slice = () => {
      const t0 = now();
      let last = null;
      while (i < keys.length) {
        const key = keys[i++];
        if (held && !held.has(key)) {
          const next = fn(undefined, key);
          if (next !== undefined) last = raw.put(next);
        } else {
          const req = raw.get(key);
          req.onsuccess = () => {
            const next = fn(req.result, key);
            if (next !== undefined) raw.put(next);
          };
          last = req;
        }
        if (now() - t0 > sliceMs) break;
      }
      if (i >= keys.length) return resolve();
      // A request's answer keeps the transaction active: the next slice starts there.
      if (!last) last = raw.count(keys[i - 1]);
      const own = last.onsuccess;
      last.onsuccess = () => {
        if (own) own();
        slice();
      };
    };
    slice();
  });
}

/** OUTBOX_SLICE is how many outbox entries one read copies out of the database (Store.outbox). */
export const OUTBOX_SLICE = 100;

/**
 * HELD_MAX: while the records are fewer (a new phone's first sync), a pulled
 * chunk first reads every key held, in one request, and reads only the rows
 * it has: a new record is written without a read before it.
 */
const HELD_MAX = 5000;

/**
 * eachSliced calls fn on every item, yielding to the event loop after each
 * APPLY_SLICE_MS of work (outside any transaction: one would end at the yield).
 */
async function eachSliced(items, fn) {
  let t0 = performance.now();
  for (const item of items) {
    fn(item);
    if (performance.now() - t0 > APPLY_SLICE_MS) {
      await yieldToEvents();
      t0 = performance.now();
    }
  }
}

/**
 * deleteKeys deletes the answered keys of a batch (the first entries of the
 * outbox, in key order): one range when every one was answered.
 */
function deleteKeys(os, batchKeys, done) {
  if (done.length && done.length === batchKeys.length) {
    os.delete(IDBKeyRange.bound(batchKeys[0], batchKeys[batchKeys.length - 1]));
    return;
  }
  for (const key of done) os.delete(key);
}

/** previous records what a change replaced, to take it back if the server refuses it. */
function previous(rec, op) {
  if (!rec) return { created: true };
  const fields = {};
  for (const f of Object.keys(op.fields || {})) fields[f] = rec.fields[f] === undefined ? null : rec.fields[f];
  return { fields, deleted: !!rec.deleted };
}
/** DB_VERSION is the database's version (Store.open's upgrade, a step for each). */
export const DB_VERSION = 5;

const STORES = ['meta', 'records', 'outbox', 'rejected', 'checklists', 'sent', 'photos', 'packs', 'checklist_parts'];

/**
 * TEMPLATE_PART is how many characters of a template's JSON text one row of
 * checklist_parts holds: a template is 200 to 600 KB of text, and Chromium
 * keeps an IndexedDB value over 64 KiB as a Blob of its own, copied on the
 * main thread in one task when written (90 to 370 ms at 4× CPU) and fetched
 * through a round trip of its own when read (issue 20). Two bytes a
 * character with Cyrillic text: a part stays under the bound. Each part is
 * a task and a round trip of its own, and the sign-in waits for the region's
 * templates: parts as large as the bound allows (12,000 made the first sync
 * start 2 to 5 s later under load).
 */
export const TEMPLATE_PART = 30000;

/**
 * putRow writes a row through plain IndexedDB in a task of its own (its
 * answer resolves the promise). Named, so that a trace tells a packed row's
 * or a template's copy into the database from any other put.
 */
function putRow(os, row) {
  const req = unwrap(os).put(row);
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

/** writePackRow writes a packed row (packPage). */
const writePackRow = (os, row) => putRow(os, row);

/** writeTemplatePart writes a part of a template's text (saveChecklists). */
const writeTemplatePart = (os, row) => putRow(os, row);

/**
 * PACK_CACHE is how many packed visits are kept unpacked in memory (the
 * one opened, and the one before).
 */
const PACK_CACHE = 2;

export { PACK_ROW };

/** visitOf is the visit a record belongs to: a visit's own id, else the visit it names ('' for none). */
function visitOf(rec) {
  return rec.type === 'visit' ? rec.id : (rec.fields && rec.fields.visit_id) || '';
}

/** copyRec copies a packed record for a caller that may change it (the packed copy is shared). */
function copyRec(rec) {
  return rec && { ...rec, fields: { ...rec.fields }, versions: { ...(rec.versions || {}) } };
}

// With an app lock (lock.js, vault.js) the codec seals every row on its way
// in and opens it on its way out. What stays readable on a locked phone: the
// fields below (keys and index fields: random ids and a type name) and the
// settings rows CLEAR_META. A new store or index field is added here.
export const CLEAR = {
  meta: ['k'],
  records: ['key', 'type', 'id', 'visit_id', 'facility_id', 'location_id'],
  outbox: ['key'],
  rejected: ['key'],
  checklists: ['ref'],
  checklist_parts: ['k'],
  sent: ['key'],
  photos: ['id', 'visit_id'],
  packs: ['pk', 'keys'],
};
export const CLEAR_META = ['lang', 'lock'];
const PLAIN = { sealed: false, seal: (store, row) => row, unseal: (store, row) => row };

export class Store {
  /**
   * open opens (or creates) the device's database. name and now are for
   * tests: several devices in one process, a phone with a wrong clock.
   * codec, when a PIN is set, is the unlocked app lock's, or an async
   * function that is given the database and returns it (the lock screen).
   */
  static async open({ name = DB_NAME, now, codec } = {}) {
    const db = await openDB(name, DB_VERSION, {
      upgrade(db, oldVersion, newVersion, tx) {
        if (oldVersion < 1) {
          db.createObjectStore('meta', { keyPath: 'k' });
          const records = db.createObjectStore('records', { keyPath: 'key' });
          records.createIndex('type', 'type');
          records.createIndex('visit_id', 'visit_id');
          records.createIndex('facility_id', 'facility_id');
          db.createObjectStore('outbox', { keyPath: 'key', autoIncrement: true });
          db.createObjectStore('rejected', { keyPath: 'key', autoIncrement: true });
          db.createObjectStore('checklists', { keyPath: 'ref' });
        }
        if (oldVersion < 2) {
          // Operations the server acknowledged, kept packed for 30 days to send
          // again after the server's database was restored (protocol.md, generation).
          db.createObjectStore('sent', { keyPath: 'key', autoIncrement: true });
        }
        if (oldVersion < 3) {
          // Photos (photos.js): the re-encoded picture, its thumbnail and how its sending stands.
          db.createObjectStore('photos', { keyPath: 'id' }).createIndex('visit_id', 'visit_id');
        }
        if (oldVersion < 4) {
          // Packed history (see "Packed history" below): pk is [visit id,
          // snapshot mark, the page's cursor, part]; keys lists the record keys a row holds, changes their pulled changes.
          db.createObjectStore('packs', { keyPath: 'pk' }).createIndex('keys', 'keys', { multiEntry: true });
        }
        if (oldVersion < 5) {
          // The records of one place of a visit (placeOf): a place's page
          // reads its own answers, not the thousand of the whole visit.
          // Rows stored before get their location_id once opened (fillPlaceIndex:
          // rows sealed by the app lock are read with its key).
          tx.objectStore('records').createIndex('visit_location', ['visit_id', 'location_id']);
          // A template's JSON text in parts (saveChecklists), k = [ref, part].
          db.createObjectStore('checklist_parts', { keyPath: 'k' });
        }
      },
    });
    const s = new Store(db, name);
    s.now = now || (() => Date.now());
    if (codec) s.codec = (typeof codec === 'function' ? await codec(db) : codec) || PLAIN;
    s.packedVisits = new Set((await db.getAllKeys('packs')).map((pk) => pk[0]));
    await s.fillPlaceIndex();
    s.session = await s.meta('session');
    s.clock = new Clock(s.session ? s.session.device_id : 'unknown', (await s.meta('last_hlc')) || '', s.now, (await s.meta('clock_offset_ms')) || 0);
    return s;
  }

  constructor(db, name = DB_NAME) {
    this.db = db;
    this.name = name;
    this.codec = PLAIN;
    this.listeners = new Set();
    this.base = ''; // the server's origin; '' is the page's own
    this.packedVisits = new Set(); // visits with packed records (see "Packed history")
    this.packCache = new Map(); // visit id → its packed records (key → record), the last PACK_CACHE opened
    this.epochs = { all: 0, visits: new Map() }; // writes of records since the app started (visitEpoch)
    this.templates = new Map(); // checklist ref → { tpl, json }: the template as read, its JSON text (saveChecklists keeps those saved unchanged)
  }

  /** toRow turns a value into what is stored in an object store (the codec seam). */
  toRow(storeName, value) {
    // A record's index fields are set on every way in (placeOf reads by them).
    if (storeName === 'records' && value && value.fields) indexFields(value);
    return this.codec.seal(storeName, value);
  }

  /**
   * fillPlaceIndex gives every record row stored before database version 5
   * its location_id (the index visit_location), once: rows sealed by the app
   * lock are read with its key. Rows that cannot be read (a locked phone
   * opened without its key) stay as they are, and placeOf reads the whole
   * visit until they are filled.
   */
  async fillPlaceIndex() {
    const count = () => Promise.all([this.db.count('records'), this.db.countFromIndex('records', 'visit_location')]);
    let [rows, indexed] = await count();
    if (rows !== indexed) {
      const tx = this.db.transaction('records', 'readwrite');
      for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
        if (cursor.value.location_id !== undefined) continue;
        const rec = this.fromRow('records', cursor.value);
        if (rec && rec.fields) cursor.update(this.toRow('records', rec));
      }
      await tx.done;
      [rows, indexed] = await count();
    }
    this.placeIndexed = rows === indexed;
  }

  /** fromRow turns a stored row back into its value (the codec seam). */
  fromRow(storeName, row) {
    return this.codec.unseal(storeName, row);
  }

  /**
   * visitEpoch names how far the records of a visit (the visit, and the
   * records naming it) have been written: it changes after every committed
   * write that may have changed one of them, so a screen drawn from them
   * that saw the same epoch before its reads need not read them again
   * (visit.js, a place's page). Writes a visit cannot be told for count for
   * every visit.
   */
  visitEpoch(visitId) {
    return `${this.epochs.all}.${this.epochs.visits.get(visitId) || 0}`;
  }

  /** touched notes committed writes of records of visits (null: of any visit). */
  touched(visits) {
    if (!visits) {
      this.epochs.all++;
      return;
    }
    for (const v of visits) this.epochs.visits.set(v, (this.epochs.visits.get(v) || 0) + 1);
  }

  /** onChange registers fn to be called after every local or pulled change. */
  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** emit tells the listeners what changed: 'local', 'pull', 'push', 'rollback', 'rejected', or 'history' (detail: the visits whose packed records came). */
  emit(what, detail) {
    for (const fn of this.listeners) fn(what, detail);
  }

  async meta(k) {
    const row = await this.db.get('meta', k);
    return row ? this.fromRow('meta', row).v : undefined;
  }

  setMeta(k, v) {
    return this.db.put('meta', this.toRow('meta', { k, v }));
  }

  async setSession(session) {
    this.session = session;
    this.clock = new Clock(session.device_id, (await this.meta('last_hlc')) || '', this.now, (await this.meta('clock_offset_ms')) || 0);
    await this.setMeta('session', session);
  }

  async get(type, id) {
    const key = recordKey(type, id);
    const row = await this.db.get('records', key);
    if (row) return this.fromRow('records', row);
    return copyRec(await this.findPacked(key, type));
  }

  rows(storeName, rows) {
    return rows.map((r) => this.fromRow(storeName, r));
  }

  /** all returns the live records of a type. */
  async all(type) {
    const recs = this.rows('records', await this.db.getAllFromIndex('records', 'type', type));
    if (this.packedVisits.size && !ROW_TYPES.has(type)) {
      for (const v of [...this.packedVisits]) this.withPacked(recs, await this.packed(v), type);
    }
    return recs.filter((r) => !r.deleted);
  }

  /** ofVisit returns the live records of a type belonging to a visit. */
  async ofVisit(type, visitId) {
    const recs = this.rows('records', await this.db.getAllFromIndex('records', 'visit_id', visitId));
    if (this.packedVisits.has(visitId)) this.withPacked(recs, await this.packed(visitId), type);
    return recs.filter((r) => r.type === type && !r.deleted);
  }

  /**
   * placeOf returns the live records of a type at one place of a visit
   * (locationId '' for the visit's own, such as its visit-wide answers):
   * through the index visit_location, so a place's page reads its own tens
   * of records, not the thousand of a full visit (issue 20). A visit with
   * packed history, or a phone whose index is not filled yet, is read whole
   * and filtered (a packed copy may name another place than the row that hides it).
   */
  async placeOf(type, visitId, locationId) {
    if (!this.placeIndexed || this.packedVisits.has(visitId)) {
      return (await this.ofVisit(type, visitId)).filter((r) => (r.fields.location_id || '') === locationId);
    }
    const rows = await this.db.getAllFromIndex('records', 'visit_location', [visitId, locationId]);
    return this.rows('records', rows).filter((r) => r.type === type && !r.deleted);
  }

  /** ofFacility returns the live records of a type naming a facility (never packed: packVisit). */
  async ofFacility(type, facilityId) {
    return this.rows('records', await this.db.getAllFromIndex('records', 'facility_id', facilityId)).filter((r) => r.type === type && !r.deleted);
  }

  // Packed history. A first sync writes tens of thousands of records, and on
  // a slow phone every IndexedDB row costs milliseconds (issue 20). The
  // records of an old approved visit (not the latest of its facility:
  // packableVisits) come in as a few rows of the `packs` store, one per
  // pulled page and visit, and the reads below lay them under the rows of
  // `records`. The rules that keep this exact:
  // - a row of `records` wins over a packed copy of the same record: a record
  //   is packed only when it has no row and no operation waiting (applyPull),
  //   and every later write of it (a change, a later pull) makes a row;
  // - a record is in one packed row at most: a page that packs a record takes
  //   it out of every other row of its visit (packPage), whatever their
  //   snapshot mark or cursor, so a copy pulled earlier (before a reset, or
  //   at an earlier cursor) can never stand for the record again;
  // - were two copies ever found (a phone packed by an earlier version of
  //   this code), the one of the later server sequence wins, not the one of
  //   the later row key: a reset's snapshot rows sort after every ordinary
  //   row of the same visit.

  /** packed returns the packed records of a visit (record key → record; shared: copyRec before changing one). */
  async packed(visitId, tx = null) {
    if (!this.packedVisits.has(visitId)) return new Map();
    let recs = this.packCache.get(visitId);
    if (recs) return recs;
    const range = IDBKeyRange.bound([visitId], [visitId, []]);
    const rows = tx ? await tx.objectStore('packs').getAll(range) : await this.db.getAll('packs', range);
    recs = new Map();
    for (const row of rows) {
      for (const rec of this.unpack(row)) {
        const had = recs.get(rec.key);
        if (!had || (had.seq || 0) <= (rec.seq || 0)) recs.set(rec.key, rec);
      }
    }
    this.packCache.delete(visitId);
    this.packCache.set(visitId, recs);
    while (this.packCache.size > PACK_CACHE) this.packCache.delete(this.packCache.keys().next().value);
    return recs;
  }

  /**
   * unpack gives the records of a packed row: its changes are kept as pulled
   * (compact, unfolded) as JSON text (`json`: a string costs little to copy
   * into and out of IndexedDB; rows written before hold objects, `changes`),
   * and folded when read.
   */
  unpack(row) {
    const value = this.fromRow('packs', row);
    const { pk, compact } = value;
    return partChanges(value).map((ch) => {
      const rec = foldChange(ch, null, null, compact);
      if (pk[1]) rec.snap = pk[1];
      return rec;
    });
  }

  /** findPacked returns the packed copy of the record key (no row of it: the caller looked), or undefined. */
  async findPacked(key, type, tx = null) {
    if (!this.packedVisits.size || ROW_TYPES.has(type)) return undefined;
    const pk = tx ? await tx.objectStore('packs').index('keys').getKey(key) : await this.db.getKeyFromIndex('packs', 'keys', key);
    return pk ? (await this.packed(pk[0], tx)).get(key) : undefined;
  }

  /** withPacked adds to recs (rows) the packed records of a type that have no row. */
  withPacked(recs, packed, type) {
    if (!packed.size) return;
    const rows = new Set(recs.map((r) => r.key));
    for (const rec of packed.values()) if (rec.type === type && !rows.has(rec.key)) recs.push(copyRec(rec));
  }

  /** countRecords counts the records the device holds, rows and packed (for measurements and tests). */
  async countRecords() {
    const keys = new Set(await this.db.getAllKeys('records'));
    for (const row of await this.db.getAll('packs')) for (const k of row.keys) keys.add(k);
    return keys.size;
  }

  /**
   * change records a change of named fields of a record and queues its
   * operation, in one transaction. localFields are kept on the device only
   * (such as the author of a new observation, which the server sets itself).
   * action 'delete' makes a tombstone; an upsert of a deleted record brings
   * it back. resolves and force make a decision on open conflicts (see
   * decide()). Returns the operation, or null when nothing changed.
   */
  async change(type, id, fields, opts = {}) {
    try {
      return await this.changeTx(type, id, fields, opts);
    } finally {
      this.touched(null);
    }
  }

  /** changeTx is change's transaction (change notes the write, whatever its end). */
  async changeTx(type, id, fields, opts) {
    const tx = this.db.transaction(['records', 'outbox', 'meta', 'packs'], 'readwrite');
    let op;
    try {
      op = await this.changeIn(tx, type, id, fields, opts);
    } catch (err) {
      // All or nothing: a record is never stored without its operation (it
      // would show on the phone and never be sent), nor the reverse.
      try { tx.abort(); } catch { /* already finished */ }
      await tx.done.catch(() => {});
      throw err;
    }
    if (!op) {
      tx.abort();
      await tx.done.catch(() => {});
      return null;
    }
    await tx.done;
    this.emit('local');
    return op;
  }

  /** changeIn asks tx for change's writes and returns the operation (null when nothing changes). */
  async changeIn(tx, type, id, fields, { action = 'upsert', localFields = {}, resolves = [], force = [] }) {
    const records = tx.objectStore('records');
    const key = recordKey(type, id);
    const row = await records.get(key);
    let rec = row && this.fromRow('records', row);
    // A record of packed history (a new record names its visit: none to look for in an unpacked one).
    if (!rec && (!fields.visit_id || this.packedVisits.has(fields.visit_id))) rec = copyRec(await this.findPacked(key, type, tx));
    const op = makeOp({ type, id, action, fields, rec, hlc: this.clock.next(), opId: uuidv7(), resolves, force });
    if (!op) return null;
    // What the change replaces, read before the record is changed in place below.
    const prev = previous(rec, op);
    const next = rec || { key, type, id, fields: {}, versions: {}, deleted: false, own: true };
    const filled = SERVER_FILLED[type];
    const me = this.session && this.session.user && this.session.user.id;
    if (filled && me && (!rec || type === 'consolidation')) localFields = { [filled]: me, ...localFields };
    if (resolves.length && next.conflicts) next.conflicts = next.conflicts.filter((c) => !resolves.includes(c.id));
    Object.assign(next.fields, op.fields || {}, localFields);
    next.deleted = op.action === 'delete';
    // A failed write fails tx.done, which change awaits: the requests' own promises are not.
    records.put(this.toRow('records', indexFields(next))).catch(() => {});
    tx.objectStore('outbox').add(this.toRow('outbox', { op, at: this.now(), prev })).catch(() => {});
    tx.objectStore('meta').put(this.toRow('meta', { k: 'last_hlc', v: op.hlc })).catch(() => {});
    return op;
  }

  /**
   * decide closes an open conflict of rec (pulled in rec.conflicts): value
   * is the value to keep (the current one, the one set aside, or another);
   * for a conflict on `_deleted`, true keeps the record deleted and false
   * keeps it. The decision is an ordinary operation from the field's current
   * version that names the conflict (protocol.md, "Conflicts").
   */
  decide(rec, conflict, value) {
    const opts = { resolves: [conflict.id] };
    if (conflict.field === DELETED) {
      return value ? this.change(rec.type, rec.id, {}, { ...opts, action: 'delete' }) : this.change(rec.type, rec.id, {}, { ...opts, force: [DELETED] });
    }
    return this.change(rec.type, rec.id, { [conflict.field]: value }, { ...opts, force: [conflict.field] });
  }

  /** outbox returns the operations waiting to be sent, oldest first (the first limit of them). */
  async outbox(limit = Infinity) {
    // Read OUTBOX_SLICE entries a request: each answer is copied out of the
    // database in a task of its own (a push of 600 read at once: 120 ms at 4× CPU).
    const out = [];
    let range = null;
    while (out.length < limit) {
      const n = Math.min(OUTBOX_SLICE, limit - out.length);
      const rows = await this.db.getAll('outbox', range, n);
      out.push(...this.rows('outbox', rows));
      if (rows.length < n) break;
      range = IDBKeyRange.lowerBound(rows[rows.length - 1].key, true);
    }
    return out;
  }

  outboxCount() {
    return this.db.count('outbox');
  }

  async rejected() {
    return this.rows('rejected', await this.db.getAll('rejected'));
  }

  async dismissRejected(key) {
    await this.db.delete('rejected', key);
    this.emit('rejected');
  }

  /**
   * acknowledgePush applies a push's answer in one transaction: answered
   * operations leave the outbox, rejected ones go to the rejected list and
   * are taken back on the device, and the acknowledged operations are kept,
   * packed, for 30 days. Returns acknowledge()'s reading.
   *
   * The versions the server gave the device's own writes are not written to
   * their records: a push of a full visit would rewrite a thousand records
   * (seconds on a slow phone), and nothing needs them: the server takes a
   * field last written by the same device as seen by it (protocol.md,
   * "Merging one field"), and any other device's later write comes back in
   * a pull with its version.
   */
  async acknowledgePush(batch, results, body) {
    const ack = acknowledge(batch, results, 0, this.now());
    const keep = ack.kept.map((e) => e.op);
    // The gzipped push body is the packed form when every operation is kept.
    let packed = null;
    if (body && body.gzip && keep.length === batch.length) packed = { push: body.data };
    else if (keep.length) packed = await packJSON(keep);
    const tx = this.db.transaction(['outbox', 'rejected', 'meta', 'records', 'sent'], 'readwrite');
    const meta = tx.objectStore('meta');
    const records = tx.objectStore('records');
    const sinceRow = await meta.get('since');
    const since = sinceRow ? this.fromRow('meta', sinceRow).v : 0;
    let rewound = acknowledge(batch, results, since).since;
    deleteKeys(tx.objectStore('outbox'), batch.map((e) => e.key), ack.done);
    for (const r of ack.rejected) tx.objectStore('rejected').add(this.toRow('rejected', { op: r.op, error: r.error, at: this.now() }));
    // A refused change is taken back on the device too (rollbackRefused),
    // the latest first, so that two refused changes of one field give back
    // the value before both. What a later change of this push that the
    // server took set stays (it left the outbox above, yet it was made after).
    if (ack.rejected.length) {
      const outbox = this.rows('outbox', await tx.objectStore('outbox').getAll());
      const refused = new Set(ack.rejected.map((r) => r.op));
      for (const r of [...ack.rejected].reverse()) {
        const key = recordKey(r.op.type, r.op.id);
        const taken = batch.slice(batch.findIndex((e) => e.op === r.op) + 1).filter((e) => !refused.has(e.op));
        const pending = pendingFields([...taken, ...outbox].filter((e) => recordKey(e.op.type, e.op.id) === key));
        const row = await records.get(key);
        const plan = rollbackRefused(row && this.fromRow('records', row), pending.get(key) || false, r.prev);
        if (plan.put) records.put(this.toRow('records', plan.put));
        if (plan.since !== undefined) rewound = Math.min(rewound, plan.since);
      }
    }
    if (rewound !== since) meta.put(this.toRow('meta', { k: 'since', v: rewound }));
    if (packed) tx.objectStore('sent').add(this.toRow('sent', { at: this.now(), n: keep.length, ops: packed }));
    try {
      await tx.done;
    } finally {
      if (ack.rejected.length) this.touched(null); // values taken back
    }
    if (ack.done.length + ack.waiting.length === 0 && batch.length > 0) throw new Error('the server answered for none of the operations sent');
    this.emit(ack.rejected.length ? 'rollback' : 'push');
    return ack;
  }

  /**
   * applyPull folds one page of a pull into the local copy and stores `next`
   * (with its last records), in transactions of APPLY_CHUNK records whose
   * reads and writes are issued in time slices (updateSliced); a page cut
   * short is pulled again whole. A merged-away record is dropped and waiting operations
   * on it are renamed to the survivor. snap, during a pull from 0 after a
   * reset, marks every record the new snapshot holds (see pruneSnapshot).
   * skip (a Map of record key to seq) leaves out changes already applied at
   * that seq (the working set, pulled first); keepSince false leaves `next`
   * unstored (a working-set page). pack (a Set of visit ids, packableVisits)
   * keeps the records of those visits packed (packPage). out, when given,
   * gets { rows, packed, visits }: how many changes went to rows and to
   * packs, and the visits packed under.
   * drop, on the last page of a full pass after a working-set pass ({
   * applied: key → seq, seen: keys, sentMark }), drops in the transaction
   * that stores `next` what the working set applied and the full pass did
   * not bring (dropUnseen); out.rows counts them too.
   * Returns how many changes were applied.
   * The caller emits 'pull' (at most once a second: every emit redraws the screen).
   */
  async applyPull(resp, snap = 0, { skip = null, keepSince = true, chunk = APPLY_CHUNK, pack = null, out = null, drop = null } = {}) {
    // Read before the page's transactions: unpacking is no IndexedDB request and would end one.
    const written = drop ? await this.writtenSince(drop.sentMark) : null;
    let dropped = 0;
    const live = new Map();
    const compact = !!resp.compact;
    // A page read by the page's reader (sync.js) comes cut already, with the same pack.
    const page = resp.split ? resp : splitPage(resp, pack);
    // Sorted in slices: a page of thousands is no long task.
    await eachSliced(page.changes, (ch) => {
      const key = recordKey(ch.type, ch.id);
      if (ch.merged_into || (skip && skip.get(key) === ch.seq)) return;
      live.set(key, ch);
    });
    const merged = page.changes.filter((ch) => ch.merged_into);
    const visits = [...new Set(page.packs.map((p) => p.visit))];
    const packed = page.packs.length ? await this.packPage(resp.next, snap, page.packs, live, { compact, skip }) : 0;
    const keys = [...live.keys()];
    for (let at = 0; at === 0 || at < keys.length; at += chunk) {
      if (at > 0) await new Promise((r) => setTimeout(r, 0)); // reads the screen waits for go first
      const last = at + chunk >= keys.length;
      const tx = this.db.transaction(['records', 'outbox', 'meta', 'packs', ...(last && drop ? ['sent'] : [])], 'readwrite');
      const records = tx.objectStore('records');
      const outbox = tx.objectStore('outbox');
      // The outbox is read in each transaction: a change the member made
      // meanwhile is laid over the pulled state, never hidden by it.
      const entries = this.rows('outbox', await outbox.getAll());
      if (at === 0) {
        for (const ch of merged) {
          const key = recordKey(ch.type, ch.id);
          // A packed copy is hidden by a deleted row; else the row goes.
          const inPack = await this.findPacked(key, ch.type, tx);
          if (inPack) records.put(this.toRow('records', { ...inPack, deleted: true }));
          else records.delete(key);
          for (const e of entries) {
            if (e.op.type === ch.type && e.op.id === ch.id) {
              e.op.id = ch.merged_into;
              outbox.put(this.toRow('outbox', e));
            }
          }
        }
      }
      const pending = pendingFields(entries);
      if (last && keepSince) tx.objectStore('meta').put(this.toRow('meta', { k: 'since', v: resp.next }));
      const part = keys.slice(at, at + chunk);
      const held = part.length >= 20 && (await records.count()) <= HELD_MAX ? new Set(await records.getAllKeys()) : null;
      const touched = new Set(); // the visits whose records this chunk writes (as they were, and as they are)
      await updateSliced(records, part, (row, key) => {
        const was = row && this.fromRow('records', row);
        if (was) touched.add(visitOf(was));
        const rec = foldChange(live.get(key), pending, was, compact);
        touched.add(visitOf(rec));
        if (snap) rec.snap = snap;
        return this.toRow('records', rec);
      }, APPLY_SLICE_MS, undefined, held);
      if (last && drop) dropped = await this.dropUnseen(tx, drop, pending, written);
      try {
        await tx.done;
      } finally {
        this.touched(at === 0 && merged.length ? null : touched);
        if (dropped) this.touched(null);
      }
    }
    if (dropped) this.packCache.clear();
    // A merge changes what the screen shows (the merged-away record goes):
    // counted with the rows, so a page of merges alone is drawn too.
    if (out) Object.assign(out, { rows: live.size + merged.length + dropped, packed, visits });
    return live.size + merged.length + packed;
  }

  /**
   * dropUnseen ends, in tx (the last chunk of the page that stores the
   * cursor), a full pass after a working-set pass: every record the working
   * set applied (drop.applied) that the full pass did not bring (drop.seen)
   * goes, rows and any packed copy. What the user may see changed between the
   * passes (taken off a visit's team), and the full pass from 0 recorded the
   * change as seen without a reset (protocol.md, "First sync"). A record with
   * an operation waiting (pending) stays, as does one the device wrote since
   * (written: the records of the operations acknowledged since the first
   * pass began): its own write may not come back in pull ("No echo"). A
   * push acknowledged after written was read (another tab of the app) makes
   * it drop nothing: the next reset settles what is left.
   * Returns how many records went.
   */
  async dropUnseen(tx, { applied, seen }, pending, written) {
    const gone = [...applied.keys()].filter((k) => !seen.has(k) && !pending.has(k) && !written.keys.has(k));
    if (!gone.length) return 0;
    if ((await tx.objectStore('sent').getAllKeys(IDBKeyRange.lowerBound(written.last, true))).length) return 0;
    const records = tx.objectStore('records');
    const packs = tx.objectStore('packs');
    for (const key of gone) {
      records.delete(key);
      // A packed copy of it (a page of an earlier try) would stand for it once the row is gone.
      for (const pk of await packs.index('keys').getAllKeys(key)) {
        const was = this.fromRow('packs', await packs.get(pk));
        const left = partChanges(was).filter((ch) => recordKey(ch.type, ch.id) !== key);
        if (left.length) packs.put(this.toRow('packs', { pk, keys: left.map((ch) => recordKey(ch.type, ch.id)), json: JSON.stringify(left), compact: was.compact }));
        else packs.delete(pk);
      }
    }
    return gone.length;
  }

  /** sentMark is the key of the last acknowledged push kept (`sent`), 0 for none: what is kept after it came later. */
  async sentMark() {
    const keys = await this.db.getAllKeys('sent');
    return keys.length ? keys[keys.length - 1] : 0;
  }

  /**
   * writtenSince gives the record keys of the operations acknowledged after
   * sentMark (keys, a Set) and the key of the last acknowledged push read (last).
   */
  async writtenSince(sentMark) {
    const keys = new Set();
    let last = sentMark;
    for (const row of await this.db.getAll('sent', IDBKeyRange.lowerBound(sentMark, true))) {
      const b = this.fromRow('sent', row);
      const ops = b.ops.push ? (await unpackJSON({ gz: b.ops.push })).ops : await unpackJSON(b.ops);
      for (const op of ops) keys.add(recordKey(op.type, op.id));
      last = Math.max(last, row.key);
    }
    return { keys, last };
  }

  /**
   * packPage writes, in one transaction, the packed parts of a page (parts of
   * splitPage: per visit, at most PACK_ROW changes each) as packed rows
   * under [visit, snap, next, part] (each record taken out of any other
   * packed row). A change of a record that has a row, or an operation
   * waiting, is moved to live instead (folded into its row as usual): a row
   * wins over a packed copy, so a packed copy is never newer than the row
   * that hides it; a change skip names (record key → seq) is left out. A
   * part with neither is stored as it came (its JSON text, not parsed here).
   * Returns how many changes were packed.
   */
  async packPage(next, snap, parts, live, { compact = false, skip = null } = {}) {
    const tx = this.db.transaction(['records', 'outbox', 'packs'], 'readwrite');
    const pending = pendingFields(this.rows('outbox', await tx.objectStore('outbox').getAll()));
    const byVisit = tx.objectStore('records').index('visit_id');
    const packs = tx.objectStore('packs');
    const visits = new Map(); // visit id → its parts
    for (const p of parts) {
      if (!visits.has(p.visit)) visits.set(p.visit, []);
      visits.get(p.visit).push(p);
    }
    let n = 0;
    for (const [v, list] of visits) {
      const rows = new Set(await byVisit.getAllKeys(v));
      const kept = [];
      for (const p of list) {
        const goes = (key, i) => rows.has(key) || pending.has(key) || (skip && skip.get(key) === p.seqs[i]);
        if (!p.keys.some(goes)) {
          kept.push(p);
          continue;
        }
        // Rare: a record held as a row, or waiting, or applied already: this part is read and cut.
        const left = [];
        for (const ch of partChanges(p)) {
          const key = recordKey(ch.type, ch.id);
          if (skip && skip.get(key) === ch.seq) continue;
          if (rows.has(key) || pending.has(key)) live.set(key, ch);
          else left.push(ch);
        }
        if (left.length) kept.push({ part: p.part, keys: left.map((ch) => recordKey(ch.type, ch.id)), seqs: left.map((ch) => ch.seq), json: JSON.stringify(left) });
      }
      if (!kept.length) continue;
      const page = [v, snap, next];
      const keys = new Set(kept.flatMap((p) => p.keys));
      // A record is in one packed row at most: a page replaces its own rows
      // (pulled again after the app was closed) and takes its records out of
      // every other row of the visit, whatever its cursor or snapshot mark.
      // A page pulled later holds the later state, and the rows of a reset's
      // snapshot sort after every ordinary row: left in place, their copy
      // would stand for a record changed or deleted since.
      const own = (k) => k[1] === snap && k[2] === next;
      const others = (await packs.getAllKeys(IDBKeyRange.bound([v], [v, []]))).filter((k) => !own(k));
      for (const other of others) {
        const row = await packs.get(other);
        if (!row.keys.some((k) => keys.has(k))) continue;
        const was = this.fromRow('packs', row);
        const left = partChanges(was).filter((ch) => !keys.has(recordKey(ch.type, ch.id)));
        if (left.length) packs.put(this.toRow('packs', { pk: was.pk, keys: left.map((ch) => recordKey(ch.type, ch.id)), json: JSON.stringify(left), compact: was.compact }));
        else packs.delete(row.pk);
      }
      packs.delete(IDBKeyRange.bound(page, [...page, []]));
      // One row a part, each written in the task of the last one's answer:
      // copying a row into the database takes the main thread.
      for (const p of kept) {
        await writePackRow(packs, this.toRow('packs', { pk: [...page, p.part], keys: p.keys, json: p.json, compact }));
        n += p.keys.length;
      }
    }
    try {
      await tx.done;
    } finally {
      this.touched(visits.keys());
    }
    for (const v of visits.keys()) {
      this.packCache.delete(v);
      this.packedVisits.add(v);
    }
    return n;
  }

  /**
   * pruneSnapshot ends a pull from 0 after a reset: every synced record the
   * new snapshot did not hold (snap differs) is dropped, except records with
   * operations still waiting to be sent (kept; the server refuses them if they
   * are out of scope now, and the member sees that). Returns how many went.
   */
  async pruneSnapshot(snap) {
    const tx = this.db.transaction(['records', 'outbox', 'packs'], 'readwrite');
    // Packed rows of an earlier snapshot go whole: the new one packed again what it holds.
    const packs = tx.objectStore('packs');
    const pks = await packs.getAllKeys();
    for (const pk of pks) if (pk[1] !== snap) packs.delete(pk);
    const kept = pks.filter((pk) => pk[1] === snap);
    const pending = pendingFields(this.rows('outbox', await tx.objectStore('outbox').getAll()));
    let dropped = 0;
    let cursor = await tx.objectStore('records').openCursor();
    while (cursor) {
      const rec = this.fromRow('records', cursor.value);
      if (rec.snap !== snap && !pending.has(rec.key)) {
        cursor.delete();
        dropped++;
      }
      cursor = await cursor.continue();
    }
    try {
      await tx.done;
    } finally {
      this.touched(null);
    }
    this.packedVisits = new Set(kept.map((pk) => pk[0]));
    this.packCache.clear();
    if (dropped || kept.length < pks.length) this.emit('pull');
    return dropped;
  }

  /**
   * requeueSent puts the operations acknowledged in the last 30 days back in
   * the outbox, ahead of those still waiting and in their first order, after
   * the server's database was restored; older ones are forgotten. Returns how
   * many were queued again.
   */
  async requeueSent() {
    const since = this.now() - SENT_KEEP_MS;
    const kept = this.rows('sent', await this.db.getAll('sent')).filter((b) => b.at >= since);
    let ops = [];
    for (const b of kept) ops.push(...(b.ops.push ? (await unpackJSON({ gz: b.ops.push })).ops : await unpackJSON(b.ops)));
    const tx = this.db.transaction(['outbox', 'sent'], 'readwrite');
    const outbox = tx.objectStore('outbox');
    const waiting = new Set(this.rows('outbox', await outbox.getAll()).map((e) => e.op.op_id));
    ops = ops.filter((op) => !waiting.has(op.op_id));
    const first = await outbox.openCursor();
    const keys = requeueKeys(first ? first.key : null, ops.length);
    ops.forEach((op, i) => {
      const entry = { op, at: this.now(), again: true };
      if (keys) entry.key = keys[i];
      outbox.put(this.toRow('outbox', entry));
    });
    tx.objectStore('sent').clear();
    await tx.done;
    this.emit('local');
    return ops.length;
  }

  /** forgetOldSent drops the packed acknowledged operations older than 30 days. */
  async forgetOldSent() {
    const since = this.now() - SENT_KEEP_MS;
    const tx = this.db.transaction('sent', 'readwrite');
    let cursor = await tx.store.openCursor();
    while (cursor) {
      if (this.fromRow('sent', cursor.value).at < since) cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  }

  /**
   * saveChecklists keeps every version downloaded (a visit is shown with the
   * version it was started with, for good) and marks active only the
   * versions the server lists as active; a partial list (the region's, at
   * sign-in) leaves the others as they are.
   */
  async saveChecklists(list, { partial = false } = {}) {
    const active = new Set(list.filter((t) => t.active).map((t) => `${t.id}@${t.version}`));
    const tx = this.db.transaction(['checklists', 'checklist_parts', 'meta'], 'readwrite');
    const cl = tx.objectStore('checklists');
    const parts = tx.objectStore('checklist_parts');
    const meta = tx.objectStore('meta');
    // The refs stored as active (kept beside the templates: a template is a
    // row of hundreds of KB, which Chromium keeps as a Blob, so reading every
    // one to see its flag was 100 to 250 ms of the main thread at the end of
    // a first sync, issue 20). Unknown (null) on a phone that saved its
    // checklists before: then every row is read once more.
    const known = await meta.get('checklists_active');
    let stored = known ? new Set(this.fromRow('meta', known).v) : null;
    if (!stored && (await cl.count()) === 0) stored = new Set(); // a new phone: nothing stored, nothing active
    if (!partial && list.some((t) => 'active' in t)) {
      const off = async (row) => {
        const t = this.fromRow('checklists', row);
        if (t.active && !active.has(t.ref)) await cl.put(this.toRow('checklists', { ...t, active: false }));
      };
      if (stored) {
        for (const ref of stored) {
          if (active.has(ref)) continue;
          const row = await cl.get(ref);
          if (row) await off(row);
        }
      } else {
        // One row a task: a template kept as objects is a large row to copy out of the database.
        for (let cursor = await cl.openCursor(); cursor; cursor = await cursor.continue()) await off(cursor.value);
      }
      stored = new Set(active);
    } else if (stored) {
      for (const t of list) {
        const ref = `${t.id}@${t.version}`;
        if (t.active) stored.add(ref);
        else stored.delete(ref);
      }
    }
    // A template's text in parts, one a task (a large row is a long copy
    // into the database and a Blob of its own: issue 20, no long task).
    for (const t of list) {
      const ref = `${t.id}@${t.version}`;
      parts.delete(IDBKeyRange.bound([ref], [ref, []]));
      if (typeof t.json !== 'string' || t.json.length <= TEMPLATE_PART) {
        await putRow(cl, this.toRow('checklists', { ...t, ref }));
        continue;
      }
      const { json, ...head } = t;
      const n = Math.ceil(json.length / TEMPLATE_PART);
      for (let i = 0; i < n; i++) {
        await writeTemplatePart(parts, this.toRow('checklist_parts', { k: [ref, i], json: json.slice(i * TEMPLATE_PART, (i + 1) * TEMPLATE_PART) }));
      }
      await putRow(cl, this.toRow('checklists', { ...head, ref, parts: n }));
    }
    if (stored) meta.put(this.toRow('meta', { k: 'checklists_active', v: [...stored] }));
    else meta.delete('checklists_active');
    await tx.done;
    // A template read before and saved again as it was (the end of a first
    // sync saves the whole list the sign-in saved a part of) is kept as read:
    // the screens drawn with it need not read and parse it again, nor be drawn anew.
    const kept = new Map();
    for (const t of list) {
      const ref = `${t.id}@${t.version}`;
      const had = this.templates.get(ref);
      if (had && had.json !== undefined && had.json === t.json && sameHead(had.tpl, t)) kept.set(ref, had);
    }
    this.templates = kept;
  }

  /** checklists returns every template kept. */
  async checklists() {
    const rows = this.rows('checklists', await this.db.getAll('checklists'));
    const parts = rows.some((r) => r.parts) ? this.rows('checklist_parts', await this.db.getAll('checklist_parts')) : [];
    return rows.map((r) => templateOf(joinParts(r, parts)));
  }

  /**
   * checklist returns the template with ref "id@version" (a visit's own
   * version); with no ref, the version new visits get: the server's default
   * active one, else the newest.
   */
  async checklist(ref) {
    // A visit's own version is read alone, once: every template a facility
    // type has is a large row, and the checklist screen is drawn at every
    // pulled page and place opened.
    if (ref) {
      const had = this.templates.get(ref);
      if (had) return had.tpl;
      let row = this.fromRow('checklists', await this.db.get('checklists', ref));
      if (row && row.parts) row = joinParts(row, this.rows('checklist_parts', await this.db.getAll('checklist_parts', IDBKeyRange.bound([ref], [ref, []]))));
      const tpl = templateOf(row);
      if (tpl) this.templates.set(ref, { tpl, json: row.json });
      return tpl; // never another version than the visit's own
    }
    const list = await this.checklists();
    return pickChecklist(list, '');
  }


  /**
   * reseal switches to codec and rewrites every row through it, with the
   * extra meta rows (the lock), in one transaction: setting a PIN seals what
   * was kept in clear until then, or nothing changes.
   */
  async reseal(codec, extraMeta = []) {
    this.codec = codec;
    this.templates.clear();
    const names = [...this.db.objectStoreNames];
    const tx = this.db.transaction(names, 'readwrite');
    for (const name of names) {
      const st = tx.objectStore(name);
      for (const row of await st.getAll()) st.put(codec.seal(name, codec.unseal(name, row)));
    }
    for (const row of extraMeta) tx.objectStore('meta').put(codec.seal('meta', row));
    try {
      await tx.done;
    } finally {
      this.touched(null);
    }
  }

  /** wipe deletes every local record, the outbox, the session: all of Inspecta's data on the device. */
  async wipe() {
    this.db.close();
    await deleteDB(this.name);
    this.session = null;
  }
}


/**
 * templateOf gives the template of a checklists row. A template read by the
 * page's reader (sync.js, pullworker.js) is kept as its JSON text (`json`)
 * under a head of the fields the lists need (id, version, active, default,
 * facility_types, title): a string costs the main thread little to copy
 * into IndexedDB, an object of 200 KB up to 120 ms at 4× CPU. The head wins
 * (saveChecklists changes `active` in it). Rows written as objects are as they are.
 */
function templateOf(row) {
  if (!row || row.json === undefined) return row;
  const { json, ...head } = row;
  return { ...JSON.parse(json), ...head };
}

/**
 * joinParts gives a checklists row kept in parts (saveChecklists) its JSON
 * text back from the rows of checklist_parts among parts; a row kept whole is as it is.
 */
function joinParts(row, parts) {
  if (!row || !row.parts) return row;
  const own = parts.filter((p) => p.k[0] === row.ref).sort((a, b) => a.k[1] - b.k[1]);
  if (own.length !== row.parts) throw new Error(`the checklist ${row.ref} has ${own.length} of its ${row.parts} parts`);
  const { parts: n, ...head } = row;
  return { ...head, json: own.map((p) => p.json).join('') };
}

/** sameHead says whether a template has the head fields of a checklists row (HEAD of pullworker.js). */
function sameHead(tpl, row) {
  return ['id', 'version', 'active', 'default', 'facility_types', 'title'].every((k) => JSON.stringify(tpl[k]) === JSON.stringify(row[k]));
}

/**
 * offeredChecklists lists the checklists a new visit to a facility of this
 * type may start with: the active ones (all when the list says nothing of
 * activity) naming the type in facility_types, then the general ones (naming
 * no type), the server's default first in each group.
 */
export function offeredChecklists(list, type) {
  const cands = list.some((t) => t.active) ? list.filter((t) => t.active) : list;
  const types = (t) => t.facility_types || [];
  const order = (a, b) => (b.default === true) - (a.default === true) || String(a.id).localeCompare(String(b.id)) || b.version - a.version;
  return [...cands.filter((t) => type && types(t).includes(type)).sort(order), ...cands.filter((t) => !types(t).length).sort(order)];
}

/**
 * pickChecklist is schema.Catalog.ForFacilityType: the checklist a new visit
 * to a facility of this type starts with (the first offered), else the newest.
 */
export function pickChecklist(list, type) {
  return offeredChecklists(list, type)[0] || list.slice().sort((a, b) => b.version - a.version)[0];
}

export { STORES };

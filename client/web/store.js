// The device's store on IndexedDB (through the vendored idb). Everything a
// member records lives here first; the outbox entry of a change is written in
// the same transaction as the record it changes, so neither exists without
// the other.
import { openDB, deleteDB } from './vendor/idb/idb.js';
import { Clock } from './hlc.js';
import { makeOp, recordKey, uuidv7, indexFields, pendingFields, foldChange, acknowledge, rollbackRefused } from './synccore.js';

const DB_NAME = 'inspecta';

export class Store {
  static async open() {
    const db = await openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('meta', { keyPath: 'k' });
        const records = db.createObjectStore('records', { keyPath: 'key' });
        records.createIndex('type', 'type');
        records.createIndex('visit_id', 'visit_id');
        records.createIndex('facility_id', 'facility_id');
        db.createObjectStore('outbox', { keyPath: 'key', autoIncrement: true });
        db.createObjectStore('rejected', { keyPath: 'key', autoIncrement: true });
        db.createObjectStore('checklists', { keyPath: 'ref' });
      },
    });
    const s = new Store(db);
    s.session = await s.meta('session');
    s.clock = new Clock(s.session ? s.session.device_id : 'unknown', (await s.meta('last_hlc')) || '');
    return s;
  }

  constructor(db) {
    this.db = db;
    this.listeners = new Set();
  }

  /** onChange registers fn to be called after every local or pulled change. */
  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(what) {
    for (const fn of this.listeners) fn(what);
  }

  async meta(k) {
    const row = await this.db.get('meta', k);
    return row ? row.v : undefined;
  }

  setMeta(k, v) {
    return this.db.put('meta', { k, v });
  }

  async setSession(session) {
    this.session = session;
    this.clock = new Clock(session.device_id, (await this.meta('last_hlc')) || '');
    await this.setMeta('session', session);
  }

  get(type, id) {
    return this.db.get('records', recordKey(type, id));
  }

  /** all returns the live records of a type. */
  async all(type) {
    return (await this.db.getAllFromIndex('records', 'type', type)).filter((r) => !r.deleted);
  }

  /** ofVisit returns the live records of a type belonging to a visit. */
  async ofVisit(type, visitId) {
    return (await this.db.getAllFromIndex('records', 'visit_id', visitId)).filter((r) => r.type === type && !r.deleted);
  }

  async ofFacility(type, facilityId) {
    return (await this.db.getAllFromIndex('records', 'facility_id', facilityId)).filter((r) => r.type === type && !r.deleted);
  }

  /**
   * change records a change of named fields of a record and queues its
   * operation, in one transaction. localFields are kept on the device only
   * (such as the author of a new observation, which the server sets itself).
   * Returns the operation, or null when nothing changed.
   */
  async change(type, id, fields, { action = 'upsert', localFields = {} } = {}) {
    const tx = this.db.transaction(['records', 'outbox', 'meta'], 'readwrite');
    const records = tx.objectStore('records');
    const key = recordKey(type, id);
    const rec = await records.get(key);
    const op = makeOp({ type, id, action, fields, rec, hlc: this.clock.next(), opId: uuidv7() });
    if (!op) {
      tx.abort();
      await tx.done.catch(() => {});
      return null;
    }
    const next = rec || { key, type, id, fields: {}, versions: {}, deleted: false, own: true };
    Object.assign(next.fields, op.fields || {}, localFields);
    if (action === 'delete') next.deleted = true;
    records.put(indexFields(next));
    tx.objectStore('outbox').add({ op, at: Date.now() });
    tx.objectStore('meta').put({ k: 'last_hlc', v: op.hlc });
    await tx.done;
    this.emit('local');
    return op;
  }

  outbox() {
    return this.db.getAll('outbox');
  }

  outboxCount() {
    return this.db.count('outbox');
  }

  rejected() {
    return this.db.getAll('rejected');
  }

  async dismissRejected(key) {
    await this.db.delete('rejected', key);
    this.emit('rejected');
  }

  /**
   * acknowledgePush applies a push's answer in one transaction: answered
   * operations leave the outbox, rejected ones go to the rejected list.
   * Returns how many were rejected.
   */
  async acknowledgePush(batch, results) {
    const tx = this.db.transaction(['outbox', 'rejected', 'meta', 'records'], 'readwrite');
    const meta = tx.objectStore('meta');
    const since = ((await meta.get('since')) || { v: 0 }).v;
    const ack = acknowledge(batch, results, since);
    for (const key of ack.done) tx.objectStore('outbox').delete(key);
    for (const r of ack.rejected) tx.objectStore('rejected').add({ ...r, at: Date.now() });
    // A refused change is taken back on the device too (rollbackRefused).
    let next = ack.since;
    if (ack.rejected.length) {
      const pending = pendingFields(await tx.objectStore('outbox').getAll());
      const records = tx.objectStore('records');
      for (const r of ack.rejected) {
        const key = recordKey(r.op.type, r.op.id);
        const plan = rollbackRefused(await records.get(key), pending.has(key));
        if (plan.put) records.put(plan.put);
        if (plan.since !== undefined) next = Math.min(next, plan.since);
      }
    }
    if (next !== since) meta.put({ k: 'since', v: next });
    await tx.done;
    if (ack.done.length === 0 && batch.length > 0) throw new Error('the server answered for none of the operations sent');
    this.emit(ack.rejected.length ? 'rollback' : 'push');
    return ack.rejected.length;
  }

  /**
   * applyPull folds one page of a pull into the local copy and stores `next`,
   * in one transaction. A merged-away record is dropped and waiting operations
   * on it are renamed to the survivor.
   */
  async applyPull(resp) {
    const tx = this.db.transaction(['records', 'outbox', 'meta'], 'readwrite');
    const records = tx.objectStore('records');
    const outbox = tx.objectStore('outbox');
    const entries = await outbox.getAll();
    for (const ch of resp.changes) {
      if (!ch.merged_into) continue;
      records.delete(recordKey(ch.type, ch.id));
      for (const e of entries) {
        if (e.op.type === ch.type && e.op.id === ch.id) {
          e.op.id = ch.merged_into;
          outbox.put(e);
        }
      }
    }
    const pending = pendingFields(entries);
    for (const ch of resp.changes) {
      if (ch.merged_into) continue;
      const local = await records.get(recordKey(ch.type, ch.id));
      records.put(foldChange(ch, pending, local));
    }
    tx.objectStore('meta').put({ k: 'since', v: resp.next });
    await tx.done;
    if (resp.changes.length) this.emit('pull');
  }

  async saveChecklists(list) {
    const tx = this.db.transaction('checklists', 'readwrite');
    for (const t of list) tx.store.put({ ...t, ref: `${t.id}@${t.version}` });
    await tx.done;
  }

  checklists() {
    return this.db.getAll('checklists');
  }

  /** checklist returns the template with ref "id@version", else the newest one. */
  async checklist(ref) {
    const list = await this.checklists();
    return list.find((t) => t.ref === ref) || list.sort((a, b) => b.version - a.version)[0];
  }

  /** wipe deletes every local record, the outbox and the session. */
  async wipe() {
    this.db.close();
    await deleteDB(DB_NAME);
  }
}

// The device side of the sync protocol (docs/protocol.md): push the outbox in
// gzipped batches sized to the link, then pull until `more` is false (each
// page applied while the next one is fetched), restarting from 0 on `reset`.
// It runs on start, on `online`, on returning to the tab, every minute while
// the app is open, after local changes, and on the "Sync now" button; after
// a failure it retries sooner (5 s, doubling to 30 s) while anything waits.
import { nextBatch, BatchSizer, packableVisits, splitPage } from './synccore.js';
import { pushBody } from './pack.js';
import { observeAnswer, CLOCK_WARN_MS } from './clockwatch.js';

export { CLOCK_WARN_MS };

const PULL_LIMIT = 500;
/**
 * HISTORY_PAGES is how many times larger the pages of the pass after the
 * working set are: its records mostly go packed, so a page costs little to
 * apply and the link's latency per request is what its time is made of.
 */
const HISTORY_PAGES = 4;
export const REQUEST_TIMEOUT_MS = 30000;

/** ApiError is a non-2xx answer: status, code and the server's message. status 0: no answer. */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/**
 * cutOnTheWay says whether a push failed on the link — cut by the timeout,
 * its connection dropped, a 5xx, 413 — so its operations go in a smaller
 * batch next. A request made while the browser knows it has no network at
 * all (navigator.onLine false) carried nothing and says nothing about the
 * link: a phone that tried to sync all day inside a facility would otherwise
 * come back to town pushing one operation at a time.
 */
export function cutOnTheWay(e) {
  if (e.status >= 500 || e.status === 413) return true;
  if (e.status !== 0) return false;
  return !(e.code === 'offline' && globalThis.navigator && globalThis.navigator.onLine === false);
}

/** Restart asks the sync run to start over (the server's database was restored). */
class Restart extends Error {}

/**
 * request sends one request to the server's JSON API with the session's
 * bearer token and returns { data, ms }. body is an object (sent as JSON) or
 * a prepared { data, gzip } from pushBody. A request cut by the timeout is
 * ApiError(0, 'timeout'); one that never reached the server ApiError(0, 'offline').
 * blob: a successful answer's body is given as a Blob, unread (PageReader
 * reads it off the main thread).
 */
export async function request(store, method, path, body, { timeoutMs = REQUEST_TIMEOUT_MS, blob = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (store.session) headers.Authorization = `Bearer ${store.session.token}`;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    if (body && body.data !== undefined && 'gzip' in body) {
      payload = body.data;
      if (body.gzip) headers['Content-Encoding'] = 'gzip';
    } else {
      payload = JSON.stringify(body);
    }
  }
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  const t0 = performance.now();
  let resp;
  let data = null;
  try {
    resp = await fetch((store.base || '') + path, { method, headers, body: payload, signal: ctl.signal, cache: 'no-store' });
    if (blob && resp.ok && resp.status !== 204) {
      data = await resp.blob();
    } else if (resp.status !== 204) {
      try {
        data = await resp.json();
      } catch (e) {
        if (ctl.signal.aborted) throw e;
        if (resp.ok) throw new ApiError(resp.status, 'bad_answer', '');
      }
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(0, ctl.signal.aborted ? 'timeout' : 'offline', '');
  } finally {
    clearTimeout(timer);
  }
  if (!resp.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(resp.status, err.code || 'http', err.message, err.field);
  }
  return { data, ms: performance.now() - t0, t0, t1: performance.now() };
}

/** api calls the server's JSON API and returns the answer's body. */
export async function api(store, method, path, body) {
  return (await request(store, method, path, body)).data;
}

/**
 * PageReader reads the bodies (Blobs) of pulled pages and checklist lists in
 * a module worker, pullworker.js: reading a page of 2,000 changes (700 KB)
 * took the main thread 100 to 200 ms at 4× CPU, and a region's checklists
 * (640 KB) 230 ms. Where module workers are missing (node, older browsers)
 * or the worker fails to start, it reads them here.
 */
class PageReader {
  constructor() {
    this.worker = undefined; // undefined: not started yet; null: none (read here)
    this.waiting = new Map(); // request id → { blob, pack, resolve, reject }
    this.ids = 0;
  }

  /** start starts the worker once; false when there is none. */
  start() {
    if (this.worker === undefined) {
      this.worker = null;
      if (typeof Worker === 'function') {
        try {
          this.worker = new Worker(new URL('./pullworker.js', import.meta.url), { type: 'module' });
          this.worker.onmessage = (e) => this.answered(e.data);
          this.worker.onerror = (e) => this.failed(e);
        } catch (e) {
          this.worker = null;
        }
      }
    }
    return !!this.worker;
  }

  /**
   * read resolves to the page of blob, cut for applying (splitPage, with
   * pack); kind 'checklists': to a checklist list, each template as JSON
   * text under its head (read here: as it is; saveChecklists takes both).
   */
  read(blob, pack = null, kind = 'page') {
    if (!this.start()) return readHere(blob, pack, kind);
    const id = ++this.ids;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { blob, pack, kind, resolve, reject });
      this.worker.postMessage({ id, blob, pack: pack ? [...pack] : null, kind });
    });
  }

  answered({ id, page, error }) {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    if (error) w.reject(new ApiError(200, 'bad_answer', error));
    else w.resolve(page);
  }

  /** failed: the worker could not start or broke; what it was given is read here, and what comes next. */
  failed(e) {
    console.warn('page reader', e && e.message);
    if (this.worker) this.worker.terminate();
    this.worker = null;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) readHere(w.blob, w.pack, w.kind).then(w.resolve, w.reject);
  }
}

/** readHere reads a page or a checklist list on the main thread (PageReader's fallback). */
async function readHere(blob, pack, kind) {
  let resp;
  try {
    resp = JSON.parse(await blob.text());
  } catch (e) {
    throw new ApiError(200, 'bad_answer', '');
  }
  return kind === 'checklists' ? resp : splitPage(resp, pack);
}

/** The reader of the checklist lists fetched outside a sync (sign-in, settings). */
const sharedReader = new PageReader();

/**
 * getChecklists asks for a checklist list (path: the API's, with its query)
 * and reads it off the main thread (PageReader): a region's list is 640 KB
 * of JSON. Its templates come as JSON text under a head (store.js,
 * templateOf), saved as they are.
 */
async function getChecklists(store, path, reader) {
  const res = await request(store, 'GET', path, undefined, { blob: true });
  if (!res.data) return {}; // 204: nothing
  return reader.read(res.data, null, 'checklists');
}

export class Syncer {
  constructor(store, { timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
    this.store = store;
    this.running = null;
    this.retryMs = 0;
    this.timer = null;
    this.autoRetry = false;
    this.timeoutMs = timeoutMs;
    this.sizer = null;
    this.pullLimit = PULL_LIMIT; // changes a pulled page holds (tests make it small)
    this.historyPages = HISTORY_PAGES; // 1 once a larger page was cut by the timeout
    this.listeners = new Set();
    this.refreshing = null;
    this.reader = new PageReader();
    this.stats = { pages: [] }; // per pulled page: changes, ms from answer to apply, ms to apply (for measurements)
    this.state = {
      lastSync: null, error: null, waiting: 0, rejected: 0, running: false,
      sending: null, // { done, total } while a push runs
      rate: 0, // bytes per second of the last push request
      weak: false, // the server answers, but pushes are cut by the timeout
      pulling: null, // { pages } while a pull runs
      clockSkewMs: null, // server time minus this phone's time (null: not read yet)
      wiped: false, // the device was revoked and its data deleted
      signInAgain: false, // the token was revoked or expired: the data stays, the user signs in again
    };
  }

  onStatus(fn) {
    this.listeners.add(fn);
    fn(this.state);
    return () => this.listeners.delete(fn);
  }

  emitStatus() {
    for (const fn of this.listeners) fn(this.state);
  }

  /**
   * refresh re-reads the counts and tells the listeners. Calls made while one
   * runs make it read once more before it ends (never a stale count last).
   */
  async refresh(patch = {}) {
    Object.assign(this.state, patch);
    if (this.state.wiped) return this.emitStatus();
    this.dirty = true;
    if (!this.refreshing) {
      this.refreshing = (async () => {
        try {
          while (this.dirty) {
            this.dirty = false;
            Object.assign(this.state, {
              waiting: await this.store.outboxCount(),
              rejected: await this.store.db.count('rejected'),
              lastSync: (await this.store.meta('last_sync')) || null,
            });
            if (this.state.clockSkewMs === null) this.state.clockSkewMs = (await this.store.meta('clock_offset_ms')) || 0;
          }
        } finally {
          this.refreshing = null;
        }
        this.emitStatus();
      })();
    }
    return this.refreshing;
  }

  /** start wires the triggers and syncs once. */
  start() {
    this.autoRetry = true;
    addEventListener('online', () => this.sync());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.sync();
    });
    setInterval(() => this.sync(), 60000);
    let soon = null;
    let counts = null;
    this.store.onChange((what) => {
      // Counts at most twice a second, not after every saved answer.
      if (!counts) counts = setTimeout(() => { counts = null; this.refresh(); }, 500);
      if (what === 'local') {
        clearTimeout(soon);
        soon = setTimeout(() => this.sync(), 1500);
      }
    });
    return this.sync();
  }

  /**
   * sync runs one push-then-pull. A call while a run is going gets one more
   * run after it (shared by every call meanwhile): what it was called for (an
   * answer saved during the run) may have come after that run's push, and
   * would otherwise wait for the next trigger, up to a minute.
   */
  sync() {
    if (!this.store.session || this.state.signInAgain) return Promise.resolve();
    if (this.running) {
      if (!this.following) {
        const after = () => {
          this.following = null;
          return this.sync();
        };
        this.following = this.running.then(after, after);
      }
      return this.following;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async run() {
    clearTimeout(this.timer);
    await this.refresh({ running: true });
    try {
      if (!(await this.store.meta('reference_at'))) await downloadReference(this.store, this.reader);
      // A phone that never heard the server's time pulls first: the answer
      // gives it the offset its push's device_time needs.
      let pullFirst = (await this.store.meta('clock_offset_ms')) === undefined;
      for (let attempt = 0; ; attempt++) {
        try {
          // After a restore: pull from 0 while the operations sent again wait in
          // the outbox (so their records are kept), then push them.
          if (pullFirst) await this.pull();
          // A 1.2 server answers the last push with the pull that follows it.
          if (!(await this.push())) await this.pull();
          await refreshChecklists(this.store, { reader: this.reader });
          break;
        } catch (e) {
          if (!(e instanceof Restart) || attempt >= 2) throw e;
          pullFirst = true;
        }
      }
      await this.store.setMeta('last_sync', new Date(this.store.now()).toISOString());
      await this.store.forgetOldSent();
      this.retryMs = 0;
      await this.refresh({ running: false, error: null, weak: false, sending: null, pulling: null });
    } catch (e) {
      if (await this.revoked(e)) return;
      if (await this.signedOut(e)) return;
      this.retryMs = Math.min(this.retryMs ? this.retryMs * 2 : 5000, 30000);
      if (this.autoRetry) this.timer = setTimeout(() => this.sync(), this.retryMs);
      await this.refresh({ running: false, error: e, sending: null, pulling: null, weak: e.code === 'timeout' });
      if (!this.autoRetry) throw e;
    }
  }

  /**
   * revoked deletes all of Inspecta's data on a device the server no longer
   * knows (revoked: a lost or seized phone; or signed out, when the sign-out
   * was cut off before it deleted the data). Returns true when it did.
   */
  async revoked(e) {
    if (!(e instanceof ApiError) || e.status !== 401 || (e.code !== 'device_revoked' && e.code !== 'signed_out')) return false;
    await this.store.wipe();
    await this.refresh({ running: false, error: e, wiped: true });
    if (this.autoRetry && typeof location !== 'undefined') {
      location.hash = '#/signin';
      location.reload();
    }
    return true;
  }

  /**
   * signedOut handles a token revoked with all of its user's (a new role, a
   * password reset) or expired: everything stays on the device (records,
   * outbox) and the user is asked to sign in again (signIn). Returns true when it did.
   */
  async signedOut(e) {
    if (!(e instanceof ApiError) || e.status !== 401 || (e.code !== 'unauthenticated' && e.code !== 'token_expired')) return false;
    await this.store.setMeta('sign_in_again', true);
    await this.refresh({ running: false, error: e, signInAgain: true, sending: null, pulling: null });
    if (this.autoRetry && typeof location !== 'undefined') location.hash = '#/signin';
    return true;
  }

  /** answered reads what every answer carries: the server's time and clock stamps, and its database generation. */
  async answered(res) {
    const offset = observeAnswer(this.store.clock, res.data);
    if (offset !== null) {
      await this.store.setMeta('clock_offset_ms', offset);
      this.state.clockSkewMs = offset;
    }
    const gen = res.data && res.data.generation;
    if (!gen) return;
    const known = await this.store.meta('generation');
    if (known === gen) return;
    await this.store.setMeta('generation', gen);
    if (!known) return;
    // A new generation: the server's database was restored from a copy. Send
    // again what was acknowledged in the last 30 days, then pull everything.
    await this.store.requeueSent();
    await this.startOver();
    throw new Restart('the server database was restored');
  }

  /** startOver makes the next pull one from 0 that drops what the new snapshot does not hold. */
  async startOver() {
    await this.store.setMeta('since', 0);
    await this.store.setMeta('resetting', Date.now() + Math.random());
  }

  /**
   * push sends the outbox in batches sized to the link. The last batch asks
   * a 1.2 server for the pull that follows (protocol.md, "Push"): returns
   * true when that pull came complete in its answer and was applied.
   */
  async push() {
    if (!this.sizer) this.sizer = new BatchSizer({ start: (await this.store.meta('push_batch')) || 50, timeoutMs: this.timeoutMs });
    let done = 0;
    let pulled = false;
    const later = new Set();
    for (;;) {
      // Operations waiting for a parent record wait for the next sync (not sent again in this one).
      const ready = (await this.store.outbox(this.sizer.size() + later.size)).filter((e) => !later.has(e.key));
      const batch = nextBatch(ready, this.sizer.size());
      if (batch.length === 0) return pulled;
      const waiting = await this.store.outboxCount();
      await this.refresh({ sending: { done, total: done + waiting } });
      // device_time only to a server that sends its time (protocol 1.1; a 1.0 server refuses the field).
      const offsetKnown = (await this.store.meta('clock_offset_ms')) !== undefined;
      const deviceTime = offsetKnown ? new Date(this.store.clock.physical()).toISOString() : undefined;
      const pull = batch.length === waiting ? await this.pullToAsk() : undefined;
      const body = await pushBody(this.store.session.device_id, batch.map((e) => e.op), { deviceTime, pull });
      let res;
      try {
        res = await request(this.store, 'POST', '/api/v1/sync/push', body, { timeoutMs: this.timeoutMs });
      } catch (e) {
        if (pull && e.status === 400 && e.code === 'bad_json') {
          // A server that no longer speaks 1.2 (an older binary restored): ask no more.
          await this.store.setMeta('pull_in_push', false);
          continue;
        }
        if (cutOnTheWay(e)) {
          this.sizer.failed(batch.length);
          await this.store.setMeta('push_batch', this.sizer.size());
        }
        throw e;
      }
      this.sizer.ok(batch.length, res.ms);
      await this.store.setMeta('push_batch', this.sizer.size());
      await this.answered(res);
      const ack = await this.store.acknowledgePush(batch, res.data.results || [], body);
      for (const key of ack.waiting) later.add(key);
      // A base the server never issued: this copy does not come from this server.
      if (ack.rejected.some((r) => r.error && r.error.code === 'bad_base')) await this.startOver();
      done += batch.length;
      this.state.rate = body.bytes / Math.max(res.ms / 1000, 0.001);
      this.state.weak = false;
      // A refused change taken back moved the cursor back to pull its record
      // again: the pull that came was made from the old cursor, so pull as usual.
      const rewound = pull && ((await this.store.meta('since')) || 0) !== pull.since;
      pulled = !!(pull && res.data.pull) && !rewound && (await this.applyPushedPull(res.data.pull));
    }
  }

  /**
   * pullToAsk is the pull a last push asks for: only from a 1.2 server (one
   * whose pull answered in the compact form; a 1.1 server refuses the
   * field), never for a pull from 0 or after a reset (those take their own path).
   */
  async pullToAsk() {
    const since = (await this.store.meta('since')) || 0;
    if (!since || !(await this.store.meta('pull_in_push')) || (await this.store.meta('resetting'))) return undefined;
    return { since, limit: this.pullLimit };
  }

  /**
   * applyPushedPull applies the pull that came in a push's answer, made by
   * the server after the push, like any pulled page. Returns true when it
   * was the whole pull; false (pull as usual) when there is more or a reset.
   */
  async applyPushedPull(page) {
    await this.answered({ data: page });
    if (page.reset) return false;
    await this.store.applyPull(page, 0);
    if (page.changes.length) this.store.emit('pull');
    return !page.more;
  }

  /**
   * pullPage asks for one page, in the compact form (protocol 1.2); snapshot
   * (after a reset) turns the server's "no echo" off; work asks for the
   * working set only. The answer is read off the main thread and cut for
   * applying with pack (PageReader, splitPage).
   */
  pullPage(since, snapshot, work = false, limit = this.pullLimit, pack = null) {
    const q = `since=${since}&limit=${limit}&compact=1${snapshot ? '&snapshot=1' : ''}${work ? '&set=work' : ''}`;
    const p = request(this.store, 'GET', `/api/v1/sync/pull?${q}`, undefined, { timeoutMs: this.timeoutMs, blob: true })
      .then(async (res) => ({ ...res, data: await this.reader.read(res.data, pack) }));
    p.catch(() => {}); // awaited later; a page fetched ahead may fail unobserved
    return p;
  }

  /**
   * pull fetches pages until `more` is false. A pull from 0 (a new phone,
   * after a reset) first fetches the working set (protocol 1.2, "First
   * sync": facilities, visits, recommendations, what is under open visits
   * and the latest approved one per facility), which the screen shows as soon
   * as it is in, then everything, skipping what the first pass applied.
   * After a reset it then drops every record the new snapshot did not hold
   * (kept across interruptions by the `resetting` mark). The second pass
   * ends by dropping what the first applied and it did not bring (what the
   * user may see changed between the passes: see pullPages, `drop`).
   */
  async pull() {
    const since = (await this.store.meta('since')) || 0;
    let got = { snap: (await this.store.meta('resetting')) || 0, whole: since > 0, applied: null };
    // The last push kept before the first pass: what is acknowledged after it the device wrote since.
    const sentMark = since === 0 ? await this.store.sentMark() : 0;
    if (since === 0) {
      got = await this.pullPages(0, got.snap, { work: true });
      this.stats.workingSetAt = performance.now(); // what a monitor needs is in (for measurements)
    }
    // The visits are in (the working set holds them all): old approved ones' records come packed.
    const pack = packableVisits(await this.store.all('visit'));
    if (!got.whole) got = await this.pullPages(0, got.snap, { skip: got.applied, pack, sentMark });
    else if (since > 0) got = await this.pullPages(since, got.snap, { pack });
    await this.endPull(got.snap);
  }

  /** endPull ends a pull from 0 after a reset: what the snapshot did not hold goes. */
  async endPull(snap) {
    if (!snap) return;
    await this.store.pruneSnapshot(snap);
    await this.store.setMeta('resetting', 0);
  }

  /**
   * pullPages fetches pages from since until `more` is false, fetching each
   * next page while the last one is applied, and restarts from 0 on `reset`.
   * work: the working set only, its cursor not stored. Returns whether the
   * pull held everything after all (whole: a 1.1 server ignored set=work,
   * or a reset made it a pull of everything from 0), the changes a
   * working-set pull applied (applied: record key → seq) and the snapshot
   * mark in force (snap). skip: changes not to apply again, pack: visits
   * whose records are kept packed (see Store.applyPull).
   *
   * The full pass after a working-set pass (skip given) notes every record
   * it brings, and its last page drops, in the transaction that stores its
   * cursor, every record the working set applied that it did not bring
   * (Store.applyPull, `drop`): what the user may see changed between the
   * passes (taken off a visit's team), and the pull from 0 records that
   * without a reset (protocol.md, "First sync"). A record with an operation
   * waiting stays, as does one the device wrote since (an operation
   * acknowledged after sentMark, the last push kept before the first pass).
   * A reset meanwhile makes it a snapshot, pruned as such: nothing noted.
   */
  async pullPages(since, snap, { work = false, skip = null, pack = null, sentMark = 0 } = {}) {
    let changed = 0;
    const history = new Set(); // visits whose packed records came since the last redraw
    let shown = performance.now();
    const applied = new Map();
    let seen = skip ? new Set() : null; // the working set's records this full pass brought (record keys)
    let whole = false;
    // The pass after the working set (a pull from 0 that packs) asks for larger pages.
    const limit = !work && since === 0 && pack && pack.size ? this.pullLimit * this.historyPages : this.pullLimit;
    let next = this.pullPage(since, snap, work, limit, pack);
    for (let pages = 0; pages < 100000; pages++) {
      let res;
      try {
        res = await next;
      } catch (e) {
        if (e.code === 'timeout' && limit > this.pullLimit) this.historyPages = 1; // too large for this link: the retry asks for less
        throw e;
      }
      await this.answered(res);
      const resp = res.data;
      if (resp.reset) {
        await this.startOver();
        snap = await this.store.meta('resetting');
        if (work) whole = true;
        work = false;
        skip = null;
        seen = null;
        next = this.pullPage(0, snap, false, this.pullLimit, pack);
        continue;
      }
      whole = whole || (work && resp.set !== 'work');
      if (resp.compact && !(await this.store.meta('pull_in_push'))) await this.store.setMeta('pull_in_push', true); // a 1.2 server
      next = resp.more ? this.pullPage(resp.next, snap, work, limit, pack) : null;
      const t0 = performance.now();
      const out = { rows: 0, packed: 0 };
      if (seen) noteSeen(seen, resp, skip);
      const drop = seen && !resp.more ? { applied: skip, seen, sentMark } : null;
      await this.store.applyPull(resp, snap, { skip, keepSince: !work || whole, pack, out, drop });
      if (work) for (const ch of resp.changes) applied.set(`${ch.type}/${ch.id}`, ch.seq);
      this.stats.pages.push({ changes: resp.changes.length, work, packed: out.packed, waitMs: Math.round(t0 - res.t1), applyMs: Math.round(performance.now() - t0) });
      changed += out.rows;
      for (const v of out.visits || []) history.add(v);
      this.state.pulling = { pages: pages + 1 };
      // Every 'pull' redraws the screen: at most once a second, and at the
      // end. Packed history is told apart ('history', with its visits): only
      // a screen of one of those visits is drawn again.
      if ((changed || history.size) && (!resp.more || performance.now() - shown > 1000)) {
        if (changed) this.store.emit('pull');
        else this.store.emit('history', [...history]);
        this.emitStatus();
        shown = performance.now();
        changed = 0;
        history.clear();
      }
      if (!resp.more) break;
    }
    return { whole, applied, snap };
  }
}

/**
 * noteSeen adds to seen the keys of the records of applied (the working
 * set's) that a pulled page brings, as rows or packed (a merged-away id is
 * not brought).
 */
function noteSeen(seen, resp, applied) {
  const note = (k) => applied.has(k) && seen.add(k);
  for (const ch of resp.changes) if (!ch.merged_into) note(`${ch.type}/${ch.id}`);
  for (const p of resp.packs || []) p.keys.forEach(note);
}

/**
 * signIn signs the user in on this device. Signing in again on a device that
 * holds data (its token was revoked or expired) keeps the records and the
 * outbox and makes the next pull a snapshot from 0, as after a reset, so it
 * drops what the user may no longer see (the Go client's SignInAgain). Only
 * the same user may sign in again over kept data: ApiError(0, 'other_user').
 */
export async function signIn(store, syncer, { username, password, deviceName }) {
  const before = store.session;
  const creds = { username, password, device_name: deviceName };
  // Signing in again, the phone asks to stay the device it was: what waits in
  // its outbox keeps its time and stays its own writes (protocol.md, "Sign-in").
  if (before && before.device_id) creds.device_id = before.device_id;
  const resp = await api(store, 'POST', '/api/v1/auth/login', creds);
  if (before && before.user && resp.user && before.user.id !== resp.user.id) {
    throw new ApiError(0, 'other_user', '');
  }
  await store.setSession({ token: resp.token, device_id: resp.device_id, user: resp.user, signed_in_at: new Date().toISOString() });
  if (before) await syncer.startOver();
  await store.setMeta('sign_in_again', false);
  try {
    await syncer.answered({ data: resp }); // the server's time and generation
  } catch (e) {
    if (!(e instanceof Restart)) throw e; // a restored server: the next sync starts over
  }
  await syncer.refresh({ signInAgain: false, error: null });
  return resp;
}

/** CHECKLISTS_EVERY_MS is how often a sync also asks whether the checklists changed. */
const CHECKLISTS_EVERY_MS = 10 * 60 * 1000;

/**
 * refreshChecklists asks for the checklist list at a sync (at most every ten
 * minutes), naming the
 * list it has: an unchanged list costs a few bytes; a new version, or a new
 * active one, is saved beside the versions kept for the visits that use them.
 */
export async function refreshChecklists(store, { everyMs = CHECKLISTS_EVERY_MS, reader = sharedReader } = {}) {
  const last = Date.parse((await store.meta('checklists_at')) || '') || 0;
  if (Date.now() - last < everyMs) return; // asked a moment ago: a sync's requests stay its own
  await store.setMeta('checklists_at', new Date().toISOString());
  const known = (await store.meta('checklists_signature')) || '';
  const lists = await getChecklists(store, `/api/v1/checklists?known=${encodeURIComponent(known)}`, reader);
  if (lists && lists.unchanged) {
    // The whole list is what the phone has: a region's list that was all of
    // them leaves nothing to wait for.
    await store.setMeta('checklists_partial', false);
    return;
  }
  if (!lists) return;
  await store.saveChecklists(lists.checklists || []);
  if (lists.signature) await store.setMeta('checklists_signature', lists.signature);
  await store.setMeta('checklists_partial', false);
}

/**
 * download fetches what the app needs besides records: regions, checklists,
 * team candidates. Of the checklists (tens of kilobytes each even gzipped) a
 * member's phone gets first those of its region (the types of its facilities,
 * the general ones, the versions its visits use); the end of the first sync
 * asks for the whole list (refreshChecklists), which brings the others.
 */
export async function downloadReference(store, reader = sharedReader) {
  const user = (store.session && store.session.user) || {};
  const region = user.region_id || user.region; // the sign-in answer names it region_id
  const path = region ? `/api/v1/checklists?region=${encodeURIComponent(region)}` : '/api/v1/checklists';
  const [regions, lists] = await Promise.all([api(store, 'GET', '/api/v1/regions'), getChecklists(store, path, reader)]);
  await store.setMeta('regions', regions.regions || []);
  await store.saveChecklists(lists.checklists || [], { partial: !!lists.partial });
  if (lists.signature) await store.setMeta('checklists_signature', lists.signature);
  await store.setMeta('checklists_partial', !!lists.partial);
  await store.setMeta('checklists_at', lists.partial ? '' : new Date().toISOString());
  try {
    // Team candidates: the members and coordinators of the user's region
    // (GET /api/v1/colleagues, see e2e/NEEDS.md); a server without it leaves the team to the coordinator.
    const users = await api(store, 'GET', '/api/v1/colleagues');
    await store.setMeta('users', users.users || []);
  } catch (e) {
    if (e.status !== 404 && e.status !== 403) throw e;
  }
  await store.setMeta('reference_at', new Date().toISOString());
}

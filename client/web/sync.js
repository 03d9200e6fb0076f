// The device side of the sync protocol (SYNC.md): push the outbox in batches,
// then pull until `more` is false, restarting from 0 on `reset`. It runs on
// start, on `online`, on returning to the tab, every minute while the app is
// open, after local changes, and on the "Sync now" button; after a failure it
// retries sooner (5 s, doubling to 30 s) while anything waits to be sent.
import { nextBatch } from './synccore.js';

const PULL_LIMIT = 500;
const REQUEST_TIMEOUT_MS = 30000;

/** ApiError is a non-2xx answer: status, code and the server's message. */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** api calls the server's JSON API with the session's bearer token. */
export async function api(store, method, path, body) {
  const headers = { Accept: 'application/json' };
  if (store.session) headers.Authorization = `Bearer ${store.session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), REQUEST_TIMEOUT_MS);
  let resp;
  try {
    resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: ctl.signal, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'offline', '');
  } finally {
    clearTimeout(timer);
  }
  if (resp.status === 204) return null;
  let data = null;
  try {
    data = await resp.json();
  } catch (e) {
    if (resp.ok) throw new ApiError(resp.status, 'bad_answer', '');
  }
  if (!resp.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(resp.status, err.code || 'http', err.message, err.field);
  }
  return data;
}

export class Syncer {
  constructor(store) {
    this.store = store;
    this.running = null;
    this.retryMs = 0;
    this.timer = null;
    this.listeners = new Set();
    this.state = { lastSync: null, error: null, waiting: 0, rejected: 0, running: false };
  }

  onStatus(fn) {
    this.listeners.add(fn);
    fn(this.state);
    return () => this.listeners.delete(fn);
  }

  async refresh(patch = {}) {
    Object.assign(this.state, patch, {
      waiting: await this.store.outboxCount(),
      rejected: (await this.store.rejected()).length,
      lastSync: (await this.store.meta('last_sync')) || null,
    });
    for (const fn of this.listeners) fn(this.state);
  }

  /** start wires the triggers and syncs once. */
  start() {
    addEventListener('online', () => this.sync());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.sync();
    });
    setInterval(() => this.sync(), 60000);
    let soon = null;
    this.store.onChange((what) => {
      this.refresh();
      if (what === 'local') {
        clearTimeout(soon);
        soon = setTimeout(() => this.sync(), 1500);
      }
    });
    return this.sync();
  }

  /** sync runs one push-then-pull; concurrent calls share the run. */
  sync() {
    if (!this.store.session) return Promise.resolve();
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  async run() {
    clearTimeout(this.timer);
    await this.refresh({ running: true });
    try {
      if (!(await this.store.meta('reference_at'))) await downloadReference(this.store);
      await this.push();
      await this.pull();
      await this.store.setMeta('last_sync', new Date().toISOString());
      this.retryMs = 0;
      await this.refresh({ running: false, error: null });
    } catch (e) {
      this.retryMs = Math.min(this.retryMs ? this.retryMs * 2 : 5000, 30000);
      this.timer = setTimeout(() => this.sync(), this.retryMs);
      await this.refresh({ running: false, error: e });
    }
  }

  async push() {
    for (;;) {
      const batch = nextBatch(await this.store.outbox());
      if (batch.length === 0) return;
      const resp = await api(this.store, 'POST', '/api/v1/sync/push', {
        device_id: this.store.session.device_id,
        ops: batch.map((e) => e.op),
      });
      await this.store.acknowledgePush(batch, resp.results || []);
    }
  }

  async pull() {
    for (let guard = 0; guard < 10000; guard++) {
      const since = (await this.store.meta('since')) || 0;
      const resp = await api(this.store, 'GET', `/api/v1/sync/pull?since=${since}&limit=${PULL_LIMIT}`);
      if (resp.reset) {
        await this.store.setMeta('since', 0);
        continue;
      }
      await this.store.applyPull(resp);
      if (!resp.more) return;
    }
  }
}

/** download fetches what the app needs besides records: regions, checklists, team candidates. */
export async function downloadReference(store) {
  const [regions, lists] = await Promise.all([api(store, 'GET', '/api/v1/regions'), api(store, 'GET', '/api/v1/checklists')]);
  await store.setMeta('regions', regions.regions || []);
  await store.saveChecklists(lists.checklists || []);
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

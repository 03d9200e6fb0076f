// Photos as evidence (issue 18; docs/protocol.md, "Photos").
//
// A photo taken with the camera or picked from the gallery is re-encoded here
// through a canvas before anything keeps it: the canvas holds pixels only, so
// EXIF, GPS coordinates and the camera's identity are gone, and the picture
// is scaled to at most MAX_SIDE pixels on its long side as JPEG of quality
// QUALITY. It is kept in the device's store (the `photos` object store,
// sealed by the app lock like every row) with a thumbnail, and sent apart
// from the operations, in chunks that resume where the server's bytes end.
// The operations never wait for a photo: sending starts after a sync and
// runs on its own.
import { h } from './dom.js';
import { t } from './i18n.js';
import { uuidv7 } from './synccore.js';

export const MAX_SIDE = 1600;
export const QUALITY = 0.8;
const THUMB_SIDE = 160;
const CHUNK_TIMEOUT_MS = 60000;

/** scaled returns the size of a w×h picture fitted into side×side. */
export function scaled(w, h, side) {
  const k = Math.min(1, side / Math.max(w, h));
  return [Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k))];
}

function canvasOf(w, h) {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

function toBlob(canvas, type, quality) {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('photo: the canvas gave no picture'))), type, quality));
}

/**
 * reencode draws the picture file (a Blob) on a canvas and returns
 * { bytes, width, height, thumb }: the JPEG bytes, its size, and a small JPEG
 * thumbnail as a data: URL (the content security policy allows data: images).
 */
export async function reencode(file) {
  const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const [w, hgt] = scaled(bmp.width, bmp.height, MAX_SIDE);
    const c = canvasOf(w, hgt);
    c.getContext('2d').drawImage(bmp, 0, 0, w, hgt);
    const bytes = new Uint8Array(await (await toBlob(c, 'image/jpeg', QUALITY)).arrayBuffer());
    const [tw, th] = scaled(w, hgt, THUMB_SIDE);
    const tc = canvasOf(tw, th);
    tc.getContext('2d').drawImage(c, 0, 0, tw, th);
    return { bytes, width: w, height: hgt, thumb: tc.toDataURL('image/jpeg', 0.7) };
  } finally {
    bmp.close();
  }
}

/** sha256Hex is the lowercase hexadecimal SHA-256 of bytes. */
export async function sha256Hex(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Rows of the `photos` store: { id, visit_id, location_id, item, caption,
// taken_at, sha256, size, width, height, thumb, data (the bytes, dropped once
// the server has them), state, error (the server's error code), announced
// (the server has the record) }. state is 'waiting', 'held' (refused for
// now: the visit approved, the member not yet on its team, the visit's
// photos full; sent again at every round, the bytes kept), 'sent',
// 'refused' (sending again cannot succeed) or 'deleting'.

async function getRow(store, id) {
  const row = await store.db.get('photos', id);
  return row ? store.fromRow('photos', row) : undefined;
}

function putRow(store, row) {
  return store.db.put('photos', store.toRow('photos', row));
}

async function allRows(store) {
  return (await store.db.getAll('photos')).map((r) => store.fromRow('photos', r));
}

/** listPhotos returns the photos of a visit kept on the device (not those being deleted). */
export async function listPhotos(store, visitId, { locationId, item } = {}) {
  const rows = (await store.db.getAllFromIndex('photos', 'visit_id', visitId)).map((r) => store.fromRow('photos', r));
  return photosOf(rows, { locationId, item });
}

/** photosOf keeps of a visit's photos those of a place and question (undefined: any), oldest first, not those being deleted. */
function photosOf(rows, { locationId, item } = {}) {
  return rows.filter((p) => p.state !== 'deleting' && (locationId === undefined || (p.location_id || '') === (locationId || ''))
    && (item === undefined || (p.item || '') === (item || ''))).sort((a, b) => (a.taken_at < b.taken_at ? -1 : 1));
}

/** addPhoto re-encodes file and keeps it, waiting to be sent. Returns the row. */
export async function addPhoto(store, { visitId, locationId = '', item = '', caption = '', file }) {
  const pic = await reencode(file);
  const row = {
    id: uuidv7(), visit_id: visitId, location_id: locationId, item, caption,
    taken_at: new Date(store.now()).toISOString(), sha256: await sha256Hex(pic.bytes), size: pic.bytes.length,
    width: pic.width, height: pic.height, thumb: pic.thumb, data: pic.bytes, state: 'waiting', error: '',
  };
  await putRow(store, row);
  store.emit('photos');
  return row;
}

/**
 * removePhoto deletes a photo: at once if the server never had its record,
 * else (sent, or announced before it was refused or held) it is marked and
 * the server is asked to delete it at the next send, so that no record is
 * left there counting against the visit's photos.
 */
export async function removePhoto(store, id) {
  const row = await getRow(store, id);
  if (!row) return;
  if (row.state === 'sent' || row.announced) {
    await putRow(store, { ...row, state: 'deleting', data: null });
  } else {
    await store.db.delete('photos', id);
  }
  store.emit('photos');
}

/** sendAgain puts a held photo back to waiting at once (the user's "send again"). */
export async function sendAgain(store, id) {
  const row = await getRow(store, id);
  if (!row || row.state !== 'held') return;
  await putRow(store, { ...row, state: 'waiting', error: '', retry_at: 0 });
  store.emit('photos');
}

/** waitingCount is how many photos wait to be sent (held ones too: they are not on the server). */
export async function waitingCount(store) {
  return (await allRows(store)).filter((p) => p.state === 'waiting' || p.state === 'held').length;
}

/** refusalText is what the user reads of a photo's refusal, by its error code, in the user's language. */
export function refusalText(row) {
  const key = REFUSAL_TEXT[row.error];
  return key ? t(key) : t(row.state === 'held' ? 'photo_held' : 'photo_refused');
}

const REFUSAL_TEXT = {
  locked: 'photo_held_locked', forbidden: 'photo_held_forbidden', visit_photos_full: 'photo_held_full',
  not_an_image: 'photo_refused_not_image', photo_too_large: 'photo_refused_too_large',
  deleted: 'photo_refused_deleted', id_taken: 'photo_held', invalid: 'photo_refused_other',
  hash_mismatch: 'photo_held_mismatch', parent_deleted: 'photo_refused_parent_deleted',
};

/** PhotoError is a refusal or failure of a photo request (status 0: no answer). */
class PhotoError extends Error {
  constructor(status, code, message, body) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

async function call(store, method, path, body, raw) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${store.session.token}` };
  let payload;
  if (raw) {
    headers['Content-Type'] = 'application/octet-stream';
    payload = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), CHUNK_TIMEOUT_MS);
  let resp;
  let data = null;
  try {
    resp = await fetch((store.base || '') + path, { method, headers, body: payload, signal: ctl.signal, cache: 'no-store' });
    data = await resp.json().catch(() => null);
  } catch (e) {
    throw new PhotoError(0, ctl.signal.aborted ? 'timeout' : 'offline', '');
  } finally {
    clearTimeout(timer);
  }
  if (!resp.ok) {
    const err = (data && data.error) || {};
    throw new PhotoError(resp.status, err.code || 'http', err.message, data);
  }
  return data;
}

// Refusals for now: the photo is held and sent again at every round (after
// each sync, when a photo is added, on "send again"), with its bytes kept:
// the coordinator reopens the visit, adds the member to its team, or
// photos are deleted to make room.
const HELD = new Set(['locked', 'forbidden', 'visit_photos_full']);
// Refusals after which sending the photo again cannot succeed: it is shown as refused.
const FINAL = new Set(['not_an_image', 'photo_too_large', 'invalid', 'deleted', 'parent_deleted']);

// A photo that keeps coming back damaged (hash_mismatch although the bytes
// here have the hash announced) is held and tried again after a pause that
// doubles each time, from MISMATCH_PAUSE_MS up to MISMATCH_PAUSE_MAX_MS:
// sending the same bytes at once cannot succeed, and each try costs the
// whole photo on a weak link. "Send again" tries at once.
export const MISMATCH_PAUSE_MS = 60 * 1000;
export const MISMATCH_PAUSE_MAX_MS = 6 * 60 * 60 * 1000;
// A photo is given a new id at most this many times (id_taken, or its bytes
// found to have another hash); then it is held with its bytes.
const MAX_REKEYS = 3;

/** mismatchPause is how long a photo waits after its n-th damaged arrival in a row (n >= 1). */
export function mismatchPause(n) {
  return Math.min(MISMATCH_PAUSE_MS * 2 ** Math.max(0, n - 1), MISMATCH_PAUSE_MAX_MS);
}

/**
 * rekey keeps the photo under a new id, with the hash and size of the bytes
 * on this phone, waiting to be sent: the picture is the monitor's, the id
 * only its name on the server. The old id, if the server recorded it for
 * this member (announced), is asked to be deleted there; else it is
 * forgotten here (id_taken: the id is someone else's on the server). The
 * new row is written before the old one goes, so a stop in between leaves
 * the photo twice, never not at all. Returns the new row.
 */
async function rekey(store, cur, sha256) {
  const fresh = { ...cur, id: uuidv7(), sha256, size: cur.data.length, state: 'waiting', error: '', announced: false,
    mismatches: 0, retry_at: 0, rekeys: (cur.rekeys || 0) + 1 };
  await putRow(store, fresh);
  if (cur.announced) await putRow(store, { ...cur, state: 'deleting', data: null });
  else await store.db.delete('photos', cur.id);
  return fresh;
}

// refusedByOldVersion: a row an earlier version marked refused with the
// server's sentence (not its code), for a refusal that may have been for
// now (an approved visit): sent once more, then held or refused by code.
function refusedByOldVersion(row) {
  return row.state === 'refused' && !!row.data && (/\s/.test(row.error || '') || row.error === 'id_taken');
}

/**
 * PhotoSender sends the photos waiting and the deletions, one photo at a
 * time, after each sync (start) or when asked (send). It never holds up
 * the operations' sync. listeners get { waiting, sending } after each change.
 */
export class PhotoSender {
  constructor(store) {
    this.store = store;
    this.running = null;
    this.retry = null;
    this.retryMs = 0;
    this.listeners = new Set();
    this.state = { waiting: 0, sending: null };
    this.stats = { requests: 0, bytesSent: 0, cuts: 0 };
  }

  onStatus(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async refresh(patch = {}) {
    Object.assign(this.state, patch);
    if (this.store.session) this.state.waiting = await waitingCount(this.store);
    for (const fn of this.listeners) fn(this.state);
  }

  /** start sends after every sync that ended well, and whenever a photo is added. */
  start(syncer) {
    let wasRunning = false;
    syncer.onStatus((s) => {
      if (wasRunning && !s.running && !s.error) this.send();
      wasRunning = s.running;
    });
    this.store.onChange((what) => {
      if (what === 'photos') {
        this.refresh();
        this.send();
      }
    });
    this.refresh();
  }

  /** send runs one round over every photo waiting; concurrent calls share it. */
  send() {
    if (!this.store.session) return Promise.resolve();
    if (!this.running) {
      this.running = this.round().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  now() {
    return this.store.now ? this.store.now() : Date.now();
  }

  async round() {
    clearTimeout(this.retry);
    let failed = null;
    const queue = await allRows(this.store);
    while (queue.length) {
      const row = queue.shift();
      try {
        if (row.state === 'deleting') await this.sendDelete(row);
        else if (row.state === 'waiting' || (row.state === 'held' && !(row.retry_at > this.now())) || refusedByOldVersion(row)) await this.sendPhoto(row);
      } catch (e) {
        if (!(e instanceof PhotoError)) throw e;
        if (e.status === 0 || e.status >= 500 || e.code === 'missing_parent' || e.status === 401) {
          failed = e;
          if (e.status === 0 || e.status === 401) break; // the link is down: the others wait too
          continue;
        }
        // A deletion refused (an approved visit: only the coordinator
        // deletes) stays to be asked again next round; so does a photo
        // deleted while it was being sent.
        const cur = await getRow(this.store, row.id);
        if (!cur || cur.state === 'deleting') continue;
        if (e.code === 'hash_mismatch' || e.code === 'id_taken') {
          const fresh = await this.settleMismatch(cur, e.code);
          if (fresh) {
            // The old id's deletion on the server (if it was ours) and the photo under its new id, in this round.
            const old = await getRow(this.store, cur.id);
            if (old && old.state === 'deleting') queue.push(old);
            queue.push(fresh);
          }
        } else if (HELD.has(e.code)) {
          await putRow(this.store, { ...cur, state: 'held', error: e.code });
        } else if (FINAL.has(e.code) || e.status === 413 || e.status === 415) {
          await putRow(this.store, { ...cur, state: 'refused', error: e.code });
        } else {
          failed = e;
        }
        this.store.emit('photos-sent');
      }
    }
    await this.refresh({ sending: null, error: failed });
    if (failed) {
      this.retryMs = Math.min(this.retryMs ? this.retryMs * 2 : 3000, 30000);
      this.retry = setTimeout(() => this.send(), this.retryMs);
    } else {
      this.retryMs = 0;
    }
  }

  /**
   * settleMismatch answers a refusal that the bytes here can settle: the
   * server's bytes did not have the hash announced (hash_mismatch), or
   * the id is taken on the server by another photo (id_taken). The bytes
   * on this phone are what they are: hashed again, if they differ from what
   * was announced (or the id is taken) the photo goes on under a new id with
   * their true hash (rekey; nothing is lost); if they are what was
   * announced, they were damaged on the way or on the server, and the
   * photo is held, to be tried again after a growing pause (not at once,
   * not forever quickly), shown as such. Returns the row to send now, if any.
   */
  async settleMismatch(cur, code) {
    const sha = cur.data ? await sha256Hex(cur.data) : '';
    const rekeys = cur.rekeys || 0;
    if (cur.data && (code === 'id_taken' || sha !== cur.sha256) && rekeys < MAX_REKEYS) return rekey(this.store, cur, sha);
    const mismatches = (cur.mismatches || 0) + 1;
    await putRow(this.store, { ...cur, state: 'held', error: code, mismatches, retry_at: this.now() + mismatchPause(mismatches) });
    return null;
  }

  async sendDelete(row) {
    try {
      await call(this.store, 'DELETE', `/api/v1/photos/${row.id}`);
    } catch (e) {
      if (e.status !== 404) throw e; // never reached the server: nothing to delete there
    }
    await this.store.db.delete('photos', row.id);
  }

  /**
   * sendPhoto announces the photo and sends its bytes from where the
   * server's end; a chunk cut off is followed by asking again how much
   * arrived (a few times in a row before giving up until the next round).
   */
  async sendPhoto(row) {
    const meta = { id: row.id, visit_id: row.visit_id, location_id: row.location_id || '', item: row.item || '',
      caption: row.caption || '', taken_at: row.taken_at, sha256: row.sha256, bytes: row.size };
    let cuts = 0;
    for (;;) {
      let st;
      try {
        st = await call(this.store, 'POST', '/api/v1/photos', meta);
        this.stats.requests++;
        if (!row.announced) {
          row.announced = true;
          const cur = await getRow(this.store, row.id);
          if (!cur || cur.state === 'deleting') {
            // Deleted while the server recorded it: the server is asked to delete it too.
            await putRow(this.store, { ...row, state: 'deleting', data: null });
            return;
          }
          await putRow(this.store, { ...cur, announced: true });
        }
        while (!st.complete) {
          const from = st.received;
          const to = Math.min(from + st.chunk_bytes, row.size);
          await this.refresh({ sending: { id: row.id, done: from, total: row.size } });
          this.stats.requests++;
          this.stats.bytesSent += to - from;
          const next = await call(this.store, 'PUT', `/api/v1/photos/${row.id}/content?offset=${from}`, undefined, row.data.subarray(from, to));
          st = { ...next, chunk_bytes: next.chunk_bytes || st.chunk_bytes };
        }
      } catch (e) {
        const resumable = e.status === 0 || e.code === 'offset_mismatch';
        if (resumable && cuts++ < 5) {
          this.stats.cuts++;
          continue;
        }
        throw e;
      }
      // Acknowledged: the bytes are on the server; the thumbnail stays.
      const cur = await getRow(this.store, row.id);
      if (cur && cur.state !== 'deleting' && cur.state !== 'sent') {
        await putRow(this.store, { ...cur, state: 'sent', error: '', data: null, announced: true, mismatches: 0, retry_at: 0 });
      }
      this.store.emit('photos-sent');
      return;
    }
  }
}

/**
 * photoSection is the photos of a place or of an answer with the buttons to
 * take one or pick one from the gallery, and a delete button on each.
 * It fills itself after the photos are read.
 */
/**
 * photoSection shows the photos of a place or question and the controls
 * that add one. visitPhotos, when given, is a read of the visit's photos
 * (listPhotos) shared by the sections of one screen for their first draw:
 * a place's page has one per question (issue 20: one read each made the
 * page's longest task longer).
 */
export function photoSection(store, { visitId, locationId = '', item = '', locked = false, id, visitPhotos = null }) {
  const box = h('div', { class: 'photos', id, 'data-photos': item || 'place' });
  const msg = h('p', { class: 'error', role: 'alert' });
  const list = h('ul', { class: 'thumbs', 'aria-label': t('photos') });
  const captionId = `${id || 'photos'}-caption`;
  const caption = h('input', { type: 'text', id: captionId, class: 'photo-caption', maxlength: 300, autocomplete: 'off' });
  const pick = (capture) => {
    const input = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/*', class: 'photo-input', capture: capture ? 'environment' : null, hidden: true });
    input.addEventListener('change', async () => {
      msg.textContent = '';
      for (const file of input.files) {
        try {
          await addPhoto(store, { visitId, locationId, item, file, caption: caption.value.trim() });
        } catch (e) {
          console.warn('photo', e);
          msg.textContent = t('photo_failed');
        }
      }
      input.value = '';
      caption.value = '';
      draw();
    });
    return input;
  };
  const camera = pick(true);
  const gallery = pick(false);
  let first = visitPhotos;
  async function draw() {
    const photos = first ? photosOf(await first, { locationId, item }) : await listPhotos(store, visitId, { locationId, item });
    first = null;
    list.replaceChildren(...photos.map((p) => h('li', { class: `thumb ${p.state}`, 'data-photo': p.id, 'data-state': p.state },
      h('img', { src: p.thumb, alt: p.caption || t('photo'), width: scaled(p.width, p.height, 96)[0], height: scaled(p.width, p.height, 96)[1] }),
      h('span', { class: 'meta', text: p.state === 'refused' || p.state === 'held' ? refusalText(p) : t(p.state === 'sent' ? 'photo_sent' : 'photo_waiting') }),
      p.state === 'held' ? h('button', { type: 'button', class: 'small photo-again', 'data-photo': p.id, on: { click: async () => {
        await sendAgain(store, p.id);
        draw();
      } }, text: t('photo_send_again') }) : null,
      locked ? null : h('button', { type: 'button', class: 'small danger photo-delete', 'data-photo': p.id, on: { click: async (e) => {
        // The first tap asks, the second deletes.
        const b = e.currentTarget;
        if (!b.dataset.armed) {
          b.dataset.armed = '1';
          b.textContent = t('photo_delete_confirm');
          return;
        }
        await removePhoto(store, p.id);
        draw();
      } }, text: t('photo_delete') }))));
  }
  draw();
  // A photo acknowledged while the screen is shown changes its mark.
  let shown = false;
  const off = store.onChange((what) => {
    if (!box.isConnected) {
      if (shown) off();
      return;
    }
    shown = true;
    if (what === 'photos-sent') draw();
  });
  box.append(list, msg);
  if (!locked) {
    box.append(h('div', { class: 'field' }, h('label', { for: captionId, text: t('photo_caption') }), caption),
      h('div', { class: 'row' },
      h('button', { type: 'button', class: 'small photo-camera', on: { click: () => camera.click() }, text: t('photo_take') }),
      h('button', { type: 'button', class: 'small photo-gallery', on: { click: () => gallery.click() }, text: t('photo_pick') }),
      camera, gallery),
    h('p', { class: 'hint', text: t('photo_hint') }));
  }
  return box;
}

// The app lock: a PIN of at least six digits guards the data key that seals
// every row on the device (vault.js). Locked means the page holds no key: the
// app starts on the lock screen and opens the store only with the key the PIN
// unwraps. Locking reloads the page, so nothing decrypted stays in memory or
// on screen. It locks after IDLE_MS without input, counting time in the
// background as idle. MAX_FAILURES wrong PINs in a row erase the device's
// Inspecta data (every IndexedDB database of the origin, caches other than
// the app shell), not the app shell.
//
// While locked nothing syncs: the outbox waits, sealed, and goes with the
// next sync after unlocking (the service worker has no key and never reads it).
import { h, field, fill } from './dom.js';
import { t, initLang } from './i18n.js';
import { CLEAR, CLEAR_META } from './store.js';
import { showRefusal } from './refusals.js';

// The cipher (vault.js and the vendored @noble/ciphers, about 27 KB gzipped)
// is not part of the phone's first load: it is imported when a PIN is typed,
// and fetched in the background once someone has signed in (warmVault), so
// that a PIN can be set or typed with no connection.
const vault = () => import('./vault.js');

/** warmVault loads the cipher so the service worker keeps it for offline use. */
export function warmVault() {
  return vault().catch((e) => console.warn('cipher not loaded yet', e));
}

export const IDLE_MS = 5 * 60 * 1000;
export const MAX_FAILURES = 10;
const SHELL_CACHE = 'inspecta-shell-';

export function registerLockViews(register) {
  register('pin', /^\/pin$/, pinForm);
}

/**
 * unlock returns the codec for Store.open, given its database: none when no
 * PIN is set, else the one the PIN typed on the lock screen (drawn into view)
 * opens.
 */
export async function unlock(view, db) {
  followOtherTabs(db);
  const lockRow = await db.get('meta', 'lock');
  if (!lockRow) return undefined;
  const langRow = await db.get('meta', 'lang');
  await initLang({ meta: async (k) => (k === 'lang' && langRow ? langRow.v : undefined), setMeta: async () => {} });
  document.documentElement.dataset.locked = '1';
  document.documentElement.dataset.view = 'lock';
  const codec = await new Promise((resolve) => lockScreen(view, db, resolve));
  delete document.documentElement.dataset.locked;
  return codec;
}

function pinInput(id, autocomplete = 'off') {
  return h('input', { id, type: 'password', inputmode: 'numeric', pattern: '[0-9]*', autocomplete, maxlength: 32, required: true });
}

function lockScreen(view, db, resolve) {
  const pin = pinInput('pin');
  const msg = h('p', { class: 'error', role: 'alert', id: 'unlock-error' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'unlock-submit', text: t('lock_unlock') });
  const forgot = h('div', { id: 'lock-forgot' },
    h('button', { type: 'button', class: 'small', id: 'lock-forgot-open', on: { click: showForgot }, text: t('lock_forgot') }));

  warmVault(); // loading while the PIN is typed
  async function onSubmit(e) {
    e.preventDefault();
    msg.textContent = '';
    button.disabled = true;
    button.textContent = t('unlocking');
    performance.mark('inspecta-unlock-start');
    let cipher;
    try {
      cipher = await vault(); // a cipher that cannot load is no wrong PIN: nothing is counted
    } catch (err) {
      showRefusal(msg, err);
      button.disabled = false;
      button.textContent = t('lock_unlock');
      return;
    }
    const { unwrap, makeCodec } = cipher;
    // The attempt is counted before the PIN is tried: closing the app while
    // the key is being derived does not give a free try.
    const lock = (await db.get('meta', 'lock')).v;
    lock.failures = (lock.failures || 0) + 1;
    await db.put('meta', { k: 'lock', v: lock });
    let key = null;
    try {
      key = await unwrap(lock, pin.value);
    } catch (err) {
      console.warn('unlock', err);
    }
    if (key) {
      lock.failures = 0;
      await db.put('meta', { k: 'lock', v: lock });
      performance.measure('inspecta-unlock', 'inspecta-unlock-start');
      resolve(makeCodec(key, CLEAR, CLEAR_META));
      return;
    }
    pin.value = '';
    if (lock.failures >= MAX_FAILURES) {
      db.close();
      await wipeDevice();
      fill(view, wipedScreen());
      return;
    }
    msg.textContent = t('lock_wrong', { n: MAX_FAILURES - lock.failures });
    button.disabled = false;
    button.textContent = t('lock_unlock');
    pin.focus();
  }

  async function showForgot() {
    const waiting = await db.count('outbox');
    forgot.replaceChildren(h('div', { class: 'warning', role: 'alert' },
      h('p', { text: t('lock_forgot_text', { n: waiting }) }),
      h('button', { type: 'button', class: 'danger', id: 'lock-erase', on: { click: async () => {
        db.close();
        await wipeDevice();
        fill(view, wipedScreen());
      } }, text: t('lock_erase') })));
  }

  fill(view, h('form', { id: 'lock-screen', on: { submit: onSubmit } },
    h('h1', { text: t('lock_title') }),
    h('p', { text: t('lock_intro') }),
    field(t('pin'), pin), msg, button, forgot));
  pin.focus();
}

function wipedScreen() {
  return h('div', { id: 'wiped' },
    h('p', { class: 'warning', role: 'alert', text: t('lock_wiped') }),
    h('button', { type: 'button', class: 'primary', on: { click: () => { location.hash = '#/signin'; location.reload(); } }, text: t('sign_in_again') }));
}

/**
 * wipeDevice deletes every IndexedDB database of the origin (they are all
 * Inspecta's), every cache but the app shell, and local and session storage.
 * The caller has closed its own connections to the databases.
 */
export async function wipeDevice() {
  const names = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : ['inspecta'];
  if (!names.includes('inspecta')) names.push('inspecta');
  await Promise.all(names.map((name) => new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = resolve;
    req.onerror = () => reject(req.error);
  })));
  if (globalThis.caches) {
    for (const k of await caches.keys()) if (!k.startsWith(SHELL_CACHE)) await caches.delete(k);
  }
  localStorage.clear();
  sessionStorage.clear();
}

/** lockNudge asks, on the home screen, for a PIN while none is set. */
export function lockNudge(ctx) {
  if (ctx.store.codec.sealed) return null;
  return h('div', { class: 'notice', id: 'pin-nudge' }, h('p', { text: t('lock_nudge') }),
    h('a', { class: 'button', href: '#/pin', text: t('pin_set') }));
}

/** lockSection is the settings' part about the lock. */
export function lockSection(ctx) {
  const sealed = ctx.store.codec.sealed;
  return h('section', { id: 'lock-section' }, h('h2', { text: t('app_lock') }),
    h('p', { class: sealed ? 'hint' : 'warning', id: 'lock-state', text: sealed ? t('lock_on_hint') : t('lock_off_hint') }),
    h('a', { class: `button${sealed ? '' : ' primary'}`, href: '#/pin', id: 'pin-open', text: sealed ? t('pin_change') : t('pin_set') }),
    sealed ? h('button', { type: 'button', id: 'lock-now', on: { click: () => {
      tabs().postMessage('locked');
      lockNow(ctx.store);
    } }, text: t('lock_now') }) : null);
}

/** pinForm sets the first PIN (sealing what is on the phone) or changes it. */
async function pinForm(ctx) {
  const { store } = ctx;
  const sealed = store.codec.sealed;
  const current = sealed ? pinInput('pin-current', 'current-password') : null;
  const pin = pinInput('pin-new', 'new-password');
  const again = pinInput('pin-again', 'new-password');
  const msg = h('p', { class: 'error', role: 'alert', id: 'pin-error' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'pin-submit', text: sealed ? t('pin_change') : t('pin_set') });
  const waiting = await store.outboxCount();

  async function onSubmit(e) {
    e.preventDefault();
    msg.textContent = '';
    let cipher;
    try {
      cipher = await vault();
    } catch (err) {
      showRefusal(msg, err);
      return;
    }
    const { newLock, rewrap, unwrap, makeCodec, validPin } = cipher;
    if (!validPin(pin.value)) { msg.textContent = t('pin_invalid'); return; }
    if (pin.value !== again.value) { msg.textContent = t('pin_mismatch'); return; }
    button.disabled = true;
    button.textContent = t('pin_saving');
    try {
      if (sealed) {
        const key = await unwrap(await store.meta('lock'), current.value);
        if (!key) {
          msg.textContent = t('pin_wrong_current');
          return;
        }
        await store.setMeta('lock', (await rewrap(key, pin.value)).lock);
      } else {
        const { lock, key } = await newLock(pin.value);
        await store.reseal(makeCodec(key, CLEAR, CLEAR_META), [{ k: 'lock', v: lock }]);
        // Other tabs still hold the store without the key: they start again, locked.
        tabs().postMessage('locked');
      }
      ctx.go('/settings');
    } catch (err) {
      console.error(err);
      showRefusal(msg, err);
    } finally {
      button.disabled = false;
      button.textContent = sealed ? t('pin_change') : t('pin_set');
    }
  }

  return h('form', { id: 'pin-form', on: { submit: onSubmit } },
    h('h1', { text: sealed ? t('pin_change') : t('pin_set') }),
    h('p', { class: 'warning', role: 'note', id: 'pin-warning', text: t('pin_forget_warning', { n: waiting }) }),
    current ? field(t('pin_current'), current) : null,
    field(t('pin_new'), pin), field(t('pin_repeat'), again), msg, button);
}

let locking = false;
let channel = null;

/**
 * followOtherTabs starts again when another tab deletes the database (a wipe,
 * a sign-out) or upgrades it: this tab's connection would block that.
 */
function followOtherTabs(db) {
  db.addEventListener('versionchange', () => {
    db.close();
    document.body.hidden = true;
    location.reload();
  });
}

/** tabs is the channel to the app's other tabs and windows on this device. */
function tabs() {
  if (!channel) channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('inspecta-lock') : { postMessage() {} };
  return channel;
}

/**
 * lockNow locks the app: the field being typed in is left (it saves on
 * change), the writes already started finish, then the page reloads
 * without the key.
 */
export async function lockNow(store) {
  if (locking) return;
  locking = true;
  const a = document.activeElement;
  if (a && a !== document.body && typeof a.blur === 'function') a.blur();
  await new Promise((r) => setTimeout(r, 0)); // let change handlers open their transactions
  // A read-write transaction over every store runs after all those opened before it.
  await store.db.transaction([...store.db.objectStoreNames], 'readwrite').done;
  document.body.hidden = true;
  location.reload();
}

/**
 * watchIdle locks the app once nothing was touched for IDLE_MS, checked
 * every 15 s and on returning to the app (time in the background counts).
 */
export function watchIdle(store) {
  tabs().onmessage = (e) => {
    if (e.data === 'locked') lockNow(store);
  };
  let last = Date.now();
  const touch = () => { last = Date.now(); };
  for (const ev of ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart', 'scroll']) {
    addEventListener(ev, touch, { capture: true, passive: true });
  }
  const check = () => {
    if (store.codec.sealed && Date.now() - last >= IDLE_MS) lockNow(store);
  };
  setInterval(check, 15000);
  document.addEventListener('visibilitychange', check);
}

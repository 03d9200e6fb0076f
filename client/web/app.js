// Inspecta field app: start-up, the router and the screen frame.
//
// Screens are registered in `views` (name → async function(ctx, ...params)
// returning a Node) and reached through `routes` (a RegExp on the hash path
// whose groups become the params). To add a screen — such as the
// coordinator's screens, which live in their own modules — call
// `register(name, /^\/pattern\/([^/]+)$/, viewFn)` from that module and import
// it below; link to it with `#/pattern/…`. The desk's modules are imported
// only when a desk path is opened (loadDesk), not on the phone's first load. ctx carries the store, the syncer,
// t() and go(path).
import { Store } from './store.js';
import { Syncer } from './sync.js';
import { t, initLang, onLang, lang } from './i18n.js';
import { h, fill, captureView, restoreView, same } from './dom.js';
import { registerMemberViews, statusText, initDisplay } from './views.js';
import { registerVisitViews } from './visit.js';
import { DESK_PATH, updateDeskLink } from './desklink.js';
import { unlock, watchIdle, registerLockViews, warmVault } from './lock.js';
import { PhotoSender } from './photos.js';
import { yieldToEvents } from './pack.js';
import { failureText } from './refusals.js';

export const views = {};
export const routes = [];

/** register adds a screen under name, reached by hash paths matching pattern. */
export function register(name, pattern, view) {
  views[name] = view;
  routes.push([pattern, name]);
}

const main = document.getElementById('view');
const statusEl = document.getElementById('status');
let ctx;

let shownPath = null;
let renderSeq = 0;
// What the screen shown was drawn from (a view's drawnFrom, dom.js) and its node.
let shownFrom = null;

/**
 * render draws the screen of the current hash path. Drawing the screen that
 * is already shown again (after a sync brought changes) keeps what the person
 * had open, typed, focused and scrolled to (captureView/restoreView); a newer
 * render that finishes first wins.
 */
async function render() {
  const path = location.hash.replace(/^#/, '') || '/';
  if (!ctx.store.session && path !== '/signin') return go('/signin');
  updateDeskLink(ctx);
  if (DESK_PATH.test(path) && !(await loadDesk())) return;
  if (ctx.store.session) warmOnce();
  for (const [re, name] of routes) {
    const m = re.exec(path);
    if (!m) continue;
    const seq = ++renderSeq;
    let node;
    let from = null;
    try {
      node = await views[name](ctx, ...m.slice(1).map(decodeURIComponent));
      if (node && node.build) {
        from = { lang: lang(), inputs: node.drawnFrom };
        // Drawn from the same: the screen stays as it is.
        const kept = path === shownPath && shownFrom && shownFrom.el.parentNode === main && same(shownFrom.from, from);
        node = kept ? null : await node.build();
      }
    } catch (e) {
      console.error(e);
      node = h('p', { class: 'error', role: 'alert', title: String(e && e.message), text: `${t('screen_failed')} ${failureText(e)}` });
    }
    // The screen goes in in a task of its own, not after the view's last slice of work (issue 20).
    await yieldToEvents();
    if (seq !== renderSeq) return;
    if (node) {
      const kept = path === shownPath ? captureView(main) : null;
      fill(main, node);
      if (kept) restoreView(main, kept);
      shownFrom = from && { from, el: node };
    }
    shownPath = path;
    document.documentElement.dataset.view = name;
    document.documentElement.dataset.path = path; // which screen is drawn (the browser tests wait on it)
    return;
  }
  go('/');
}

let desk = null;

/**
 * loadDesk imports the coordinator's desk once and registers its screens;
 * false, with a message drawn, when it cannot be loaded (no connection and
 * never opened on this device).
 */
async function loadDesk() {
  desk ||= import('./coord.js').then((m) => m.registerDeskViews(register));
  try {
    await desk;
    return true;
  } catch (e) {
    desk = null;
    console.error(e);
    fill(main, h('p', { class: 'error', role: 'alert', id: 'desk-unavailable', text: t('offline_desk') }));
    return false;
  }
}

let warmed = false;

/**
 * warmOnce fetches, once someone has signed in, what the phone must have
 * offline but not on its first screen: the cipher of the app lock.
 */
function warmOnce() {
  if (warmed) return;
  warmed = true;
  setTimeout(warmVault, 0);
}

/** go navigates to a hash path. */
function go(path) {
  if (location.hash === `#${path}`) render();
  else location.hash = path;
}

function renderStatus(s) {
  if (!ctx.store.session) return fill(statusEl);
  fill(statusEl,
    h('p', { class: `status-line${s.error ? ' bad' : ''}`, role: 'status', 'aria-live': 'polite', id: 'sync-status', 'data-waiting': s.waiting, 'data-running': s.running ? '1' : '0' },
      statusText(s), ctx.photos && ctx.photos.state.waiting
        ? h('span', { id: 'photos-waiting', 'data-n': ctx.photos.state.waiting, text: ` · ${t('photos_waiting_n', { n: ctx.photos.state.waiting })}` }) : null),
    s.rejected ? h('a', { href: '#/settings', class: 'badge bad', text: t('rejected_n', { n: s.rejected }) }) : null,
    h('button', { type: 'button', id: 'sync-now', class: 'small', disabled: s.running, on: { click: () => ctx.syncer.sync() }, text: s.running ? t('syncing') : t('sync_now') }));
}

async function start() {
  const store = await Store.open({ codec: (db) => unlock(main, db) }); // the lock screen first, when a PIN is set
  await initLang(store);
  await initDisplay(store);
  const syncer = new Syncer(store);
  syncer.state.signInAgain = !!(await store.meta('sign_in_again'));
  const photos = new PhotoSender(store);
  ctx = { store, syncer, photos, t, go, render };
  registerMemberViews(register);
  registerVisitViews(register);
  registerLockViews(register);
  watchIdle(store);
  syncer.onStatus(renderStatus);
  photos.onStatus(() => renderStatus(syncer.state));
  onLang(() => {
    render();
    renderStatus(syncer.state);
    document.getElementById('home-link').textContent = t('app_name');
    document.getElementById('settings-link').textContent = t('settings');
  });
  document.getElementById('home-link').textContent = t('app_name');
  document.getElementById('settings-link').textContent = t('settings');
  addEventListener('hashchange', render);
  // Controls typed into but not yet committed are marked, so that a redraw keeps their text.
  main.addEventListener('input', (e) => { if (e.target.id) e.target.dataset.dirty = '1'; }, true);
  main.addEventListener('change', (e) => { delete e.target.dataset.dirty; }, true);
  // A pull may bring a teammate's records, a refusal rolls a value back: redraw
  // the screen in place. The desk's screens read the server, not the device.
  store.onChange((what, detail) => {
    const desk = /^(desk|admin)/.test(document.documentElement.dataset.view || '');
    if ((what === 'pull' || what === 'rollback') && !desk) render();
    // Packed history of old visits: only a screen of one of them shows it.
    const visit = /^\/visit\/([^/]+)/.exec(location.hash.replace(/^#/, ''));
    if (what === 'history' && !desk && visit && detail.includes(decodeURIComponent(visit[1]))) render();
  });
  await render();
  photos.start(syncer); // photos go after each sync of the operations, never before them
  if (store.session) {
    syncer.start();
  }
  window.inspecta = ctx; // for the e2e tests and debugging from the console
  document.documentElement.dataset.ready = '1';
}

if ('serviceWorker' in navigator) {
  // Registered after load so that installing reuses what the page just downloaded.
  addEventListener('load', () => navigator.serviceWorker.register('/sw.js').catch((e) => console.warn('service worker', e)));
}

start();

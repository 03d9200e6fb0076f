// Inspecta field app: start-up, the router and the screen frame.
//
// Screens are registered in `views` (name → async function(ctx, ...params)
// returning a Node) and reached through `routes` (a RegExp on the hash path
// whose groups become the params). To add a screen — such as the
// coordinator's screens, which live in their own modules — call
// `register(name, /^\/pattern\/([^/]+)$/, viewFn)` from that module and import
// it below; link to it with `#/pattern/…`. ctx carries the store, the syncer,
// t() and go(path).
import { Store } from './store.js';
import { Syncer } from './sync.js';
import { t, initLang, onLang } from './i18n.js';
import { h, fill } from './dom.js';
import { registerMemberViews, statusText } from './views.js';
import { registerVisitViews } from './visit.js';
import { registerDeskViews, updateDeskLink } from './coord.js';

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

async function render() {
  const path = location.hash.replace(/^#/, '') || '/';
  if (!ctx.store.session && path !== '/signin') return go('/signin');
  updateDeskLink(ctx);
  for (const [re, name] of routes) {
    const m = re.exec(path);
    if (!m) continue;
    try {
      const node = await views[name](ctx, ...m.slice(1).map(decodeURIComponent));
      if (node) fill(main, node);
    } catch (e) {
      console.error(e);
      fill(main, h('p', { class: 'error', role: 'alert', text: `${t('screen_failed')} ${e.message}` }));
    }
    document.documentElement.dataset.view = name;
    return;
  }
  go('/');
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
      statusText(s)),
    s.rejected ? h('a', { href: '#/settings', class: 'badge bad', text: t('rejected_n', { n: s.rejected }) }) : null,
    h('button', { type: 'button', id: 'sync-now', class: 'small', disabled: s.running, on: { click: () => ctx.syncer.sync() }, text: s.running ? t('syncing') : t('sync_now') }));
}

async function start() {
  const store = await Store.open();
  await initLang(store);
  const syncer = new Syncer(store);
  ctx = { store, syncer, t, go, render };
  registerMemberViews(register);
  registerVisitViews(register);
  registerDeskViews(register);
  syncer.onStatus(renderStatus);
  onLang(() => {
    render();
    renderStatus(syncer.state);
    document.getElementById('home-link').textContent = t('app_name');
    document.getElementById('settings-link').textContent = t('settings');
  });
  document.getElementById('home-link').textContent = t('app_name');
  document.getElementById('settings-link').textContent = t('settings');
  addEventListener('hashchange', render);
  // A pull may bring a teammate's records: redraw unless the member is typing.
  store.onChange((what) => {
    const a = document.activeElement;
    // The desk's screens read the server, not the device: a pull does not change them.
    const desk = /^(desk|admin)/.test(document.documentElement.dataset.view || '');
    if (what === 'pull' && !desk && !(a && main.contains(a) && /INPUT|TEXTAREA|SELECT/.test(a.tagName))) {
      const y = scrollY;
      render().then(() => scrollTo(0, y));
    }
  });
  await render();
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

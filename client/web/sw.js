// Service worker: keeps the app shell in a versioned cache and serves it with
// no connection. VERSION, SHELL and LATER are filled in by the server
// (client.go) from a hash of the app's files, so any change to the app gives
// a new cache name and a fresh copy; API calls always go to the network.
// SHELL is what the first screen needs; LATER are the modules only a dynamic
// import() reaches (the desk, the app lock's cipher): kept when first used,
// and fetched with the shell on an update (the device is in use by then).
const VERSION = '__VERSION__';
const SHELL = [/*__SHELL__*/];
const LATER = [/*__LATER__*/];
const CACHE = `inspecta-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    // The first install reuses what the page has just downloaded (no second
    // transfer on a slow line); an update must fetch the new files afresh.
    const first = (await caches.keys()).filter((k) => k.startsWith('inspecta-shell-')).length === 0;
    const cache = await caches.open(CACHE);
    const urls = first ? SHELL : SHELL.concat(LATER);
    await cache.addAll(urls.map((url) => new Request(url, { cache: first ? 'force-cache' : 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('inspecta-shell-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname === '/healthz') return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Every path of the app is index.html (the router uses the hash).
    const key = req.mode === 'navigate' ? '/' : url.pathname;
    const hit = await cache.match(key);
    if (hit) return hit;
    const res = await fetch(req);
    if (res.ok && LATER.includes(url.pathname)) await cache.put(url.pathname, res.clone());
    return res;
  })());
});

// Service worker: keeps the app shell in a versioned cache and serves it with
// no connection. VERSION and SHELL are filled in by the server (client.go)
// from a hash of the shell's files, so any change to the app gives a new
// cache name and a fresh copy; API calls always go to the network.
const VERSION = '__VERSION__';
const SHELL = [/*__SHELL__*/];
const CACHE = `inspecta-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    // The first install reuses what the page has just downloaded (no second
    // transfer on a slow line); an update must fetch the new files afresh.
    const first = (await caches.keys()).filter((k) => k.startsWith('inspecta-shell-')).length === 0;
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((url) => new Request(url, { cache: first ? 'force-cache' : 'reload' })));
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
    return fetch(req);
  })());
});

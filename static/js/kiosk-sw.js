/* Keeps the voting kiosk openable without a connection. Served as /kiosk/sw.js, so its scope is the
   kiosk's pages. The kiosk's pages and the assets come from the network when it answers (soon enough),
   else from the last copy kept here. The code checks and the ballots are never intercepted: the kiosk
   keeps ballots in its own queue (kiosk-queue.js). A page that says this browser is no kiosk drops
   the copies. */
const CACHE = "ashar-kiosk-v2"; // kiosk-exit.js deletes it when the kiosk is left (v2: kiosk.js split in files)
const PAGES = ["/kiosk/", "/kiosk/exit"];
const PAGE_WAIT_MS = 6000; // a page that has not come by then is taken from the copy

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(takeOver().catch(() => {}).then(() => self.clients.claim())));

// an older worker's copies move into this one's cache: a tablet offline now still opens the kiosk as it
// was, and leaving kiosk mode, which clears this cache, leaves no older copy behind
async function takeOver() {
  const cache = await caches.open(CACHE);
  for (const name of (await caches.keys()).filter((n) => n.startsWith("ashar-kiosk-") && n !== CACHE)) {
    const older = await caches.open(name);
    for (const request of await older.keys()) {
      if (!(await cache.match(request))) await cache.put(request, await older.match(request));
    }
    await caches.delete(name);
  }
}

function keep(key, response) {
  return caches.open(CACHE).then((cache) => cache.put(key, response));
}

self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(Promise.all(urls.map((url) =>
    fetch(url, { credentials: "same-origin" }).then((res) => {
      if (res.ok && !res.redirected) return keep(url, res);
    }).catch(() => {}))));
});

function page(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PAGE_WAIT_MS);
  // redirect: "manual", as the browser's own navigation: it follows a redirect itself
  return fetch(url.pathname + url.search, { credentials: "same-origin", redirect: "manual", signal: controller.signal })
    .finally(() => clearTimeout(timer));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const isPage = request.mode === "navigate" && PAGES.includes(url.pathname);
  if (!isPage && !url.pathname.startsWith("/static/")) return;
  const key = isPage ? url.pathname : request;
  event.respondWith((isPage ? page(url) : fetch(request)).then((response) => {
    if (isPage && (response.status === 401 || response.status === 403)) {
      caches.delete(CACHE); // no longer a kiosk: nothing of it may open offline
    } else if (response.ok && !response.redirected) {
      keep(key, response.clone());
    }
    return response;
  }).catch(() => caches.match(key).then((hit) => hit || Response.error())));
});

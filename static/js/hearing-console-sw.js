/* Keeps the hearing console openable without a connection: console pages and the assets come from
   the network when it answers, else from the last copy kept here. Entries and polling are never
   intercepted: the console's script keeps those in its own queue. */
const CACHE = "ashar-console-v1";
const CONSOLE = /^\/hearings\/\d+\/console$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((url) =>
    fetch(url, { credentials: "same-origin" }).then((res) => {
      if (res.ok && !res.redirected) return cache.put(url, res);
    }).catch(() => {})))));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const page = request.mode === "navigate" && CONSOLE.test(url.pathname);
  if (!page && !url.pathname.startsWith("/static/")) return;
  event.respondWith(fetch(request).then((response) => {
    if (response.ok && !response.redirected) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(page ? url.pathname : request, copy));
    }
    return response;
  }).catch(() => caches.match(page ? url.pathname : request).then((hit) => hit || Response.error())));
});

/* The kiosk's queue: a confirmed ballot is first kept in IndexedDB (its key, the voter's code, the receipt
   made here and the tablet's local time), then sent in order; it leaves the queue only once the server
   has answered for it (counted, counted before, or refused — a refusal is kept on the server and
   reported). Also the strip at the top of each kiosk page: online or not, and how many ballots wait.
   Every kiosk page runs it, the page of an ended kiosk too: staff may end a kiosk from the round's page
   while its tablet is offline, and the tablet still sends its queue; what was cast before the end counts,
   what was cast after is refused (kiosk_ended) and shown as such, so the queue always empties. Needs
   kiosk-words.js; its part of window.AsharKiosk is K.queue, whose onChange and onSync the screens
   (kiosk.js, kiosk-exit.js) set to paint what the queue's changes show. */
(() => {
  "use strict";
  const K = window.AsharKiosk;
  if (!K) return;
  const { cfg, mode, $, T, display } = K;
  const BATCH = 50;
  const RETRY_MS = 5000;

  // --- the queue in IndexedDB ---------------------------------------------------------------------
  let opened = null;
  function idb() {
    opened = opened || new Promise((resolve, reject) => {
      const req = indexedDB.open("ashar-kiosk", 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore("ballots", { keyPath: "id", autoIncrement: true }).createIndex("kiosk", "kiosk");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return opened;
  }
  async function tx(txMode, work) {
    const db = await idb();
    return new Promise((resolve, reject) => {
      const t = db.transaction("ballots", txMode);
      const req = work(t.objectStore("ballots"));
      t.oncomplete = () => resolve(req ? req.result : undefined);
      t.onerror = t.onabort = () => reject(t.error);
    });
  }
  const queued = () => tx("readonly", (s) => s.index("kiosk").getAll(cfg.kiosk))
    .then((list) => list.sort((a, b) => a.id - b.id)).catch(() => []);
  const add = (item) => tx("readwrite", (s) => { s.add(item); });
  const drop = (ids) => tx("readwrite", (s) => { ids.forEach((id) => s.delete(id)); });
  const wire = ({ key, code, receipt, choices, cast_at }) => ({ key, code, receipt, choices, cast_at });

  // --- sending ------------------------------------------------------------------------------------
  let waiting = 0;
  let online = navigator.onLine;
  let ended = mode === "ended"; // the kiosk has been ended: it takes no new ballot, but sends its queue
  let gone = false; // the server takes nothing from this browser (no kiosk's token): sending stops
  let sending = null;
  let syncing = false;
  const answers = new Map(); // client key → the server's answer, for the receipt on screen
  const refusedNow = []; // refusals answered while this page is open, for the exit screen's report

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body),
    });
    const json = (response.headers.get("Content-Type") || "").includes("json") ? await response.json().catch(() => null) : null;
    return { status: response.status, json };
  }

  function send() {
    if (!sending) {
      sending = (async () => {
        syncing = true;
        try {
          // one sender across this tablet's tabs, so that two tabs never send the same ballots at once
          if (navigator.locks) await navigator.locks.request("ashar-kiosk-" + cfg.kiosk, sendAll);
          else await sendAll();
        } catch (err) { /* the timer tries again */ } finally {
          syncing = false;
          sending = null;
          await refresh();
        }
      })();
    }
    return sending;
  }

  async function sendAll() {
    for (;;) {
      if (gone) return;
      const batch = (await queued()).slice(0, BATCH);
      if (!batch.length) { setOnline(navigator.onLine); return; }
      if (!navigator.onLine) { setOnline(false); return; }
      let answer;
      try {
        answer = await post(cfg.urls.ballots, { items: batch.map(wire) });
      } catch (err) { setOnline(false); return; }
      setOnline(true);
      if (answer.status === 401) { gone = true; stop(); return; }
      const results = answer.status === 200 && answer.json && Array.isArray(answer.json.results) ? answer.json.results : null;
      if (!results) return; // not taken now: the timer tries again
      const byKey = new Map(batch.map((item) => [item.key, item]));
      const done = [];
      for (const result of results) {
        const item = byKey.get(result.key);
        if (!item) continue;
        done.push(item.id);
        answers.set(item.key, result);
        if (result.status === "refused") refusedNow.push({ receipt: result.receipt || display(item.receipt), reason: result.reason });
      }
      await drop(done);
      await refresh();
      Q.onSync();
      if (answer.json.ended) stop(); // ended by staff, perhaps while offline: the rest is still sent
      if (done.length < batch.length) return;
    }
  }

  async function refresh() {
    waiting = (await queued()).length;
    paintStrip();
    Q.onChange();
  }

  function setOnline(on) {
    if (online !== on) { online = on; paintStrip(); Q.onChange(); }
  }

  function paintStrip() {
    const net = $("k-net");
    if (net) {
      net.textContent = online ? T("online") : T("offline");
      net.classList.toggle("off", !online);
    }
    const badge = $("k-waiting");
    if (badge) {
      badge.textContent = T("waiting", { n: waiting });
      badge.classList.toggle("some", waiting > 0);
    }
  }

  function stop() {
    const was = ended;
    ended = true;
    if (mode === "exit" && !was) window.location.assign(cfg.urls.scope);
    Q.onChange();
  }

  // the refusals answered while this page is open, added once each to a list of the screen (<ul>),
  // after those the server wrote into it (their receipts in <b class="code">)
  function paintRefusals(list) {
    if (!list) return 0;
    const listed = new Set(Array.from(list.querySelectorAll("b.code"), (b) => b.textContent));
    for (let i = Number(list.dataset.shown || 0); i < refusedNow.length; i++) {
      const receipt = refusedNow[i].receipt || "—";
      if (receipt !== "—" && listed.has(receipt)) continue; // a replay of a refusal already listed
      const li = document.createElement("li");
      const code = document.createElement("b");
      code.className = "code";
      code.textContent = receipt;
      li.append(code, " — " + T("refusal_" + refusedNow[i].reason));
      list.append(li);
    }
    list.dataset.shown = String(refusedNow.length);
    return list.children.length;
  }

  const Q = (K.queue = {
    get waiting() { return waiting; },
    get online() { return online; },
    get ended() { return ended; },
    get syncing() { return syncing; },
    answers, refusedNow, queued, add, wire, post, send, refresh, setOnline, paintStrip, paintRefusals, stop,
    onChange: () => {}, // the screen paints what waits, the connection and the kiosk's end
    onSync: () => {}, // after answers came
  });

  window.addEventListener("online", () => { setOnline(true); send(); });
  window.addEventListener("offline", () => setOnline(false));
  setInterval(() => { if (waiting || !online) send(); }, RETRY_MS);
  // once the page's other scripts have set up its screen: count what waits, then send it
  const start = () => refresh().then(send);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();

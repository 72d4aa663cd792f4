/* The hearing console. Every entry is first written to IndexedDB under a key made on this device,
   then sent in order; only the keys the server acknowledges leave the queue. So closing the tab, or
   losing the connection, loses nothing, and a resent entry is stored once. Without this script the
   console's forms post one entry at a time. */
(() => {
  "use strict";
  const root = document.getElementById("console");
  if (!root || !window.indexedDB || !window.fetch) return;
  const cfg = root.dataset;
  const hearing = Number(cfg.hearing);
  const young = new Set(cfg.young.split(" "));
  let cursor = Number(cfg.cursor || 0);
  let seen = cursor; // the last_seq that the counters shown by the server include
  let current = cfg.current ? Number(cfg.current) : null; // the agenda item under way, as last known
  let waiting = 0;
  // acknowledged entries still count until the server's counters include them (their seq is at most
  // the polled last_seq); otherwise the counters would dip between the acknowledgement and the poll
  let sent = [];
  const $ = (sel) => root.querySelector(sel);
  // the counters as the server last gave them (first: as the page was rendered)
  let server = { villages: {} };
  root.querySelectorAll("[data-counter]").forEach((el) => {
    const name = el.dataset.counter;
    if (name.startsWith("village-")) server.villages[name.slice(8)] = Number(el.textContent);
    else server[name] = Number(el.textContent);
  });
  const clock = (s) => (s >= 3600 ? Math.floor(s / 3600) + ":" + String(Math.floor(s / 60) % 60).padStart(2, "0")
    : Math.floor(s / 60)) + ":" + String(s % 60).padStart(2, "0");

  const newKey = () => (crypto.randomUUID ? crypto.randomUUID() :
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(""));
  const device = localStorage.getItem("ashar-device") || newKey();
  localStorage.setItem("ashar-device", device);

  // --- the queue in IndexedDB ---------------------------------------------------------------------
  let opened = null;
  function idb() {
    opened = opened || new Promise((resolve, reject) => {
      const req = indexedDB.open("ashar-console", 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore("entries", { keyPath: "id", autoIncrement: true }).createIndex("hearing", "hearing");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return opened;
  }
  async function tx(mode, work) {
    const db = await idb();
    return new Promise((resolve, reject) => {
      const t = db.transaction("entries", mode);
      const req = work(t.objectStore("entries"));
      t.oncomplete = () => resolve(req ? req.result : undefined);
      t.onerror = t.onabort = () => reject(t.error);
    });
  }
  const queued = () => tx("readonly", (s) => s.index("hearing").getAll(hearing)).then((l) => l.sort((a, b) => a.id - b.id));
  const save = (entries) => tx("readwrite", (s) => { entries.forEach((e) => s.put(e)); });
  const drop = (ids) => tx("readwrite", (s) => { ids.forEach((id) => s.delete(id)); });

  // --- what the screen shows ----------------------------------------------------------------------
  function say(text) { $("#sync").textContent = text || ""; }

  function count(name, value) {
    const el = root.querySelector(`[data-counter="${name}"]`);
    if (el) el.textContent = value;
  }

  async function refresh() {
    const list = (await queued()).concat(sent.map((s) => s.entry));
    const pending = list.filter((e) => e.state === "pending");
    waiting = pending.length - sent.length;
    const badge = $("#pending");
    badge.querySelector("b").textContent = waiting;
    badge.classList.toggle("waiting", waiting > 0);
    {
      const c = { total: server.total, women: server.women, young: server.young, questions: server.questions,
        proposals: server.proposals, decisions: server.decisions };
      const villages = Object.assign({}, server.villages);
      for (const e of pending) {
        if (e.type === "attendance") {
          c.total += 1;
          if (e.data.gender === "female") c.women += 1;
          if (young.has(e.data.age_band)) c.young += 1;
          villages[e.data.village_id || ""] = (villages[e.data.village_id || ""] || 0) + 1;
        } else if (e.type + "s" in c) c[e.type + "s"] += 1;
      }
      Object.entries(c).forEach(([k, v]) => count(k, v));
      root.querySelectorAll('[data-counter^="village-"]').forEach((el) => {
        el.textContent = villages[el.dataset.counter.slice(8)] || 0;
      });
      const quorum = $("[data-quorum]");
      if (quorum) quorum.classList.toggle("reached", c.total >= Number(quorum.dataset.quorum));
    }
    const feed = $("#feed");
    feed.querySelectorAll("li.local").forEach((li) => li.remove());
    for (const e of list) {
      const li = document.createElement("li");
      const unsent = e.state === "pending" && !sent.some((s) => s.entry === e);
      li.className = "local " + (unsent ? "pending" : e.state === "refused" ? "refused" : "sent");
      li.textContent = (e.state === "refused" ? cfg.msgRefused + ": " : "") + e.text;
      if (e.state === "refused") {
        const why = document.createElement("small");
        why.textContent = " — " + e.message + " ";
        const dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.textContent = cfg.msgDismiss;
        dismiss.addEventListener("click", () => drop([e.id]).then(refresh));
        li.append(why, dismiss);
      }
      feed.prepend(li);
    }
    showAgenda();
  }

  function showAgenda() {
    root.querySelectorAll("li[data-item]").forEach((li) => li.classList.toggle("current", Number(li.dataset.item) === current));
  }

  function describe(form, submitter) {
    const parts = [];
    form.querySelectorAll("input:checked").forEach((input) => parts.push(input.closest("label").textContent.trim()));
    form.querySelectorAll("textarea, input[type=text], input:not([type])").forEach((input) => {
      if (input.value.trim()) parts.push(input.value.trim());
    });
    if (submitter && submitter.name) parts.unshift(submitter.textContent.replace("+", "").trim());
    if (form.dataset.entry === "agenda" && submitter) parts.push(submitter.closest("li") ? submitter.closest("li").querySelector("span").textContent : submitter.textContent.trim());
    return form.dataset.label + ": " + parts.join(", ").slice(0, 120);
  }

  // --- recording and sending ----------------------------------------------------------------------
  async function record(form, submitter) {
    const data = {};
    new FormData(form).forEach((value, name) => { data[name] = value; });
    if (submitter && submitter.name) data[submitter.name] = submitter.value;
    ["csrf_token", "type", "client_key"].forEach((name) => delete data[name]);
    const type = form.dataset.entry;
    if (type === "agenda") {
      data.from_item_id = current === null ? "" : String(current);
      data.at = Date.now();
      current = data.item_id ? Number(data.item_id) : null;
    } else if ("agenda_item_id" in data) data.agenda_item_id = current === null ? "" : String(current);
    const entry = { hearing, key: newKey(), type, data, text: describe(form, submitter), state: "pending" };
    // the form is ready for the next entry at once: a quick hand must not have its next taps cleared
    const sticky = Array.from(form.querySelectorAll("[data-sticky]:checked"), (input) => input.value);
    form.reset();
    form.querySelectorAll("[data-sticky]").forEach((input) => { input.checked = sticky.includes(input.value); });
    const details = form.closest("details");
    if (details && type !== "attendance") details.open = false;
    try {
      // kept on the device before anything else: from here on, closing the tab loses nothing
      await tx("readwrite", (s) => s.add(entry));
    } catch (err) { // this device cannot keep entries: send this one now, or say it was not recorded
      const json = await post([entry]).catch(() => null);
      const result = json ? json.results[0] : null;
      if (result && result.status !== "refused") say(cfg.msgRecorded + " ✓");
      else say(result ? result.errors.map((e) => e.message).join(" ") : cfg.msgError);
      return;
    }
    say(cfg.msgRecorded + " ✓");
    await refresh();
    send();
  }

  async function post(batch) {
    const response = await fetch(cfg.entriesUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": cfg.csrf },
      body: JSON.stringify({ device, entries: batch.map(({ key, type, data }) => ({ key, type, data })) }),
    });
    const json = (response.headers.get("Content-Type") || "").includes("json") ? await response.json() : null;
    if (!response.ok || !json || !json.results) {
      say(response.status === 403 || response.redirected ? cfg.msgLogin : (json && json.error) || cfg.msgError);
      return null;
    }
    return json;
  }

  let sending = false;
  async function send() {
    if (sending) return;
    if (!navigator.onLine) { if (waiting) say(cfg.msgOffline); return; }
    sending = true;
    try {
      // one sender across this device's tabs, so that two tabs never send the same entries at once
      if (navigator.locks) await navigator.locks.request("ashar-console-" + hearing, sendAll);
      else await sendAll();
    } finally { sending = false; }
  }

  async function sendAll() {
    for (;;) {
      const batch = (await queued()).filter((e) => e.state === "pending").slice(0, 50);
      if (!batch.length) return;
      let json;
      try { json = await post(batch); } catch (err) { say(cfg.msgOffline); return; }
      if (!json) return;
      const byKey = new Map(batch.map((e) => [e.key, e]));
      const acknowledged = [], refused = [];
      for (const result of json.results) {
        const entry = byKey.get(result.key);
        if (!entry) continue;
        if (result.status === "refused") {
          entry.state = "refused";
          entry.message = (result.errors || []).map((e) => e.message).join(" ");
          refused.push(entry);
        } else {
          acknowledged.push(entry.id);
          if (result.seq > seen) sent.push({ entry, seq: result.seq });
        }
      }
      await save(refused);
      await drop(acknowledged);
      await refresh();
      say(waiting ? "" : cfg.msgSent);
      if (!acknowledged.length && !refused.length) return;
      poll();
    }
  }

  // --- the other devices' entries -----------------------------------------------------------------
  let polling = false;
  async function poll() {
    if (polling || !navigator.onLine) return;
    polling = true;
    try {
      const response = await fetch(cfg.stateUrl + "?since=" + cursor, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok || !(response.headers.get("Content-Type") || "").includes("json")) return;
      const state = await response.json();
      if (state.status !== cfg.status) { window.location.reload(); return; }
      server = state.counters;
      seen = state.last_seq;
      sent = sent.filter((s) => s.seq > seen);
      const feed = $("#feed");
      const empty = $("#feed-empty");
      for (const e of state.entries) {
        if (feed.querySelector(`li[data-key="${CSS.escape(e.key)}"]`)) continue;
        if (empty) empty.remove();
        const li = document.createElement("li");
        li.dataset.key = e.key;
        li.textContent = e.text;
        feed.insertBefore(li, feed.querySelector("li:not(.local)"));
      }
      cursor = state.cursor;
      const mine = (await queued()).some((e) => e.type === "agenda" && e.state === "pending");
      if (!mine) current = state.agenda.current; // our own agenda change waits to be sent: keep showing it
      for (const item of state.agenda.items) {
        const el = root.querySelector(`[data-seconds="${item.id}"]`);
        if (el) el.textContent = clock(item.seconds);
      }
      await refresh();
      if (state.more) setTimeout(poll, 0);
    } catch (err) { /* offline: the timer tries again */ } finally { polling = false; }
  }

  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("[data-close]") && waiting > 0) { event.preventDefault(); say(cfg.msgWait); return; }
    if (!form.dataset.entry) return;
    event.preventDefault();
    record(form, event.submitter);
  });
  window.addEventListener("online", () => { send(); poll(); });
  window.addEventListener("offline", () => say(cfg.msgOffline));
  setInterval(() => { send(); poll(); }, 3000);
  refresh().then(() => { send(); poll(); });

  // keep this console and its assets on the device, so that it opens again without a connection
  if ("serviceWorker" in navigator && cfg.sw) {
    const first = !navigator.serviceWorker.controller; // later loads pass through the worker, which keeps them
    navigator.serviceWorker.register(cfg.sw).then(() => navigator.serviceWorker.ready).then((reg) => {
      if (first) reg.active.postMessage({ keep: [window.location.pathname].concat(cfg.assets.split(" ")) });
    }).catch(() => {});
  }
})();

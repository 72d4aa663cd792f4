/* The voting kiosk: one voter after another on a tablet at the hearing, with or without a connection.
   A confirmed ballot is first kept in IndexedDB (its key, the voter's code, the receipt made here and the
   tablet's local time), then sent in order; it leaves the queue only once the server has answered for it
   (counted, counted before, or refused — a refusal is kept on the server and reported). Everything the
   screens need, every language included, is in the page's #kiosk-data, so the kiosk-sw.js service worker
   can open it again offline. The same script runs the exit screen (data-mode="exit"), which lets staff
   log in only once nothing waits, and the page of an ended kiosk (data-mode="ended"), which still sends. */
(() => {
  "use strict";
  const root = document.getElementById("kiosk");
  const source = document.getElementById("kiosk-data");
  if (!root || !source || !window.fetch) return;
  const cfg = JSON.parse(source.textContent);
  const mode = root.dataset.mode;
  const $ = (id) => document.getElementById(id);
  const CACHE = "ashar-kiosk-v1"; // the service worker's cache (kiosk-sw.js)
  const BATCH = 50;
  const RETRY_MS = 5000;
  let lang = cfg.lang;

  // --- words, numbers, codes ----------------------------------------------------------------------
  const table = () => cfg.texts[lang] || cfg.texts[cfg.lang];
  const fmt = (text, vars) => (vars ? text.replace(/%\((\w+)\)[sd]/g, (m, name) => (name in vars ? String(vars[name]) : m)) : text);
  const T = (key, vars) => fmt(table()[key] ?? cfg.texts[cfg.lang][key] ?? "", vars);

  function money(tyiyn) {
    const som = Math.round(tyiyn / 100);
    const digits = String(Math.abs(som)).replace(/\B(?=(\d{3})+(?!\d))/g, table().group);
    return fmt(table().money, { amount: (som < 0 ? "−" : "") + digits });
  }

  // as pb.voting.codes.normalise: a URL with ?code=, spaces, dashes and small letters are all fine
  function normalise(text) {
    if (typeof text !== "string") return null;
    if (text.includes("code=")) text = text.split("code=")[1].split("&")[0];
    const cleaned = Array.from(text.toUpperCase()).filter((ch) => /[\p{L}\p{N}]/u.test(ch)).join("");
    if (cleaned.length !== cfg.length || Array.from(cleaned).some((ch) => !cfg.alphabet.includes(ch))) return null;
    return cleaned;
  }
  const display = (code) => (code && code.length === 10 ? code.slice(0, 5) + "-" + code.slice(5) : code || "");

  function randomBelow(n) { // unbiased: draws that would favour the first values are thrown away
    const box = new Uint32Array(1);
    const limit = Math.floor(0x100000000 / n) * n;
    do crypto.getRandomValues(box); while (box[0] >= limit);
    return box[0] % n;
  }
  const newReceipt = () => Array.from({ length: cfg.length }, () => cfg.alphabet[randomBelow(cfg.alphabet.length)]).join("");
  const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  const pad = (n) => String(n).padStart(2, "0");
  // the tablet's own clock, without a zone: tablets run on local (Bishkek) time, as the round's times are
  const localIso = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

  function applyTexts() {
    document.documentElement.lang = lang;
    root.querySelectorAll("[data-t]").forEach((el) => {
      el.textContent = T(el.dataset.t, el.dataset.vars ? JSON.parse(el.dataset.vars) : undefined);
    });
    root.querySelectorAll("[data-lang]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
    paintStrip();
  }

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
  const drop = (ids) => tx("readwrite", (s) => { ids.forEach((id) => s.delete(id)); });
  const wire = ({ key, code, receipt, choices, cast_at }) => ({ key, code, receipt, choices, cast_at });

  // --- sending ------------------------------------------------------------------------------------
  let waiting = 0;
  let online = navigator.onLine;
  let ended = false;
  let sending = null;
  let syncing = false;
  const answers = new Map(); // client key → the server's answer, for the receipt on screen
  const refusedNow = []; // refusals answered while this page is open, for the exit screen's report
  let afterSync = () => {};

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
      if (ended) return;
      const batch = (await queued()).slice(0, BATCH);
      if (!batch.length) { setOnline(navigator.onLine); return; }
      if (!navigator.onLine) { setOnline(false); return; }
      let answer;
      try {
        answer = await post(cfg.urls.ballots, { items: batch.map(wire) });
      } catch (err) { setOnline(false); return; }
      setOnline(true);
      if (answer.status === 401) { stop(); return; }
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
      afterSync();
      // an ended kiosk is answered only for the ballots cast before its end; the rest stay
      if (done.length < batch.length) return;
    }
  }

  async function refresh() {
    waiting = (await queued()).length;
    paintStrip();
    paintMode();
  }
  let paintMode = () => {};

  function setOnline(on) {
    if (online !== on) { online = on; paintStrip(); paintMode(); }
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
    ended = true;
    if (mode === "exit") window.location.assign(cfg.urls.scope);
    paintMode();
  }

  window.addEventListener("online", () => { setOnline(true); send(); });
  window.addEventListener("offline", () => setOnline(false));
  setInterval(() => { if (waiting || !online) send(); }, RETRY_MS);

  // --- the exit screen ----------------------------------------------------------------------------
  function exitScreen() {
    const form = $("exit-form");
    const button = $("exit-submit");
    const state = $("exit-queue");
    let shown = 0;
    paintMode = () => {
      if (waiting > 0) {
        button.disabled = true;
        state.textContent = syncing && online ? T("exit_sending", { n: waiting }) : T("exit_blocked", { n: waiting });
        state.className = "queue-state blocked";
      } else {
        button.disabled = false;
        state.textContent = T("exit_ready");
        state.className = "queue-state ready";
      }
    };
    afterSync = () => {
      const list = $("refusals");
      for (; shown < refusedNow.length; shown++) {
        const li = document.createElement("li");
        const code = document.createElement("b");
        code.className = "code";
        code.textContent = refusedNow[shown].receipt || "—";
        li.append(code, " — " + T("refusal_" + refusedNow[shown].reason));
        list.append(li);
        $("no-refusals").hidden = true;
      }
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await send(); // a last try: staff may log in only once nothing waits on the tablet
      if (waiting > 0) return;
      if (!navigator.onLine) { state.textContent = T("staff_offline"); return; }
      // the kiosk's pages leave the tablet with the kiosk (if the login fails, they are fetched again)
      if (window.caches) await caches.delete(CACHE).catch(() => {});
      form.submit();
    });
    button.disabled = true; // until the queue has been counted
  }

  // --- the voter's screens ------------------------------------------------------------------------
  function vote() {
    const byId = new Map(cfg.proposals.map((p) => [p.id, p]));
    const screens = Array.from(root.querySelectorAll(".screen"));
    let screen = "start";
    let voter = null; // {code, order, values: Map(id → 1, points or place)}
    let shownItem = null;
    let receiptTimer = null;
    let casting = false;

    function show(name) {
      screen = name;
      screens.forEach((s) => { s.hidden = s.id !== "s-" + name; });
      window.scrollTo(0, 0);
      const target = name === "code" ? $("k-code") : $("s-" + name).querySelector("h1");
      if (target) {
        if (target.tagName === "H1") target.tabIndex = -1;
        target.focus({ preventScroll: true });
      }
    }
    const setError = (id, text) => { $(id).textContent = text || ""; };

    let noticeTimer = null;
    function notice(text) {
      const el = $("k-notice");
      el.textContent = text;
      el.hidden = false;
      clearTimeout(noticeTimer);
      noticeTimer = setTimeout(() => { el.hidden = true; }, 8000);
    }

    function reset() {
      stopScan();
      hideIdle();
      clearInterval(receiptTimer);
      voter = null;
      shownItem = null;
      lang = cfg.lang;
      applyTexts();
      $("k-code").value = "";
      $("k-receipt").textContent = ""; // nothing of the last voter stays on the tablet's screens
      $("k-receipt-state").textContent = "";
      $("k-cards").replaceChildren();
      $("k-summary").replaceChildren();
      setError("k-code-error", "");
      setError("k-confirm-error", "");
      paintOpen();
      show(ended ? "ended" : "start");
    }

    function paintOpen() {
      const now = localIso(new Date());
      let why = "";
      if (!cfg.open) why = T("not_open");
      else if (now < cfg.opens) {
        const when = cfg.opens.slice(0, 10) === now.slice(0, 10) ? cfg.opens.slice(11, 16) : cfg.opens.slice(0, 16).replace("T", " ");
        why = T("not_yet", { time: when });
      } else if (now >= cfg.closes) why = T("closed");
      $("k-can-vote").hidden = Boolean(why);
      $("k-closed").hidden = !why;
      $("k-closed").textContent = why;
      return !why;
    }

    paintMode = () => {
      if (ended && screen !== "ended" && !casting) show("ended");
      $("k-ended-waiting").textContent = ended && waiting ? T("ended_waiting", { n: waiting }) : "";
    };

    // start
    $("k-begin").addEventListener("click", () => {
      if (!paintOpen() || ended) return;
      voter = { code: null };
      show("code");
    });
    root.querySelectorAll("[data-lang]").forEach((button) => button.addEventListener("click", () => {
      lang = button.dataset.lang;
      applyTexts();
      paintOpen();
    }));
    $("k-staff").addEventListener("click", (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      notice(waiting ? T("exit_blocked", { n: waiting }) : T("staff_offline"));
    });

    // the code
    $("k-code-back").addEventListener("click", reset);
    $("k-code-form").addEventListener("submit", (event) => {
      event.preventDefault();
      takeCode($("k-code").value);
    });

    let taking = false;
    async function takeCode(text) {
      if (taking) return; // a second tap while the first is checked
      taking = true;
      try {
        await checkCode(text);
      } finally {
        taking = false;
      }
    }

    async function checkCode(text) {
      const code = normalise(text);
      if (!code) { setError("k-code-error", T("code_malformed")); return; }
      if ((await queued()).some((item) => item.code === code)) { setError("k-code-error", T("refusal_code_used")); return; }
      if (navigator.onLine) {
        setError("k-code-error", "");
        $("k-code-next").disabled = true;
        $("k-code-hint").textContent = T("code_checking");
        try {
          const answer = await post(cfg.urls.codes, { code });
          setOnline(true);
          const status = answer.json && answer.json.status;
          if (answer.status === 401) { stop(); return; }
          if (answer.status === 429) { setError("k-code-error", T("too_many")); return; }
          if (answer.status === 200 && status === "not_open") { setError("k-code-error", T("not_open")); return; }
          if (answer.status === 200 && status && status !== "valid") {
            setError("k-code-error", T({ used: "refusal_code_used", void: "refusal_code_void" }[status] || "refusal_code_unknown"));
            return;
          }
          // valid, or the server could not say: the code is checked again when the ballot arrives
        } catch (err) {
          setOnline(false);
        } finally {
          $("k-code-next").disabled = false;
          $("k-code-hint").textContent = T("code_hint");
        }
      }
      if (!voter || screen !== "code") return; // the voter left meanwhile
      setError("k-code-error", "");
      voter.code = code;
      startBallot();
    }

    // scanning the slip's QR code, where the browser can
    let stream = null;
    let scanTimer = null;
    if ("BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      window.BarcodeDetector.getSupportedFormats()
        .then((formats) => { $("k-scan").hidden = !formats.includes("qr_code"); }).catch(() => {});
    }
    $("k-scan").addEventListener("click", async () => {
      try {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        const video = $("k-video");
        video.srcObject = stream;
        await video.play();
        $("k-scanner").hidden = false;
        $("k-code-form").hidden = true;
        scanTimer = setInterval(async () => {
          const found = await detector.detect(video).catch(() => []);
          const code = found.map((f) => normalise(f.rawValue)).find(Boolean);
          if (!code) return;
          stopScan();
          $("k-code").value = display(code);
          takeCode(code);
        }, 300);
      } catch (err) {
        stopScan();
        setError("k-code-error", T("camera_failed"));
      }
    });
    $("k-scan-stop").addEventListener("click", stopScan);
    function stopScan() {
      clearInterval(scanTimer);
      scanTimer = null;
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      $("k-scanner").hidden = true;
      $("k-code-form").hidden = false;
    }

    // the ballot: the proposals in a new random order for each voter
    function shuffle(list) {
      const out = list.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = randomBelow(i + 1);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }

    function startBallot() {
      voter.order = shuffle(cfg.proposals.map((p) => p.id));
      voter.values = new Map();
      buildCards();
      paintBallot();
      setError("k-ballot-error", "");
      show("ballot");
    }

    function element(tag, className, text) {
      const el = document.createElement(tag);
      if (className) el.className = className;
      if (text !== undefined) el.textContent = text;
      return el;
    }

    function buildCards() {
      const list = $("k-cards");
      list.replaceChildren();
      for (const id of voter.order) {
        const p = byId.get(id);
        const li = element("li", "choice");
        li.dataset.id = id;
        const text = element("span", "text");
        text.append(element("b", "title", p.title), element("span", "meta", p.village + " · " + money(p.cost)), element("span", "note"));
        if (cfg.method === "cumulative") {
          const less = element("button", "minus", "−");
          const more = element("button", "plus", "+");
          less.type = more.type = "button";
          less.setAttribute("aria-label", T("point_less") + ": " + p.title);
          more.setAttribute("aria-label", T("point_more") + ": " + p.title);
          less.addEventListener("click", () => setPoints(id, (voter.values.get(id) || 0) - 1));
          more.addEventListener("click", () => setPoints(id, (voter.values.get(id) || 0) + 1));
          const stepper = element("span", "stepper");
          stepper.append(less, element("output", "", "0"), more);
          li.append(text, stepper);
        } else {
          const pick = element("button", "pick");
          pick.type = "button";
          pick.setAttribute("aria-pressed", "false");
          pick.append(element("span", "mark"), text);
          pick.addEventListener("click", () => toggle(id));
          li.append(pick);
        }
        list.append(li);
      }
    }

    const spent = () => Array.from(voter.values.values()).reduce((a, b) => a + b, 0);
    const cost = () => Array.from(voter.values.keys()).reduce((a, id) => a + byId.get(id).cost, 0);

    function toggle(id) {
      const values = voter.values;
      setError("k-ballot-error", "");
      if (cfg.method === "ranking") {
        if (values.has(id)) { // out of the order; the ones below move up a place
          const place = values.get(id);
          values.delete(id);
          for (const [other, value] of values) if (value > place) values.set(other, value - 1);
        } else if (values.size >= cfg.depth) {
          setError("k-ballot-error", T("rule_depth", { k: cfg.depth }));
          return;
        } else values.set(id, values.size + 1);
      } else if (values.has(id)) values.delete(id);
      else values.set(id, 1);
      paintBallot();
    }

    function setPoints(id, value) {
      const others = spent() - (voter.values.get(id) || 0);
      if (value < 0 || others + value > cfg.points) return;
      if (value === 0) voter.values.delete(id);
      else voter.values.set(id, value);
      setError("k-ballot-error", "");
      paintBallot();
    }

    function paintBallot() {
      const values = voter.values;
      const used = spent();
      const left = cfg.amount - cost();
      root.querySelectorAll("#k-cards li").forEach((li) => {
        const id = Number(li.dataset.id);
        const value = values.get(id) || 0;
        li.classList.toggle("chosen", value > 0);
        const pick = li.querySelector(".pick");
        if (pick) {
          pick.setAttribute("aria-pressed", String(value > 0));
          li.querySelector(".mark").textContent = value ? (cfg.method === "ranking" ? String(value) : "✓") : "";
        } else {
          li.querySelector("output").textContent = String(value);
          li.querySelector(".minus").disabled = value === 0;
          li.querySelector(".plus").disabled = used >= cfg.points;
        }
        const fits = cfg.method !== "knapsack" || value > 0 || byId.get(id).cost <= left;
        li.classList.toggle("too-dear", !fits);
        li.querySelector(".note").textContent = fits ? "" : T("does_not_fit");
      });
      const tally = $("k-tally");
      if (cfg.method === "knapsack") tally.textContent = T("money_left", { money: money(left) }) + " · " + T("total", { money: money(cost()) });
      else if (cfg.method === "cumulative") tally.textContent = T("points_left", { n: cfg.points - used });
      else if (cfg.method === "ranking") tally.textContent = T("ranked", { n: values.size, k: cfg.depth });
      else tally.textContent = T("chosen", { n: values.size });
      tally.classList.toggle("over", cfg.method === "knapsack" && left < 0);
    }

    // the reasons of pb.voting.ballots.check_ballot, in its order, before anything is cast
    function check() {
      const values = voter.values;
      const count = values.size;
      if (!count) return T("rule_none");
      if (cfg.method === "approval") return checkCount(count);
      if (cfg.method === "knapsack") {
        return cost() > cfg.amount ? T("rule_money", { total: money(cost()), amount: money(cfg.amount) }) : null;
      }
      if (cfg.method === "cumulative") {
        return spent() > cfg.points ? T("rule_points", { spent: spent(), points: cfg.points }) : null;
      }
      if (count > cfg.depth) return T("rule_depth", { k: cfg.depth });
      const places = Array.from(values.values()).sort((a, b) => a - b);
      if (places.some((place, i) => place !== i + 1)) return T("rule_places");
      return checkCount(count);
    }
    function checkCount(count) {
      if (count < cfg.low) return T("rule_low", { n: cfg.low });
      if (count > cfg.high) return T("rule_high", { n: cfg.high });
      return null;
    }

    $("k-cancel").addEventListener("click", reset);
    $("k-review").addEventListener("click", () => {
      const why = check();
      if (why) { setError("k-ballot-error", why); return; }
      buildSummary();
      setError("k-confirm-error", "");
      show("confirm");
    });

    // confirmation
    function buildSummary() {
      const list = $("k-summary");
      list.replaceChildren();
      const entries = Array.from(voter.values.entries());
      if (cfg.method === "ranking") entries.sort((a, b) => a[1] - b[1]);
      else entries.sort((a, b) => voter.order.indexOf(a[0]) - voter.order.indexOf(b[0]));
      list.classList.toggle("ranked", cfg.method === "ranking");
      for (const [id, value] of entries) {
        const p = byId.get(id);
        const li = element("li");
        li.append(element("b", "", p.title), " ",
          element("small", "", cfg.method === "cumulative" ? T("points", { n: value }) : p.village + " · " + money(p.cost)));
        list.append(li);
      }
      $("k-summary-total").textContent = cfg.method === "knapsack" ? T("total", { money: money(cost()) }) : "";
    }
    $("k-change").addEventListener("click", () => show("ballot"));
    $("k-confirm").addEventListener("click", cast);

    async function cast() {
      if (casting || !voter || !voter.code) return;
      casting = true;
      $("k-confirm").disabled = true;
      const item = {
        kiosk: cfg.kiosk, key: newKey(), code: voter.code, receipt: newReceipt(),
        choices: Object.fromEntries(Array.from(voter.values, ([id, value]) => [String(id), value])),
        cast_at: localIso(new Date()),
      };
      try {
        // kept on the tablet before anything else: from here on, losing the connection loses nothing
        await tx("readwrite", (s) => { s.add(item); });
      } catch (err) { // this tablet cannot keep ballots: only an answer from the server may give a receipt
        let result = null;
        try {
          const answer = await post(cfg.urls.ballots, { items: [wire(item)] });
          result = answer.status === 200 && answer.json && answer.json.results ? answer.json.results[0] : null;
        } catch (e) { /* no connection either */ }
        if (!result) {
          setError("k-confirm-error", T("not_saved"));
          casting = false;
          $("k-confirm").disabled = false;
          return;
        }
        answers.set(item.key, result);
      }
      casting = false;
      $("k-confirm").disabled = false;
      showReceipt(item);
      await refresh();
      send();
    }

    // the receipt
    function showReceipt(item) {
      voter = null;
      shownItem = item;
      $("k-receipt").textContent = display(item.receipt);
      show("receipt");
      paintReceipt();
      let left = cfg.receipt_seconds;
      const tick = () => {
        $("k-receipt-timer").textContent = T("closes_in", { n: left });
        if (left-- <= 0) reset();
      };
      tick();
      receiptTimer = setInterval(tick, 1000);
    }
    function paintReceipt() {
      if (!shownItem || screen !== "receipt") return;
      const result = answers.get(shownItem.key);
      const state = $("k-receipt-state");
      if (!result) {
        state.textContent = T("pending");
        state.className = "receipt-state pending";
      } else if (result.status === "refused") {
        state.textContent = T("not_counted", { reason: T("refusal_" + result.reason) });
        state.className = "receipt-state refused";
      } else {
        state.textContent = T("counted");
        state.className = "receipt-state counted";
        if (result.receipt) $("k-receipt").textContent = result.receipt; // the server's, should it have made another
      }
    }
    afterSync = paintReceipt;
    $("k-done").addEventListener("click", reset);

    // idle: a warning with a countdown, then the unfinished ballot is cleared
    let lastTouch = Date.now();
    let idleShown = false;
    const touched = () => {
      lastTouch = Date.now();
      if (idleShown) hideIdle();
    };
    ["pointerdown", "keydown", "input", "wheel"].forEach((type) => document.addEventListener(type, touched, { capture: true, passive: true }));
    function hideIdle() {
      idleShown = false;
      $("k-idle").hidden = true;
    }
    setInterval(() => {
      if (!["code", "ballot", "confirm"].includes(screen) || casting) return;
      const quiet = (Date.now() - lastTouch) / 1000;
      if (quiet < cfg.idle) return;
      const left = Math.ceil(cfg.idle + cfg.warning - quiet);
      if (left <= 0) { reset(); return; }
      $("k-idle-text").textContent = T("idle_text", { n: left });
      if (!idleShown) {
        idleShown = true;
        $("k-idle").hidden = false;
        $("k-idle-continue").focus();
      }
    }, 250);
    $("k-idle-continue").addEventListener("click", hideIdle);
    setInterval(() => { if (screen === "start") paintOpen(); }, 30000);

    // keep the kiosk and its assets on the tablet, so that it opens again without a connection
    if ("serviceWorker" in navigator && cfg.urls.sw) {
      const first = !navigator.serviceWorker.controller; // later loads pass through the worker, which keeps them
      navigator.serviceWorker.register(cfg.urls.sw, { scope: cfg.urls.scope })
        .then(() => navigator.serviceWorker.ready)
        .then((reg) => { if (first && reg.active) reg.active.postMessage({ keep: cfg.urls.keep }); })
        .catch(() => {});
    }
    reset();
  }

  if (mode === "vote") vote();
  else if (mode === "exit") exitScreen();
  refresh().then(send);
})();

/* The voting kiosk's screens: one voter after another on a tablet at the hearing, with or without a
   connection: start, code, ballot, confirmation, receipt, and the idle warning. Everything the screens
   need, every language included, is in the page's #kiosk-data, so the kiosk-sw.js service worker can
   open it again offline. The kiosk's scripts share window.AsharKiosk: kiosk-words.js (the page's data,
   words, money, codes), kiosk-queue.js (the ballots kept in IndexedDB and sent when the server can be
   reached), kiosk-ballot.js (the ballot's cards, rules and summary), kiosk-scan.js (the slip's QR code)
   and this one, the last; kiosk-exit.js runs the exit screen instead. */
(() => {
  "use strict";
  const K = window.AsharKiosk;
  if (!K) return;
  const { cfg, root, mode, $, T, normalise, display, newReceipt, newKey, localIso, setError } = K;
  const Q = K.queue;

  function applyTexts() {
    document.documentElement.lang = K.lang;
    root.querySelectorAll("[data-t]").forEach((el) => {
      el.textContent = T(el.dataset.t, el.dataset.vars ? JSON.parse(el.dataset.vars) : undefined);
    });
    root.querySelectorAll("[data-lang]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === K.lang)));
    Q.paintStrip();
  }

  // --- the voter's screens ------------------------------------------------------------------------
  function vote() {
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
      K.lang = cfg.lang;
      applyTexts();
      $("k-code").value = "";
      $("k-receipt").textContent = ""; // nothing of the last voter stays on the tablet's screens
      $("k-receipt-state").textContent = "";
      $("k-cards").replaceChildren();
      $("k-summary").replaceChildren();
      setError("k-code-error", "");
      setError("k-confirm-error", "");
      paintOpen();
      show(Q.ended ? "ended" : "start");
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

    // staff may end the kiosk from the round's page: the voter on the receipt screen still reads whether
    // their ballot counted, then the ended screen stays, with what waits and what was refused
    Q.onChange = () => {
      if (Q.ended && !["ended", "receipt"].includes(screen) && !casting) show("ended");
      $("k-ended-waiting").textContent = Q.ended && Q.waiting ? T("ended_waiting", { n: Q.waiting }) : "";
    };
    function paintEnded() {
      if (Q.paintRefusals($("k-ended-refused"))) $("k-ended-refusals").hidden = false;
    }

    // start
    $("k-begin").addEventListener("click", () => {
      if (!paintOpen() || Q.ended) return;
      voter = { code: null };
      show("code");
    });
    root.querySelectorAll("[data-lang]").forEach((button) => button.addEventListener("click", () => {
      K.lang = button.dataset.lang;
      applyTexts();
      paintOpen();
    }));
    $("k-staff").addEventListener("click", (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      notice(Q.waiting ? T("exit_blocked", { n: Q.waiting }) : T("staff_offline"));
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
      if ((await Q.queued()).some((item) => item.code === code)) { setError("k-code-error", T("refusal_code_used")); return; }
      if (navigator.onLine) {
        setError("k-code-error", "");
        $("k-code-next").disabled = true;
        $("k-code-hint").textContent = T("code_checking");
        try {
          const answer = await Q.post(cfg.urls.codes, { code });
          Q.setOnline(true);
          const status = answer.json && answer.json.status;
          if (answer.status === 401) { Q.stop(); return; }
          if (answer.status === 429) { setError("k-code-error", T("too_many")); return; }
          if (answer.status === 200 && status === "not_open") { setError("k-code-error", T("not_open")); return; }
          if (answer.status === 200 && status && status !== "valid") {
            setError("k-code-error", T({ used: "refusal_code_used", void: "refusal_code_void" }[status] || "refusal_code_unknown"));
            return;
          }
          // valid, or the server could not say: the code is checked again when the ballot arrives
        } catch (err) {
          Q.setOnline(false);
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

    // scanning the slip's QR code, where the browser can (kiosk-scan.js)
    const stopScan = K.scanner(takeCode);

    // the ballot (kiosk-ballot.js)
    function startBallot() {
      K.ballot.start(voter);
      show("ballot");
    }
    $("k-cancel").addEventListener("click", reset);
    $("k-review").addEventListener("click", () => {
      const why = K.ballot.check(voter);
      if (why) { setError("k-ballot-error", why); return; }
      K.ballot.buildSummary(voter);
      setError("k-confirm-error", "");
      show("confirm");
    });

    // confirmation
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
        await Q.add(item);
      } catch (err) { // this tablet cannot keep ballots: only an answer from the server may give a receipt
        let result = null;
        try {
          const answer = await Q.post(cfg.urls.ballots, { items: [Q.wire(item)] });
          result = answer.status === 200 && answer.json && answer.json.results ? answer.json.results[0] : null;
        } catch (e) { /* no connection either */ }
        if (!result) {
          setError("k-confirm-error", T("not_saved"));
          casting = false;
          $("k-confirm").disabled = false;
          return;
        }
        Q.answers.set(item.key, result);
      }
      casting = false;
      $("k-confirm").disabled = false;
      showReceipt(item);
      await Q.refresh();
      Q.send();
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
      const result = Q.answers.get(shownItem.key);
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
    Q.onSync = () => { paintReceipt(); paintEnded(); };
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
})();

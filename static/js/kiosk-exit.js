/* The kiosk's exit screen (data-mode="exit"): staff may log in, and so end the kiosk, only once nothing
   waits on the tablet; the ballots refused while it is open are added to the report. Also the page of
   an ended kiosk (data-mode="ended"), which sends what waits and lists what was refused. Needs
   kiosk-words.js and kiosk-queue.js. */
(() => {
  "use strict";
  const K = window.AsharKiosk;
  if (!K) return;
  const { mode, $, T } = K;
  const Q = K.queue;
  const CACHE = "ashar-kiosk-"; // the start of the service worker's cache names (kiosk-sw.js)

  function exitScreen() {
    const form = $("exit-form");
    const button = $("exit-submit");
    const state = $("exit-queue");
    Q.onChange = () => {
      if (Q.waiting > 0) {
        button.disabled = true;
        state.textContent = Q.syncing && Q.online ? T("exit_sending", { n: Q.waiting }) : T("exit_blocked", { n: Q.waiting });
        state.className = "queue-state blocked";
      } else {
        button.disabled = false;
        state.textContent = T("exit_ready");
        state.className = "queue-state ready";
      }
    };
    Q.onSync = () => {
      if (Q.paintRefusals($("refusals"))) $("no-refusals").hidden = true;
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await Q.send(); // a last try: staff may log in only once nothing waits on the tablet
      if (Q.waiting > 0) return;
      if (!navigator.onLine) { state.textContent = T("staff_offline"); return; }
      // the kiosk's pages leave the tablet with the kiosk (if the login fails, they are fetched again);
      // an older service worker's cache too, should the tablet not have its new one yet
      if (window.caches) {
        await caches.keys().then((names) => Promise.all(names.filter((name) => name.startsWith(CACHE))
          .map((name) => caches.delete(name)))).catch(() => {});
      }
      form.submit();
    });
    button.disabled = true; // until the queue has been counted
  }

  // an ended kiosk: what waits is still sent (cast before the end, it counts; after, it is refused)
  function endedScreen() {
    const note = $("k-ended-note");
    Q.onChange = () => {
      note.textContent = Q.waiting > 0 ? T("ended_waiting", { n: Q.waiting }) : T("exit_ready");
    };
    Q.onSync = () => {
      if (Q.paintRefusals($("refusals"))) $("refusals-part").hidden = false;
    };
  }

  if (mode === "exit") exitScreen();
  else if (mode === "ended") endedScreen();
})();

/* The voting kiosk's common ground, the first of its scripts on each of its pages: the page's data
   (#kiosk-data, every language included), the words in the voter's language, money, codes, receipts
   and the tablet's clock. It makes window.AsharKiosk, the one object the kiosk's scripts share; the
   others (kiosk-queue.js, then kiosk-ballot.js, kiosk-scan.js and kiosk.js, or kiosk-exit.js) do
   nothing without it. */
(() => {
  "use strict";
  const root = document.getElementById("kiosk");
  const source = document.getElementById("kiosk-data");
  if (!root || !source || !window.fetch) return;
  const cfg = JSON.parse(source.textContent);
  const $ = (id) => document.getElementById(id);
  const setError = (id, text) => { $(id).textContent = text || ""; };
  // the voter's language: kiosk.js changes K.lang, and every text is read through T
  const K = { cfg, root, mode: root.dataset.mode, lang: cfg.lang };

  // --- words, numbers, codes ----------------------------------------------------------------------
  const table = () => cfg.texts[K.lang] || cfg.texts[cfg.lang];
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

  window.AsharKiosk = Object.assign(K, { $, setError, T, money, normalise, display, randomBelow, newReceipt, newKey, localIso });
})();

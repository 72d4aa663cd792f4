/* The ballot on the kiosk's screen: the proposals as cards in a new random order for each voter, the
   choices as the round's method takes them (approval, knapsack, cumulative points, ranking), the tally,
   the round's rules checked before anything is cast, and the summary the voter confirms. Needs
   kiosk-words.js; kiosk.js runs it through K.ballot, with the voter ({code, order, values}) it holds. */
(() => {
  "use strict";
  const K = window.AsharKiosk;
  if (!K) return;
  const { cfg, root, $, T, money, randomBelow, setError } = K;
  const byId = new Map(cfg.proposals.map((p) => [p.id, p]));

  // the proposals in a new random order for each voter
  function shuffle(list) {
    const out = list.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = randomBelow(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  function start(voter) {
    voter.order = shuffle(cfg.proposals.map((p) => p.id));
    voter.values = new Map(); // id → 1, points or place
    buildCards(voter);
    paintBallot(voter);
    setError("k-ballot-error", "");
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function buildCards(voter) {
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
        less.addEventListener("click", () => setPoints(voter, id, (voter.values.get(id) || 0) - 1));
        more.addEventListener("click", () => setPoints(voter, id, (voter.values.get(id) || 0) + 1));
        const stepper = element("span", "stepper");
        stepper.append(less, element("output", "", "0"), more);
        li.append(text, stepper);
      } else {
        const pick = element("button", "pick");
        pick.type = "button";
        pick.setAttribute("aria-pressed", "false");
        pick.append(element("span", "mark"), text);
        pick.addEventListener("click", () => toggle(voter, id));
        li.append(pick);
      }
      list.append(li);
    }
  }

  const spent = (voter) => Array.from(voter.values.values()).reduce((a, b) => a + b, 0);
  const cost = (voter) => Array.from(voter.values.keys()).reduce((a, id) => a + byId.get(id).cost, 0);

  function toggle(voter, id) {
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
    paintBallot(voter);
  }

  function setPoints(voter, id, value) {
    const others = spent(voter) - (voter.values.get(id) || 0);
    if (value < 0 || others + value > cfg.points) return;
    if (value === 0) voter.values.delete(id);
    else voter.values.set(id, value);
    setError("k-ballot-error", "");
    paintBallot(voter);
  }

  function paintBallot(voter) {
    const values = voter.values;
    const used = spent(voter);
    const left = cfg.amount - cost(voter);
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
    if (cfg.method === "knapsack") tally.textContent = T("money_left", { money: money(left) }) + " · " + T("total", { money: money(cost(voter)) });
    else if (cfg.method === "cumulative") tally.textContent = T("points_left", { n: cfg.points - used });
    else if (cfg.method === "ranking") tally.textContent = T("ranked", { n: values.size, k: cfg.depth });
    else tally.textContent = T("chosen", { n: values.size });
    tally.classList.toggle("over", cfg.method === "knapsack" && left < 0);
  }

  // the reasons of pb.voting.ballots.check_ballot, in its order, before anything is cast
  function check(voter) {
    const values = voter.values;
    const count = values.size;
    if (!count) return T("rule_none");
    if (cfg.method === "approval") return checkCount(count);
    if (cfg.method === "knapsack") {
      return cost(voter) > cfg.amount ? T("rule_money", { total: money(cost(voter)), amount: money(cfg.amount) }) : null;
    }
    if (cfg.method === "cumulative") {
      return spent(voter) > cfg.points ? T("rule_points", { spent: spent(voter), points: cfg.points }) : null;
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

  // confirmation
  function buildSummary(voter) {
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
    $("k-summary-total").textContent = cfg.method === "knapsack" ? T("total", { money: money(cost(voter)) }) : "";
  }

  K.ballot = { start, check, buildSummary };
})();

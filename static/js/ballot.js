/* The ballot's live counter: the money, points or choices left as the voter marks (knapsack, cumulative,
   approval), or two proposals given the same place (ranking). Only a help: the server checks every ballot,
   and the page works without this script. The words come from the page's data-* attributes, translated. */
(function () {
  "use strict";

  function fill(template, value) {
    return (template || "").replace("{n}", value);
  }

  function setup(form) {
    var out = document.getElementById("ballot-left");
    if (!out) { return; }
    var data = form.dataset;
    var method = data.method;
    var amount = parseFloat(data.amount);
    var points = parseInt(data.points, 10);
    var high = parseInt(data.high, 10);
    var numbers;
    try {
      numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, {maximumFractionDigits: 0});
    } catch (e) {
      numbers = new Intl.NumberFormat();
    }
    function money(n) { return fill(data.money, numbers.format(n)); }

    function count(selector, read) {
      var total = 0;
      form.querySelectorAll(selector).forEach(function (el) { total += read(el); });
      return total;
    }

    function update() {
      var over = false, text, left, chosen;
      if (method === "knapsack") {
        left = amount - count("input[type=checkbox]:checked", function (el) { return parseFloat(el.dataset.cost) || 0; });
        over = left < 0;
        text = over ? fill(data.over, money(-left)) : fill(data.left, money(left));
      } else if (method === "cumulative") {
        left = points - count("input.points", function (el) {
          var n = parseInt(el.value, 10);
          return n > 0 ? n : 0;
        });
        over = left < 0;
        text = fill(over ? data.over : data.left, numbers.format(Math.abs(left)));
      } else if (method === "approval") {
        chosen = form.querySelectorAll("input[type=checkbox]:checked").length;
        over = chosen > high;
        text = over ? fill(data.over, chosen - high) : fill(data.left, chosen);
      } else {
        var seen = {};
        chosen = 0;
        form.querySelectorAll("select.place").forEach(function (el) {
          if (!el.value) { return; }
          chosen += 1;
          if (seen[el.value]) { over = true; }
          seen[el.value] = true;
        });
        text = over ? data.samePlace : fill(data.left, chosen);
      }
      out.textContent = text;
      out.classList.toggle("over", over);
      out.hidden = false;
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  var ballot = document.getElementById("ballot");
  if (ballot) { setup(ballot); }

  // A second tap on "Confirm" while the first is on its way is not sent again (it would count once
  // anyway: the form carries one key); after a while a tap goes through, should the first have failed.
  document.querySelectorAll("form[data-confirm-once]").forEach(function (form) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (sent) { event.preventDefault(); return; }
      sent = true;
      window.setTimeout(function () { sent = false; }, 8000);
    });
  });
})();

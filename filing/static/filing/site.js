// Small enhancements; every page works without them.
(function () {
  "use strict";
  // Field picker: clicking a suggestion fills the input with the item's code.
  document.addEventListener("click", function (event) {
    var option = event.target.closest(".field-option");
    if (!option) return;
    var picker = option.closest(".field-picker");
    picker.querySelector("input").value = option.dataset.code;
    picker.querySelector(".field-picker-chosen").textContent = option.dataset.path;
    picker.querySelector(".field-picker-results").innerHTML = "";
  });
  // Field picker: the search is asked for what is typed, as q, whatever the input's own name.
  // (Not hx-vals="js:{q: event.target.value}": with the trigger's delay the request is made
  // from a timer, where no event is current, and htmx then stays stuck on the failed request.)
  document.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (input.classList && input.classList.contains("field-picker-input")) {
      event.detail.parameters.q = input.value;
    }
  });
  // Countdowns tick once a minute; the server rendered the first value.
  var lang = document.documentElement.lang;
  function render(el) {
    var left = new Date(el.dataset.deadline) - new Date();
    if (left <= 0) { el.textContent = lang === "en" ? "closed" : "已截止"; return; }
    var d = Math.floor(left / 86400000), h = Math.floor(left % 86400000 / 3600000), m = Math.floor(left % 3600000 / 60000);
    var text = d ? (lang === "en" ? d + " d " + h + " h" : d + " 天 " + h + " 小时") : (lang === "en" ? h + " h " + m + " min" : h + " 小时 " + m + " 分");
    el.textContent = (lang === "en" ? "left: " : "剩余 ") + text;
  }
  // Live character counts: "128/200", red when over the limit (the server checks too).
  function count(el) {
    var note = document.querySelector('.char-count[data-for="' + el.id + '"]');
    if (!note) return;
    var max = parseInt(el.dataset.maxChars, 10);
    var n = Array.from(el.value.replace(/[\r\n]/g, "")).length;
    note.textContent = n + "/" + max;
    note.classList.toggle("over", n > max);
  }
  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.maxChars) count(event.target);
  });
  // Computed values come back from the server as a fragment; copy them into their places.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "computed-values") return;
    event.target.querySelectorAll("output[data-computed-for]").forEach(function (out) {
      var shown = document.getElementById(out.dataset.computedFor);
      if (shown) shown.textContent = out.textContent;
    });
  });
  function tick() { document.querySelectorAll(".countdown[data-deadline]").forEach(render); }
  setInterval(tick, 60000);
})();

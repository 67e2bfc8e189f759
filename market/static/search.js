// As-you-type suggestions for the search page (GET /api/search/suggest). No dependencies.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (!input || !list) { return; }
  var timer = null;
  var last = "";

  function clear() { list.innerHTML = ""; list.hidden = true; }

  function show(items) {
    list.innerHTML = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      if (item.kind === "scenario") {
        a.href = "/search?scenarios=" + encodeURIComponent(item.text);
        a.textContent = "场景：" + item.text;
      } else {
        a.href = "/search?q=" + encodeURIComponent(item.text);
        a.textContent = item.text;
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (q === last) { return; }
    last = q;
    if (!q) { clear(); return; }
    fetch("/api/search/suggest?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (body) { if (input.value.trim() === q) { show(body.suggestions || []); } })
      .catch(clear);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (e) { if (e.key === "Escape") { clear(); } });
  document.addEventListener("click", function (e) { if (!list.contains(e.target) && e.target !== input) { clear(); } });
})();

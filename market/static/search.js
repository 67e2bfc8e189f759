// As-you-type suggestions for every search box (GET /api/search/suggest). No dependencies.
// Arrow keys move through the list, Enter opens the chosen one, Escape closes it; a product
// suggestion opens the product, a scenario one its listings.
(function () {
  "use strict";

  function attach(form) {
    var input = form.querySelector("input[type=search]");
    if (!input) { return; }
    var list = form.querySelector("ul.suggestions");
    if (!list) {
      list = document.createElement("ul");
      list.className = "suggestions";
      list.hidden = true;
      list.setAttribute("role", "listbox");
      list.id = input.id + "-suggestions";
      form.appendChild(list);
    }
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    var timer = null, last = "", active = -1;

    function clear() { list.innerHTML = ""; list.hidden = true; active = -1; }

    function link(item) {
      if (item.kind === "scenario") {
        return { href: "/search?scenarios=" + encodeURIComponent(item.text), text: "场景：" + item.text };
      }
      return { href: item.id ? "/solutions/" + item.id : "/search?q=" + encodeURIComponent(item.text), text: item.text };
    }

    function show(items) {
      list.innerHTML = "";
      active = -1;
      items.forEach(function (item) {
        var target = link(item);
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = target.href;
        a.textContent = target.text;
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }

    function highlight(step) {
      var options = list.querySelectorAll("li");
      if (!options.length) { return; }
      if (active >= 0) { options[active].classList.remove("active"); }
      active = (active + step + options.length) % options.length;
      options[active].classList.add("active");
      options[active].setAttribute("aria-selected", "true");
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
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { clear(); }
      else if (e.key === "ArrowDown" && !list.hidden) { e.preventDefault(); highlight(1); }
      else if (e.key === "ArrowUp" && !list.hidden) { e.preventDefault(); highlight(-1); }
      else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        window.location.href = list.querySelectorAll("li a")[active].href;
      }
    });
    document.addEventListener("click", function (e) {
      if (!list.contains(e.target) && e.target !== input) { clear(); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[role=search]"), attach);
})();

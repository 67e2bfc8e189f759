// 数转通 — small page behaviours. No inline scripts (the CSP forbids them); every page
// works without this file, it only adds confirmations and "select all".
(function () {
  "use strict";

  // A form or button with data-confirm asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // A checkbox with data-select-all="name" ticks every checkbox called `name` in its form.
  document.addEventListener("change", function (event) {
    var box = event.target;
    var name = box.getAttribute && box.getAttribute("data-select-all");
    if (!name || !box.form) {
      return;
    }
    var boxes = box.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    boxes.forEach(function (other) { other.checked = box.checked; });
  });

  // A bulk form shows how many rows are ticked on its submit buttons' label.
  function updateCount(form) {
    var label = form.querySelector("[data-selected-count]");
    if (!label) {
      return;
    }
    var ticked = form.querySelectorAll('input[type="checkbox"][name="ids"]:checked').length;
    label.textContent = "已选 " + ticked + " 项";
  }
  document.addEventListener("change", function (event) {
    if (event.target.form) {
      updateCount(event.target.form);
    }
  });
  document.querySelectorAll("form[data-bulk]").forEach(updateCount);

  // Filter panels start folded on phones, so the results come first.
  if (window.matchMedia("(max-width: 820px)").matches) {
    document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (box) {
      box.removeAttribute("open");
    });
  }
})();

// Event console: edit the schedule grid (table × slot) with the conflicts on screen first.
// Selecting a meeting asks the server for every cell (GET …/meetings/options); cells turn
// green (a move, or a swap with the meeting there) or red (with the reasons as the cell's
// title and in the hint line). Clicking a green cell makes the edit through the JSON API and
// reloads the page. No dependencies, no inline script (the CSP forbids it); without it the
// forms under "不用鼠标调整" do the same.
(function () {
  "use strict";
  var grid = document.getElementById("grid");
  var editor = document.getElementById("grid-editor");
  if (!grid || !editor) { return; }
  var eventId = grid.getAttribute("data-event");
  var hint = document.getElementById("grid-hint");
  var tokenField = document.querySelector("input[name=csrf_token]");
  var token = tokenField ? tokenField.value : "";
  var selected = null;   // the selected meeting button
  var options = {};      // "slot:table" → cell option from the server

  function cells() { return grid.querySelectorAll("td.grid-cell"); }
  function key(slot, table) { return slot + ":" + table; }

  function say(text, isError) {
    hint.textContent = text;
    hint.className = isError ? "error" : "";
  }

  function clearMarks() {
    cells().forEach(function (td) {
      td.classList.remove("cell-ok", "cell-conflict", "cell-here");
      td.removeAttribute("title");
      td.removeAttribute("tabindex");
    });
    document.querySelectorAll(".meeting.selected").forEach(function (b) { b.classList.remove("selected"); });
  }

  function deselect() {
    clearMarks();
    selected = null;
    options = {};
    editor.hidden = true;
  }

  function api(method, path, body) {
    var init = { method: method, credentials: "same-origin",
                 headers: { "Accept": "application/json", "X-CSRF-Token": token } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch("/api/events/" + eventId + path, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { throw new Error(data.message || ("操作失败（HTTP " + r.status + "）")); }
        return data;
      });
    });
  }

  function mark(data) {
    var free = 0, swaps = 0;
    data.cells.forEach(function (cell) {
      options[key(cell.slot, cell.table)] = cell;
      var td = grid.querySelector('td[data-slot="' + cell.slot + '"][data-table="' + cell.table + '"]');
      if (!td) { return; }
      if (cell.action === "here") {
        td.classList.add("cell-here");
      } else if (cell.ok) {
        td.classList.add("cell-ok");
        td.setAttribute("tabindex", "0");
        td.title = cell.action === "swap" ? "可与该场约见交换" : "可移到此处";
        if (cell.action === "swap") { swaps += 1; } else { free += 1; }
      } else {
        td.classList.add("cell-conflict");
        td.title = cell.conflicts.join("；");
      }
    });
    say("已选约见 #" + data.request_id + "：可移入 " + free + " 个空格，可交换 " + swaps + " 处；红色格子有冲突。", false);
  }

  function select(button) {
    deselect();
    selected = button;
    button.classList.add("selected");
    editor.hidden = false;
    var placed = button.hasAttribute("data-meeting");
    document.getElementById("grid-unschedule").hidden = !placed;
    document.getElementById("grid-cancel-meeting").hidden = !placed;
    say("正在检查可放入的格子……", false);
    api("GET", "/meetings/options?request_id=" + button.getAttribute("data-request"))
      .then(mark)
      .catch(function (err) { say(err.message, true); });
  }

  function apply(td) {
    var option = options[key(td.getAttribute("data-slot"), td.getAttribute("data-table"))];
    if (!selected || !option || option.action === "here") { return; }
    if (!option.ok) {
      say("不能放在这里：" + option.conflicts.join("；"), true);
      return;
    }
    var done = option.action === "swap"
      ? api("POST", "/meetings/swap", { first_id: Number(selected.getAttribute("data-meeting")),
                                        second_id: option.occupant_meeting_id })
      : api("POST", "/meetings/move", { request_id: Number(selected.getAttribute("data-request")),
                                        slot: option.slot, table: option.table });
    say("正在保存……", false);
    done.then(function () { window.location.reload(); })
        .catch(function (err) { say(err.message, true); });
  }

  function unschedule(cancel) {
    if (!selected || !selected.hasAttribute("data-meeting")) { return; }
    var what = cancel ? "取消该约见并释放时段" : "把该约见移出日程";
    if (!window.confirm("确定要" + what + "吗？")) { return; }
    api("POST", "/meetings/" + selected.getAttribute("data-meeting") + "/unschedule", { cancel: cancel })
      .then(function () { window.location.reload(); })
      .catch(function (err) { say(err.message, true); });
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("button.meeting") : null;
    if (button) {
      var isTarget = selected && selected !== button && button.closest("td.grid-cell");
      if (!isTarget) { select(button); return; }
    }
    var td = e.target.closest ? e.target.closest("td.grid-cell") : null;
    if (td && selected) { apply(td); }
  });
  grid.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && e.target.matches && e.target.matches("td.grid-cell")) {
      e.preventDefault();
      apply(e.target);
    }
  });
  grid.addEventListener("mouseover", function (e) {
    var td = e.target.closest ? e.target.closest("td.cell-conflict") : null;
    if (td && selected) { say("冲突：" + td.title, true); }
  });
  document.getElementById("grid-unschedule").addEventListener("click", function () { unschedule(false); });
  document.getElementById("grid-cancel-meeting").addEventListener("click", function () { unschedule(true); });
  document.getElementById("grid-deselect").addEventListener("click", deselect);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { deselect(); } });
})();

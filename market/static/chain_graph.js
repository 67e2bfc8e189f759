// The chain as an interactive SVG graph, drawn by hand (no library, nothing from the internet).
// Radial tree: the leader in the centre, tier 1 on the first ring, tier 2 on the next …;
// colour = digital level, size = share of the leader's purchases. Click a node for details;
// wheel zooms, drag pans.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var LEVEL_COLOURS = { "未评测": "#9e9e9e", "一级": "#e4572e", "二级": "#f3a712", "三级": "#29a36a", "四级": "#2b6cb0" };
  var LEADER_COLOUR = "#37306b";
  var RING = 150;
  var TIERS = "零一二三四五六七八九";

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function radius(node) {
    if (node.is_leader) { return 18; }
    var share = node.effective_share || node.share || 0;
    return 6 + 16 * Math.sqrt(Math.min(1, share));
  }

  function layout(data) {
    var children = {}, byId = {}, root = data.leader_id;
    data.nodes.forEach(function (n) { byId[n.id] = n; children[n.id] = []; });
    data.edges.forEach(function (e) { if (children[e.source]) { children[e.source].push(e.target); } });
    var leaves = {};
    function countLeaves(id) {
      var kids = children[id] || [];
      leaves[id] = kids.length ? kids.reduce(function (s, k) { return s + countLeaves(k); }, 0) : 1;
      return leaves[id];
    }
    countLeaves(root);
    var pos = {};
    function place(id, depth, from, to) {
      var angle = (from + to) / 2;
      pos[id] = { x: depth * RING * Math.cos(angle), y: depth * RING * Math.sin(angle), depth: depth };
      var start = from;
      (children[id] || []).forEach(function (k) {
        var span = (to - from) * leaves[k] / leaves[id];
        place(k, depth + 1, start, start + span);
        start += span;
      });
    }
    place(root, 0, 0, 2 * Math.PI);
    return { pos: pos, byId: byId };
  }

  function describe(node) {
    var parts = [node.name, node.is_leader ? "链主" : (TIERS.charAt(node.tier) + "级配套 · " + (node.relation || "")),
      "数字化水平：" + node.level, "城市：" + node.city];
    if (node.share !== null && node.share !== undefined) { parts.push("采购占比：" + Math.round(node.share * 100) + "%"); }
    if (node.chains && node.chains.length > 1) { parts.push("同时在 " + node.chains.length + " 条产业链中"); }
    parts.push(node.needs_count === null || node.needs_count === undefined ? "需求：未开放" : "需求：" + node.needs_count + " 条");
    if (node.progress) {
      parts.push("对接进展：" + Object.keys(node.progress).map(function (k) { return k + " " + node.progress[k]; }).join("、"));
    }
    return parts.join(" ｜ ");
  }

  function legend(box) {
    var svg = el("svg", { "class": "chain-legend", viewBox: "0 0 460 20", role: "img", "aria-label": "图例" });
    var items = [["链主", LEADER_COLOUR]].concat(Object.keys(LEVEL_COLOURS).map(function (k) { return [k, LEVEL_COLOURS[k]]; }));
    items.forEach(function (item, i) {
      el("circle", { cx: 8 + i * 74, cy: 10, r: 6, fill: item[1] }, svg);
      el("text", { x: 18 + i * 74, y: 14 }, svg).textContent = item[0];
    });
    box.parentNode.insertBefore(svg, box.nextSibling);
  }

  function bounds(pos) {
    var keys = Object.keys(pos), b = { x0: -40, y0: -40, x1: 40, y1: 40 };
    keys.forEach(function (k) {
      b.x0 = Math.min(b.x0, pos[k].x); b.x1 = Math.max(b.x1, pos[k].x);
      b.y0 = Math.min(b.y0, pos[k].y); b.y1 = Math.max(b.y1, pos[k].y);
    });
    return { x: b.x0 - 40, y: b.y0 - 30, w: b.x1 - b.x0 + 200, h: b.y1 - b.y0 + 60 };
  }

  function draw(box, data) {
    var placed = layout(data);
    var view = bounds(placed.pos);
    var svg = el("svg", { role: "img", "aria-label": data.leader_name + " 的产业链图" });
    box.textContent = "";
    box.appendChild(svg);
    var scene = el("g", {}, svg);
    legend(box);
    function setView() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
    setView();
    data.edges.forEach(function (e) {
      var a = placed.pos[e.source], b = placed.pos[e.target];
      if (!a || !b) { return; }
      var cls = "edge" + (e.relation === "客户" ? " customer" : "") + (e.relation === "外协" ? " outsourcing" : "");
      el("line", { "class": cls, x1: a.x, y1: a.y, x2: b.x, y2: b.y }, scene);
    });
    var detail = document.getElementById("chain-graph-detail");
    var selected = null;
    data.nodes.forEach(function (n) {
      var p = placed.pos[n.id];
      if (!p) { return; }
      var c = el("circle", { "class": "node", cx: p.x, cy: p.y, r: radius(n), fill: n.is_leader ? LEADER_COLOUR : (LEVEL_COLOURS[n.level] || "#9e9e9e"), "data-id": n.id, tabindex: 0 }, scene);
      el("title", {}, c).textContent = describe(n);
      function pick() {
        if (selected) { selected.classList.remove("selected"); }
        selected = c;
        c.classList.add("selected");
        if (detail) { detail.textContent = describe(n); }
      }
      c.addEventListener("click", pick);
      c.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { pick(); } });
      if (data.nodes.length <= 60 || n.is_leader) {
        el("text", { "class": "label", x: p.x + radius(n) + 3, y: p.y + 4 }, scene).textContent = n.name.replace(/(股份)?有限(责任)?公司$/, "");
      }
    });
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var k = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
      var cx = view.x + view.w / 2, cy = view.y + view.h / 2;
      view.w *= k; view.h *= k; view.x = cx - view.w / 2; view.y = cy - view.h / 2;
      setView();
    }, { passive: false });
    var drag = null;
    svg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY }; });
    window.addEventListener("mouseup", function () { drag = null; });
    svg.addEventListener("mousemove", function (ev) {
      if (!drag) { return; }
      var scale = view.w / (svg.clientWidth || 1);
      view.x -= (ev.clientX - drag.x) * scale; view.y -= (ev.clientY - drag.y) * scale;
      drag = { x: ev.clientX, y: ev.clientY };
      setView();
    });
    box.setAttribute("data-ready", String(data.nodes.length));
  }

  function start() {
    var box = document.getElementById("chain-graph");
    if (!box) { return; }
    box.textContent = "正在加载产业链图…";
    fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) { draw(box, data); })
      .catch(function () { box.textContent = "产业链图加载失败，请刷新页面重试。"; });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());

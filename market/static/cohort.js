// Cohort page: follows a running cohort-matching job (GET /api/jobs/{id}) and reloads the
// page when it has finished, so the server renders the allocation and the gap report.
// No dependencies, no inline script (the CSP forbids it); without it the page still works
// through its "刷新" link.
(function () {
  "use strict";
  var box = document.getElementById("cohort-job");
  if (!box) { return; }
  var url = box.getAttribute("data-job-url");
  var status = box.getAttribute("data-status");
  if (!url || (status !== "排队中" && status !== "运行中")) { return; }
  var bar = document.getElementById("job-progress");
  var label = document.getElementById("job-progress-text");
  var statusText = document.getElementById("job-status");
  var delay = 500;
  var failures = 0;

  function show(job) {
    if (statusText) { statusText.textContent = job.status; }
    if (bar) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
    if (label) {
      if (job.status === "排队中") {
        label.textContent = "排队等待中……";
      } else if (job.total && job.done >= job.total) {
        label.textContent = "需求已全部评分，正在按服务商容量分配……";
      } else {
        label.textContent = "已匹配需求 " + job.done + " / " + (job.total || "…") + "（" + job.percent + "%）";
      }
    }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (job) {
        failures = 0;
        show(job);
        if (job.status === "已完成" || job.status === "失败") {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.5, 3000);
        setTimeout(poll, delay);
      })
      .catch(function () {
        failures += 1;
        if (label && failures >= 3) { label.textContent = "暂时无法获取进度，正在重试……"; }
        setTimeout(poll, 3000);
      });
  }

  setTimeout(poll, delay);
})();

/* Small helpers: charts from data attributes (ECharts, vendored), copy buttons. */
(function () {
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var spec = JSON.parse(el.dataset.chart);
      var chart = echarts.init(el, null, { renderer: "svg" });
      var series = (spec.series || []).map(function (s) {
        return { name: s.name, type: s.type || spec.type || "bar", data: s.data, smooth: true,
                 label: { show: spec.labels !== false && (s.type || spec.type) !== "line", position: "top" } };
      });
      chart.setOption({
        title: { text: spec.title || "", left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" }, legend: { bottom: 0 }, color: ["#b3261e", "#1f4e8c", "#e0a030", "#2e7d32"],
        grid: { left: 50, right: 20, top: 40, bottom: 50, containLabel: true },
        xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.rotate || 0 } },
        yAxis: { type: "value", name: spec.unit || "" }, series: series, animation: false
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  function drawOptions(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-option]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var chart = echarts.init(el, null, { renderer: "svg" });
      var option = JSON.parse(el.dataset.option);
      option.animation = false;
      chart.setOption(option);
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  function copyButtons(root) {
    root.querySelectorAll("[data-copy]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var text = document.querySelector(btn.dataset.copy).innerText;
        var done = function () { btn.textContent = "已复制"; setTimeout(function () { btn.textContent = "复制"; }, 1500); };
        if (navigator.clipboard) { navigator.clipboard.writeText(text).then(done, done); }
        else { var t = document.createElement("textarea"); t.value = text; document.body.appendChild(t); t.select(); document.execCommand("copy"); t.remove(); done(); }
      });
    });
  }
  // no inline handlers anywhere (the Content-Security-Policy forbids them): behaviour is bound here
  function formHelpers(root) {
    root.querySelectorAll("select[data-region-submit]").forEach(function (sel) {
      sel.addEventListener("change", function () {
        sel.form.region.value = sel.selectedOptions[0].dataset.region;
        sel.form.submit();
      });
    });
    root.querySelectorAll("a[data-back]").forEach(function (a) {
      a.addEventListener("click", function (e) { if (history.length > 1) { e.preventDefault(); history.back(); } });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document); drawOptions(document); copyButtons(document); formHelpers(document);
  });
  document.addEventListener("htmx:afterSettle", function (e) { drawCharts(e.target); drawOptions(e.target); copyButtons(e.target); });
})();

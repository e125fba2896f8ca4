// A notice's status is computed when the site is built; a reader may open
// the page days later. Recompute it from the printed dates on the reader's
// own clock, in China's time zone, so a finished notice never shows as open.
(function () {
  function todayInChina() {
    var parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    }).format(new Date());
    return parts; // YYYY-MM-DD
  }
  // Wide tables scroll inside their wrapper; keyboard users must be able to reach and scroll it (WCAG 2.1.1).
  function focusableTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (el) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "表格（可左右滚动）");
    });
  }
  function update() {
    focusableTables();
    var today = todayInChina();
    document.querySelectorAll(".gk-status[data-first][data-last]").forEach(function (el) {
      var status = today < el.dataset.first ? "即将公示" : today <= el.dataset.last ? "正在公示" : "已结束";
      el.textContent = status;
      el.dataset.status = status;
    });
  }
  if (window.document$) {
    window.document$.subscribe(update); // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", update);
  }
})();

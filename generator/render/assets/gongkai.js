// A notice's status is computed when the site is built; a reader may open
// the page days later. Recompute it from the printed dates on the reader's
// own clock, in China's time zone, so a finished notice never shows as open.
// Also: the menu button works from the keyboard, tables keep every column on a phone,
// a printed page says when it was printed, and the 适老化 switch (large text, high contrast) is remembered.
(function () {
  var ELDER = "gongkai-elder";  // the same key main.html reads in the head, before the page is drawn
  function elderChosen() {
    try { return localStorage.getItem(ELDER) === "on"; } catch (error) { return false; }  // storage may be off
  }
  function showElder(on) {
    document.documentElement.toggleAttribute("data-gk-elder", on);
    document.querySelectorAll(".gk-elder").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  // One switch for the whole site: the portal and every office's section share the origin, so the choice
  // follows the reader from page to page on this device.
  function elderSwitch() {
    document.querySelectorAll(".gk-elder").forEach(function (button) {
      button.hidden = false;  // without JavaScript it could not work, so it is not shown
      if (button.dataset.ready) return;
      button.dataset.ready = "true";
      button.addEventListener("click", function () {
        var on = !document.documentElement.hasAttribute("data-gk-elder");
        try { localStorage.setItem(ELDER, on ? "on" : "off"); } catch (error) { /* this page only */ }
        showElder(on);
      });
    });
    showElder(elderChosen());
  }
  function todayInChina() {
    var parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    }).format(new Date());
    return parts; // YYYY-MM-DD
  }
  function headingBefore(el) {
    for (var node = el.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) return node.textContent.trim();
    }
    var h1 = document.querySelector(".md-content h1");
    return h1 ? h1.textContent.trim() : "";
  }
  // Wide tables scroll inside their wrapper; keyboard users must be able to reach and scroll it (WCAG 2.1.1).
  // Each region is named after its heading (and numbered when a heading has several), so landmarks stay unique.
  function focusableTables() {
    var seen = {};
    document.querySelectorAll(".md-typeset__scrollwrap, .gk-report-wrap").forEach(function (el) {
      var name = "表格：" + headingBefore(el);
      seen[name] = (seen[name] || 0) + 1;
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", name + (seen[name] > 1 ? "（" + seen[name] + "）" : ""));
    });
  }
  // On a phone, a row of a plain table stacks as "label: value" (CSS), each cell named after its column.
  function stackTables() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(function (table) {
      var labels = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      if (labels.length < 2 || labels.indexOf("") !== -1) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) { cell.setAttribute("data-label", labels[i] || ""); });
      });
      table.setAttribute("data-gk-stack", "");  // an attribute, not a class: the theme styles only tables without a class
    });
  }
  // A table still wider than its box says that it scrolls, so no column is missed.
  function scrollCues() {
    document.querySelectorAll(".md-typeset__scrollwrap, .gk-report-wrap").forEach(function (el) {
      var cue = el.nextElementSibling && el.nextElementSibling.classList.contains("gk-scroll-cue") ? el.nextElementSibling : null;
      var wide = el.scrollWidth > el.clientWidth + 1;
      if (wide && !cue) {
        cue = document.createElement("p");
        cue.className = "gk-scroll-cue";
        cue.textContent = "表格较宽，请左右滑动查看全部列 →";
        el.after(cue);
      } else if (!wide && cue) {
        cue.remove();
      }
    });
  }
  // The theme's menu button is a <label>, which the keyboard cannot reach: put a real button in its place.
  function menuButton() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector('.md-header label[for="__drawer"]');
    if (!toggle || !label) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon gk-menu-button";
    button.setAttribute("aria-label", "导航菜单");
    button.innerHTML = label.innerHTML;  // the theme's own menu icon
    label.replaceWith(button);
    var sync = function () { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); };
    sync();
    button.addEventListener("click", function () {
      toggle.checked = !toggle.checked;
      toggle.dispatchEvent(new Event("change"));
    });
    toggle.addEventListener("change", function () {
      sync();
      var first = document.querySelector(".md-sidebar--primary a");
      if (toggle.checked && first) setTimeout(function () { first.focus(); }, 260);  // once the drawer is visible
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
        button.focus();
      }
    });
  }
  function printDate() {
    var today = todayInChina().split("-");
    var text = Number(today[0]) + "年" + Number(today[1]) + "月" + Number(today[2]) + "日";
    document.querySelectorAll(".gk-print-date").forEach(function (el) { el.textContent = text; });
  }
  function update() {
    elderSwitch();
    focusableTables();
    stackTables();
    scrollCues();
    menuButton();
    printDate();
    var today = todayInChina();
    document.querySelectorAll(".gk-status[data-first][data-last]").forEach(function (el) {
      var status = today < el.dataset.first ? "即将公示" : today <= el.dataset.last ? "正在公示" : "已结束";
      el.textContent = status;
      el.dataset.status = status;
    });
  }
  window.addEventListener("beforeprint", printDate);
  window.addEventListener("resize", scrollCues);
  if (window.document$) {
    window.document$.subscribe(update); // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", update);
  }
})();

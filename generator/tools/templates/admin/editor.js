// The form editor's own parts, loaded after Decap CMS and before it starts (admin/index.html).
(function () {
  "use strict";

  // `gongkai editor` writes its session's token into the page; its API answers nothing without it.
  var token = document.querySelector('meta[name="gongkai-editor-token"]');
  var api = location.origin + "/api/v1" + (token ? "?token=" + encodeURIComponent(token.content) : "");
  window.gongkaiEditor = {localApi: api};

  // Two tabs (or two clerks) on one entry: the server refuses a save of a file changed since this tab's form loaded
  // it, instead of silently undoing the other save. The save itself does not say what the form loaded, so each
  // file's hash is kept from the answers that load entries (a form's own load wins over a list's) and sent with it.
  var loaded = {};
  // A refused save leaves the form's local backup behind, holding the values from before the other save; reopened,
  // Decap offers it, and restored, it would undo that save as surely, now with the new file's hash. The refused
  // file's hash is kept (localStorage, as the backup outlives the page) and a form that restores the backup is sent
  // with it, so its save is refused again instead of undoing the other; declining the backup forgets it.
  var STALE = "gongkai-stale:";
  var opened = null;  // the file of the entry the form loaded last
  var plainFetch = window.fetch;
  window.fetch = async function (input, init) {
    var request = null;
    if (token && String(input).split("?")[0] === api.split("?")[0] && init && typeof init.body === "string") {
      try { request = JSON.parse(init.body); } catch (e) { request = null; }
    }
    if (request && request.action === "persistEntry" && request.params) {
      request.params.loaded = {};
      (request.params.dataFiles || []).forEach(function (file) {
        if (loaded[file.path]) request.params.loaded[file.path] = loaded[file.path];
      });
      init = Object.assign({}, init, {body: JSON.stringify(request)});
    }
    var answer = await plainFetch.call(this, input, init);
    if (request && answer.ok && /^(getEntry|entriesByFolder|entriesByFiles)$/.test(request.action)) {
      [].concat(await answer.clone().json()).forEach(function (entry) {
        var file = entry && entry.file;
        if (file && file.id && (request.action === "getEntry" || !(file.path in loaded))) loaded[file.path] = file.id;
        if (file && request.action === "getEntry") opened = file.path;
      });
    }
    if (request && request.action === "persistEntry") {
      var sent = request.params.loaded;
      Object.keys(sent).forEach(function (path) {
        if (answer.status === 409) localStorage.setItem(STALE + path, sent[path]);
        else if (answer.ok) localStorage.removeItem(STALE + path);
      });
    }
    if (request && answer.ok && request.action === "persistEntry") {
      Object.assign(loaded, (await answer.clone().json()).hashes || {});
    }
    return answer;
  };
  var plainConfirm = window.confirm;
  window.confirm = function (question) {
    var restore = plainConfirm.call(window, question);
    var stale = opened && localStorage.getItem(STALE + opened);
    if (stale && question === CMS.getLocale("zh_Hans").editor.editor.confirmLoadBackup) {
      if (restore) loaded[opened] = stale;
      else localStorage.removeItem(STALE + opened);
    }
    return restore;
  };

  // An upload the save would refuse (a name that is only ".pdf", characters a web address breaks on) is refused as
  // it is chosen, in the server's words: Decap keeps an entry's uploads in its draft until the save, which the name
  // then fails, and the clerk's only way out was 媒体 → 删除, which nothing says. Decap sees the choice after that.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!token || !input || input.type !== "file" || input.gongkaiChecked || !input.files.length) return;
    event.stopImmediatePropagation();
    var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
    plainFetch(api, {method: "POST", headers: {"Content-Type": "application/json"},
                     body: JSON.stringify({action: "checkUploads", params: {names: names}})})
      .then(function (answer) { return answer.json().then(function (body) { return [answer.ok, body]; }); })
      .then(function (result) {
        if (!result[0]) { input.value = ""; window.alert(result[1].error); return; }
        input.gongkaiChecked = true;
        input.dispatchEvent(new Event("change", {bubbles: true}));
        input.gongkaiChecked = false;
      });
  }, true);

  // A new entry keeps the numbers the page offered when it was opened; if a file took them meanwhile, it takes
  // the next free ones instead of replacing that file (the local editor's server knows the files as they are now).
  CMS.registerEventListener({name: "preSave", handler: async function (event) {
    var entry = event.entry;
    if (!token || !entry.get("newRecord")) return;
    var answer = await fetch(api, {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({action: "freeNumbers", params: {collection: entry.get("collection"),
                                                            data: entry.get("data").toJS()}})});
    if (!answer.ok) return;
    var data = entry.get("data");
    (await answer.json()).forEach(function (change) { data = data.setIn(change[0], change[1]); });
    return data;
  }});

  // Decap's 发布，然后新建内容 leaves the entry just published in the form (the same route, so no new draft), and
  // publishing that again would replace it: once a save leaves the page on a new entry, the page opens anew, with
  // an empty form and the next numbers.
  CMS.registerEventListener({name: "postSave", handler: function () {
    setTimeout(function () { if (location.hash.endsWith("/new")) location.reload(); else refreshPanels(); }, 1000);
  }});

  // The page lists the broken files and the documents the build would not publish as the folder was when it opened
  // (`gongkai editor` makes it anew at each visit): after a save it asks again, so that a fix, or a save that leaves
  // a notice unpublished, shows at once.
  function refreshPanels() {
    if (!token) return;
    fetch(location.pathname, {cache: "no-store"}).then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (text) {
        if (text === null) return;
        var fresh = new DOMParser().parseFromString(text, "text/html");
        ["gongkai-problems", "gongkai-withheld"].forEach(function (id) {
          var old = document.getElementById(id), now = fresh.getElementById(id);
          if (old) old.remove();
          if (now) document.body.prepend(document.importNode(now, true));
        });
      });
  }

  // Decap's Chinese toast says 「你漏掉了一个必填项」 however many are missing; each one is marked at its field.
  var chinese = CMS.getLocale("zh_Hans");
  CMS.registerLocale("zh_Hans", Object.assign({}, chinese, {ui: Object.assign({}, chinese.ui, {
    toast: Object.assign({}, chinese.ui.toast, {missingRequiredField: "还有必填项没有填写：请按标红的提示逐项填好，再保存"})})}));

  // A pasted or dropped web page or Word text keeps its words, not its images (the bundle drops them:
  // generator/tools/decap_fixes.py): an image goes with a document as an attachment, which the clerk is told here.
  function imagesLeftOut(event) {
    var data = event.clipboardData || event.dataTransfer;
    if (!data || !event.target.closest || !event.target.closest("[data-slate-editor]")) return;
    if (!/<img[\s>]/i.test(data.getData("text/html"))) return;
    var note = document.getElementById("gongkai-images-left-out") || document.body.appendChild(
      Object.assign(document.createElement("aside"), {id: "gongkai-images-left-out", role: "status"}));
    note.style.cssText = "position:fixed;z-index:10000;left:50%;top:72px;transform:translateX(-50%);max-width:36em;" +
      "background:#fff4e5;border:2px solid #d9822b;border-radius:4px;padding:8px 16px;font:15px/1.6 sans-serif";
    note.textContent = "粘贴的内容里有图片，正文只保留了文字。图片请用“附件”上传（新增附件 → 选择文件）。";
    clearTimeout(note.hideLater);
    note.hideLater = setTimeout(function () { note.remove(); }, 10000);
  }
  document.addEventListener("paste", imagesLeftOut, true);
  document.addEventListener("drop", imagesLeftOut, true);

  // A date as the content guide writes it (2025-09-26), typed or picked. Decap's own date field turns a date the
  // browser cannot read into an empty value, and then says "required"; this one says what is wrong with it.
  var DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
  function isDay(text) {
    var m = DAY.exec(text);
    if (!m) return false;
    var day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return day.getUTCFullYear() === +m[1] && day.getUTCMonth() === +m[2] - 1 && day.getUTCDate() === +m[3];
  }
  function today() {
    // the clerk's own day (Beijing on a clerk's computer), not UTC's
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }
  var DateControl = createClass({
    isValid: function () {
      var value = this.props.value;
      if (value === undefined || value === null || value === "" || isDay(String(value))) return true;
      var label = this.props.field.get("label", this.props.field.get("name"));
      var message = DAY.test(String(value))
        ? "“" + label + "”的 " + value + " 不是日历上的一天，请改正（日期一律写成 2025-09-26：年-月-日，月和日都是两位）"
        : "“" + label + "”的日期格式不对：日期一律写成 2025-09-26（年-月-日，月和日都是两位），不是 " + value;
      return {error: {type: "CUSTOM", message: message}};
    },
    render: function () {
      var props = this.props;
      var value = props.value === undefined || props.value === null ? "" : String(props.value);
      var style = {font: "inherit", padding: "8px", border: "1px solid #dfdfe3", borderRadius: "4px"};
      return h("div", {className: props.classNameWrapper, style: {display: "flex", gap: "8px", alignItems: "center"}},
        h("input", {id: props.forID, type: "text", value: value, placeholder: "2025-09-26", inputMode: "numeric",
                    style: Object.assign({width: "11em"}, style),
                    onChange: function (e) { props.onChange(e.target.value.trim()); },
                    onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle}),
        h("input", {type: "date", "aria-label": "从日历中选", value: isDay(value) ? value : "", style: style,
                    onChange: function (e) { props.onChange(e.target.value); }}),
        h("button", {type: "button", onClick: function () { props.onChange(today()); }}, "今天"));
    }
  });
  CMS.registerWidget("gongkai-date", DateControl, createClass({
    render: function () { return h("div", {}, this.props.value ? String(this.props.value) : ""); }
  }));
})();

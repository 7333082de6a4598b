/* youthbot web chat: one script, no framework. Embed with
   <script src="https://BOT/webchat/widget.js" data-campaign="code" data-lang="sq" defer></script>
   Everything the user or the bot writes is put on the page as text (textContent), never as
   markup. The labels come from the server's catalogs, in front of this file. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.YOUTHBOT_WEBCHAT_STARTED) { return; }
  window.YOUTHBOT_WEBCHAT_STARTED = true;
  var base = script.src.replace(/widget\.js(\?.*)?$/, "");
  var all = window.YOUTHBOT_WEBCHAT_LABELS || {};
  var lang = all[script.dataset.lang] ? script.dataset.lang : window.YOUTHBOT_WEBCHAT_DEFAULT;
  var labels = all[lang] || {};
  var campaign = script.dataset.campaign || null;
  var asPage = script.dataset.mode === "page";
  var storeKey = "youthbot-webchat:" + base;
  var POLL_MS = 3000;
  var state = { session: null, last: 0, seen: {}, polling: null, busy: false };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "null"); }
    catch (e) { return null; }
  }
  function save() {
    try {
      if (state.session) {
        window.localStorage.setItem(storeKey, JSON.stringify({
          session: state.session, open: !panel.hidden }));
      } else { window.localStorage.removeItem(storeKey); }
    } catch (e) { /* storage off: the chat works until the page closes */ }
  }
  function clientId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  if (!asPage) {
    var sheet = el("link", { rel: "stylesheet", href: base + "widget.css" });
    document.head.appendChild(sheet);
  }

  var root = asPage ? document.getElementById("youthbot-webchat") : el("div", {});
  root.className = "ybw" + (asPage ? " ybw-as-page" : "");
  var launcher = el("button", { type: "button", "class": "ybw-launcher",
    "aria-expanded": "false", "aria-controls": "ybw-panel" }, labels.open);
  var panel = el("section", { id: "ybw-panel", "class": "ybw-panel",
    role: asPage ? "region" : "dialog", "aria-labelledby": "ybw-title" });
  var header = el("header", { "class": "ybw-header" });
  var title = el("h2", { id: "ybw-title", "class": "ybw-title" }, labels.title);
  var erase = el("button", { type: "button", "class": "ybw-delete" }, labels["delete"]);
  var close = el("button", { type: "button", "class": "ybw-close",
    "aria-label": labels.close }, "\u00d7");
  var log = el("div", { "class": "ybw-log", role: "log", "aria-live": "polite",
    "aria-label": labels.log, tabindex: "0" });
  var form = el("form", { "class": "ybw-form" });
  var input = el("textarea", { id: "ybw-input", "class": "ybw-input", rows: "2",
    maxlength: "4000", "aria-label": labels.input, placeholder: labels.input });
  var send = el("button", { type: "submit", "class": "ybw-send" }, labels.send);
  header.appendChild(title);
  header.appendChild(erase);
  if (!asPage) { header.appendChild(close); }
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(panel);
  if (!asPage) { root.appendChild(launcher); panel.hidden = true; }
  if (!asPage) { document.body.appendChild(root); }

  function note(text, kind) {
    var item = el("div", { "class": "ybw-msg ybw-" + kind });
    item.appendChild(el("span", { "class": "ybw-who" }, kind === "you" ? labels.you : labels.bot));
    item.appendChild(el("p", {}, text));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function show(reply) {
    if (reply.id !== null && reply.id !== undefined) {
      if (state.seen[reply.id]) { return; }
      state.seen[reply.id] = true;
      if (reply.id > state.last) { state.last = reply.id; }
    }
    var item = note(reply.text, "bot");
    if (reply.choices && reply.choices.length) {
      var group = el("div", { "class": "ybw-choices", role: "group",
        "aria-label": labels.choices });
      reply.choices.forEach(function (choice) {
        var button = el("button", { type: "button", "class": "ybw-choice" }, choice.label);
        button.addEventListener("click", function () {
          post({ choice: choice.id }, choice.label);
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
  }

  function showAll(answer) {
    (answer.replies || []).forEach(show);
    if (answer.ended) { forget(); note(labels.ended, "bot"); }
  }

  function forget() {
    state.session = null;
    state.last = 0;
    state.seen = {};
    save();
  }

  function call(method, path, body) {
    return window.fetch(base + path, {
      method: method, credentials: "omit", cache: "no-store",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        data.status = response.status;
        return data;
      });
    });
  }

  function start() {
    if (state.session) { return Promise.resolve(true); }
    return call("POST", "sessions", { campaign: campaign, locale: lang }).then(function (data) {
      if (data.status !== 200 || !data.session) {
        note(data.status === 429 ? labels.slow_down : labels.offline, "bot");
        return false;
      }
      state.session = data.session;
      save();
      showAll(data);
      return true;
    }, function () {
      note(labels.offline, "bot");  /* no network, or a site the service does not serve */
      return false;
    });
  }

  function post(message, shown) {
    note(shown, "you");
    var body = { id: clientId() };
    Object.keys(message).forEach(function (k) { body[k] = message[k]; });
    var attempt = function (left) {
      return call("POST", "sessions/" + state.session + "/messages", body).then(function (data) {
        if (data.status === 429) { note(labels.slow_down, "bot"); return; }
        if (data.status === 403) { forget(); note(labels.ended, "bot"); return; }
        if (data.status !== 200) { note(labels.offline, "bot"); return; }
        showAll(data);
      }, function () {
        if (left > 0) {
          return new Promise(function (done) { setTimeout(done, 1000); }).then(function () {
            return attempt(left - 1);  /* the same id: answered once however often it goes */
          });
        }
        note(labels.offline, "bot");
      });
    };
    return start().then(function (ok) { if (ok) { return attempt(2); } });
  }

  function poll() {
    if (!state.session || state.busy || document.hidden) { return; }
    state.busy = true;
    call("GET", "sessions/" + state.session + "/messages?after=" + state.last)
      .then(function (data) {
        if (data.status === 403) { forget(); return; }
        if (data.status === 200) { showAll(data); }
      }, function () { /* offline for now: the next poll tries again */ })
      .then(function () { state.busy = false; });
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    input.focus();
    var saved = load();
    if (saved && saved.session && !state.session) {
      state.session = saved.session;
      poll();  /* a reload: the conversation so far, then what came since */
    } else if (!state.session) {
      start();
    }
    if (!state.polling) { state.polling = setInterval(poll, POLL_MS); }
    save();
  }

  function shut() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    clearInterval(state.polling);
    state.polling = null;
    save();
    launcher.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { shut(); } });
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !asPage) { shut(); }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    post({ text: text }, text);
    input.focus();
  });
  erase.addEventListener("click", function () {
    if (state.session) { post({ text: "/fshi" }, labels["delete"]); }
  });

  var saved = load();
  if (asPage || (saved && saved.open)) { open(); }  /* a reload: as it was */
})();

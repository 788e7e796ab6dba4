/*
 * Runs inside an embedded Dodo Upsell page. Posts the page's events and its height to the
 * merchant's page around it — only when that page's origin is one of the configured merchant
 * origins (never "*"), and each event once per frame, so reloads do not repeat them.
 */
(function () {
  "use strict";
  if (window.parent === window) return;
  var config = document.getElementById("dodo-embed");
  if (!config) return;
  var allowed = [];
  try { allowed = JSON.parse(config.dataset.allowedOrigins || "[]"); } catch (e) { return; }

  // The parent's origin: Chrome tells it directly; elsewhere the first page of the frame saw it
  // as its referrer, and later pages of the same frame remember it.
  // A frame on another site may be denied storage altogether (reading it throws): then it
  // works without remembering anything.
  var store = null;
  try { store = window.sessionStorage; } catch (e) { /* storage blocked */ }
  var parentOrigin = null;
  if (location.ancestorOrigins && location.ancestorOrigins.length) parentOrigin = location.ancestorOrigins[0];
  try {
    if (!parentOrigin && store) parentOrigin = store.getItem("dodo-upsell-parent");
    if (!parentOrigin && document.referrer) parentOrigin = new URL(document.referrer).origin;
  } catch (e) { /* storage blocked: no remembered origin */ }
  if (!parentOrigin || allowed.indexOf(parentOrigin) < 0) return;
  try { if (store) store.setItem("dodo-upsell-parent", parentOrigin); } catch (e) { /* fine */ }

  function post(type, data) {
    var msg = { source: "dodo-upsell", version: 1, type: type };
    for (var k in data || {}) if (Object.prototype.hasOwnProperty.call(data, k)) msg[k] = data[k];
    window.parent.postMessage(msg, parentOrigin);
  }

  function postOnce(event) {
    var key = "dodo-upsell-sent:" + event.type + ":" + JSON.stringify(event.data || {});
    try {
      if (store && store.getItem(key)) return;
      if (store) store.setItem(key, "1");
    } catch (e) { /* without storage an event may repeat on reload */ }
    post(event.type, event.data);
  }

  function announce(attr, el) {
    try { postOnce(JSON.parse(el.getAttribute(attr))); } catch (e) { /* malformed: ignore */ }
  }

  post("ready", { path: location.pathname });
  // The session this frame's pages carry in their address (cookies of a frame on another site
  // are blocked by most browsers): the loader keeps it in the merchant page's session storage
  // and hands it back when that page reloads, so the same customer stays the same customer.
  var access = new URLSearchParams(location.search).get("access");
  if (access && /^[A-Za-z0-9_.-]+$/.test(access)) post("session", { access: access });
  var shown = document.querySelectorAll("[data-embed-event]");
  for (var i = 0; i < shown.length; i++) announce("data-embed-event", shown[i]);

  // Accept / No thanks are announced when pressed, before the page moves on.
  document.addEventListener("submit", function (ev) {
    var button = ev.submitter;
    if (button && button.hasAttribute("data-embed-submit")) announce("data-embed-submit", button);
  }, true);

  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last) { last = height; post("resize", { height: height }); }
  }
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  report();
})();

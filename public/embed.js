/*
 * Dodo Upsell embed loader. Add to a page on an origin listed in MERCHANT_ORIGINS:
 *
 *   <script src="https://offers.example.com/embed.js" defer></script>
 *   <div data-dodo-upsell data-page="offer" data-payment-id="pay_…"></div>       post-purchase offer
 *   <div data-dodo-upsell data-page="cross-sell" data-token="eyJ…"></div>        cross-sell (signed link)
 *   <div data-dodo-upsell data-page="plan-change" data-token="eyJ…"></div>       plan change (signed link)
 *
 * Each placeholder gets an iframe (allow="payment") that grows to its content, keeping room for
 * a bank's 3-D Secure page (data-min-height, default 600). Messages from the frame are checked
 * (origin, sender, shape) and re-dispatched on the placeholder as a bubbling "dodo-upsell"
 * CustomEvent whose `detail` is the message: {source: "dodo-upsell", version: 1, type, …ids}.
 *
 * Browsers that block a frame's cookies on another site (Safari, Firefox, Chrome's tracking
 * protection) would lose the customer's session on a reload: the frame reports its session
 * ("session" message, not re-dispatched) and the loader keeps it in this page's session
 * storage, per placeholder, and puts it back into the frame's address on the next load.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var appOrigin = new URL(script.src).origin;
  var enc = encodeURIComponent;
  var PAGES = {
    "offer": function (el) { return "/offer/landing?payment_id=" + enc(el.dataset.paymentId || ""); },
    "cross-sell": function (el) { return "/cross-sell?token=" + enc(el.dataset.token || ""); },
    "plan-change": function (el) { return "/plan-change?token=" + enc(el.dataset.token || ""); },
  };

  function mount(el) {
    if (el.dataset.dodoMounted) return;
    var build = PAGES[el.dataset.page];
    if (!build) {
      console.error("dodo-upsell: unknown data-page \"" + el.dataset.page + "\" (offer, cross-sell or plan-change)");
      return;
    }
    el.dataset.dodoMounted = "1";
    var key = "dodo-upsell-session:" + el.dataset.page + ":" + (el.dataset.paymentId || el.dataset.token || "");
    var kept = null;
    try { kept = window.sessionStorage.getItem(key); } catch (e) { /* storage blocked */ }
    var minHeight = parseInt(el.dataset.minHeight || "600", 10) || 600;
    var iframe = document.createElement("iframe");
    iframe.src = appOrigin + build(el) + "&embed=1" + (kept ? "&access=" + enc(kept) : "");
    iframe.allow = "payment";
    iframe.title = el.dataset.title || "Offer";
    iframe.setAttribute("loading", "eager");
    iframe.style.cssText = "display:block;width:100%;border:0;height:" + minHeight + "px";
    el.appendChild(iframe);

    window.addEventListener("message", function (event) {
      // Only our app's frame, only this placeholder's frame, only our message shape.
      if (event.origin !== appOrigin || event.source !== iframe.contentWindow) return;
      var msg = event.data;
      if (!msg || msg.source !== "dodo-upsell" || msg.version !== 1 || typeof msg.type !== "string") return;
      if (msg.type === "session") {
        if (typeof msg.access === "string" && /^[A-Za-z0-9_.-]+$/.test(msg.access)) {
          try { window.sessionStorage.setItem(key, msg.access); } catch (e) { /* storage blocked */ }
        }
        return;
      }
      if (msg.type === "resize") {
        var h = Number(msg.height);
        if (isFinite(h) && h > 0) iframe.style.height = Math.max(Math.ceil(h), minHeight) + "px";
      }
      el.dispatchEvent(new CustomEvent("dodo-upsell", { detail: msg, bubbles: true }));
    });
  }

  function mountAll() {
    var nodes = document.querySelectorAll("[data-dodo-upsell]");
    for (var i = 0; i < nodes.length; i++) mount(nodes[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();

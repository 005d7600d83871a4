/* Marketing's numbers (#32): one beacon per page view, and one per outside article link followed,
   to this site's own address; nothing stored in the browser, no cookie, no other site. Nothing is
   sent when the browser asks not to be tracked (Global Privacy Control, Do Not Track). */
(function () {
  "use strict";
  var script = document.currentScript;
  var page = document.body && document.body.getAttribute("data-page");
  if (!script || !page || !navigator.sendBeacon) return;
  if (navigator.globalPrivacyControl === true || navigator.doNotTrack === "1" || window.doNotTrack === "1") return;
  var endpoint = script.getAttribute("data-endpoint");

  function send(data) {
    try {
      navigator.sendBeacon(endpoint, JSON.stringify(data));
    } catch (error) {
      /* Counting is never worth an error. */
    }
  }

  var view = { kind: "view", page: parseInt(page, 10), width: window.innerWidth || 0 };
  try {
    var from = document.referrer ? new URL(document.referrer) : null;
    if (from && /^https?:$/.test(from.protocol) && from.hostname !== location.hostname) {
      view.referrer = from.hostname; /* the other site's name alone */
    }
  } catch (error) {
    /* No referrer worth counting. */
  }
  send(view);

  function followed(event) {
    if (event.type === "auxclick" && event.button !== 1) return;
    var link = event.target.closest && event.target.closest("a[data-article]");
    if (link) send({ kind: "outbound", page: parseInt(link.getAttribute("data-article"), 10) });
  }
  document.addEventListener("click", followed);
  document.addEventListener("auxclick", followed);
})();

// Registers the hall's service worker (the offline page); silent where it cannot.
(function () {
  "use strict";
  var url = document.body && document.body.dataset.serviceWorker;
  if (!url || !("serviceWorker" in navigator)) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url).catch(function () {});
  });
})();

// Registers the hall's service worker (the offline page); silent where it cannot.
(function () {
  "use strict";
  var url = document.body && document.body.dataset.serviceWorker;
  if (!url || !("serviceWorker" in navigator)) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url).catch(function () {});
  });
  // 掌上办: where the browser offers to install the hall (Chromium's beforeinstallprompt), the
  // page's [data-install] button shows and asks for it; elsewhere the written steps suffice.
  window.addEventListener("beforeinstallprompt", function (event) {
    var button = document.querySelector("[data-install]");
    if (!button) { return; }
    event.preventDefault();
    button.hidden = false;
    button.addEventListener("click", function () {
      button.hidden = true;
      event.prompt();
    }, { once: true });
  });
})();

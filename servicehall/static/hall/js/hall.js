// Small enhancements; every page works without this file.
(function () {
  "use strict";
  // After an htmx SMS send, count down the 获取验证码 button so people do not press it again.
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = event.target.querySelector ? event.target.querySelector("[data-resend-after]") : null;
    if (!status) { return; }
    var button = document.getElementById(status.getAttribute("data-button"));
    var seconds = parseInt(status.getAttribute("data-resend-after"), 10);
    if (!button || !(seconds > 0)) { return; }
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.disabled = true;
    var timer = window.setInterval(function () {
      seconds -= 1;
      if (seconds <= 0) {
        window.clearInterval(timer);
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.textContent = label + "（" + seconds + "s）";
    }, 1000);
  });
  // A region picker is re-rendered (htmx) for what is chosen. Someone going through the list
  // with the arrow keys sends a request per option passed: an answer for a choice they have
  // since moved past must not put that choice back under their keys, so it is dropped; the
  // answer to their latest choice follows it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("region-picker")) { return; }
    var sent = new URL(event.detail.xhr.responseURL, window.location.href).searchParams;
    var selects = target.querySelectorAll("select");
    for (var i = 0; i < selects.length; i += 1) {
      if ((sent.get(selects[i].name) || "") !== selects[i].value) {
        event.detail.shouldSwap = false;
        return;
      }
    }
  });
  // Move focus to the error summary so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
// 打印指南: the button is hidden without JavaScript (the browser's own print still works).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
// A long form (accounts/_long_form_guard.html): a few minutes before the session ends, say so
// and offer 继续填写, which moves the end on; once it has ended, say what happens to what was
// typed (kept, and restored after the login: accounts.typed_keeping).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-session-seconds]");
  if (!box) { return; }
  var text = box.querySelector("#session-warning-text");
  var button = box.querySelector("[data-session-extend]");
  var warnBefore = parseInt(box.getAttribute("data-warn-seconds"), 10) * 1000;
  var timers = [];
  function say(kind) {
    text.textContent = text.getAttribute("data-" + kind);
    button.hidden = kind === "expired";
    box.hidden = false;
    if (kind === "expiring") { button.focus(); }
  }
  function plan(seconds) {
    timers.forEach(window.clearTimeout);
    var left = seconds * 1000;
    timers = [
      window.setTimeout(function () { say("expiring"); }, Math.max(left - warnBefore, 0)),
      window.setTimeout(function () { say("expired"); }, left)
    ];
  }
  button.addEventListener("click", function () {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    window.fetch(box.getAttribute("data-extend-url"), {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": token ? token.value : "", "Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (answer) {
      box.hidden = true;
      plan(answer.seconds);
    }).catch(function () { say("expired"); });
  });
  plan(parseInt(box.getAttribute("data-session-seconds"), 10));
});

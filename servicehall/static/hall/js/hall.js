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

// 批量通过 on a reviewer's queue: ticking "选择全部符合条件的N笔" ticks this page's rows as well,
// and un-ticking any row un-ticks it. The form works the same without this file: the server
// reads the `all` box and shows the confirmation either way.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var all = document.querySelector("[data-batch-all]");
  if (!all || !all.form) return;
  var rows = all.form.querySelectorAll("input[type=checkbox][name=ids]");
  all.addEventListener("change", function () {
    Array.prototype.forEach.call(rows, function (box) { box.checked = all.checked; });
  });
  Array.prototype.forEach.call(rows, function (box) {
    box.addEventListener("change", function () {
      if (!box.checked) all.checked = false;
    });
  });
});

// Offers only the attendance thresholds the dates allow, as they are typed (the server does the same
// when it shows the form, and refuses a threshold above the number of days).
(function () {
  var start = document.getElementById("start_date"), end = document.getElementById("end_date");
  var select = document.getElementById("attendance_threshold");
  if (!start || !end || !select) return;
  var all = Array.prototype.slice.call(select.options).map(function (o) { return o.cloneNode(true); });
  function days() {
    var a = Date.parse(start.value), b = Date.parse(end.value);
    if (isNaN(a) || isNaN(b) || b < a) return null;
    return Math.round((b - a) / 86400000) + 1;
  }
  function narrow() {
    var n = days(), chosen = select.value;
    if (n === null) return;
    select.innerHTML = "";
    all.forEach(function (o) {
      if (!o.value || Number(o.value) < n) select.appendChild(o.cloneNode(true));
    });
    select.value = Array.prototype.some.call(select.options, function (o) { return o.value === chosen; }) ? chosen : "";
  }
  start.addEventListener("change", narrow);
  end.addEventListener("change", narrow);
  narrow();
})();

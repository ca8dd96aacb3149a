// Keeps the time left of a live question moving between two polls of its panel. The server writes
// the seconds left when it makes the page (data-seconds-left); this only counts them down, and the
// panel's next poll shows the question closed once they run out. Without JavaScript the figure
// stays as the page was made. A panel swapped in by live.js brings fresh figures: they are read anew.
(function () {
  function shown(left) {
    var seconds = left % 60;
    return Math.floor(left / 60) + ":" + (seconds < 10 ? "0" : "") + seconds;
  }

  function tick() {
    var now = Date.now();
    var timers = document.querySelectorAll("[data-seconds-left]");
    for (var i = 0; i < timers.length; i++) {
      var timer = timers[i];
      var ends = parseFloat(timer.getAttribute("data-ends"));
      if (!ends) {
        ends = now + 1000 * (parseInt(timer.getAttribute("data-seconds-left"), 10) || 0);
        timer.setAttribute("data-ends", String(ends));
      }
      var text = shown(Math.max(0, Math.ceil((ends - now) / 1000)));
      if (timer.textContent !== text) timer.textContent = text;
    }
  }

  tick();
  setInterval(tick, 500);
})();

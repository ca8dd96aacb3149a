// Keeps the live panel of a workshop page current: asks every few seconds whether it changed and,
// if so, swaps in the new panel. Only an enhancement: without JavaScript a trainee's page reloads
// itself while the room is live (a meta refresh in <noscript>), and a reload shows the same.
// A trainee's panel changes only when the facilitator opens, closes or reveals a question (or a
// test), never because others answered, so an answer being chosen is not swept away.
(function () {
  var panel = document.getElementById("live-panel");
  if (!panel || !window.fetch) return;
  var url = panel.getAttribute("data-poll");
  var every = Math.max(0.2, parseFloat(panel.getAttribute("data-interval")) || 3) * 1000;
  var busy = false;

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    var version = panel.getAttribute("data-version");
    fetch(url + "?v=" + encodeURIComponent(version), {credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (response.status !== 200) return null;
        var next = response.headers.get("X-Live-Version");
        return response.text().then(function (html) {
          if (next && next !== panel.getAttribute("data-version")) {
            panel.innerHTML = html;
            panel.setAttribute("data-version", next);
          }
        });
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { busy = false; });
  }

  setInterval(poll, every);
  document.addEventListener("visibilitychange", poll);
})();

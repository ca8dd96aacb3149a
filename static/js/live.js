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

  function sameControl(element) {
    if (!window.CSS || !CSS.escape) return null;  // an older browser: the heading will do
    if (element.id) return "#" + CSS.escape(element.id);
    // Else by its form's address (each of the facilitator's buttons has its own form) and its name and value.
    var action = element.form ? element.form.getAttribute("action") : null;
    var name = element.getAttribute("name");
    if (!action && !name) return null;
    var value = element.getAttribute("value");
    return (action ? 'form[action="' + CSS.escape(action) + '"] ' : "") + element.tagName.toLowerCase() +
      (name ? '[name="' + CSS.escape(name) + '"]' : "") +
      (name && value !== null ? '[value="' + CSS.escape(value) + '"]' : "");
  }

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
            // Swapping the panel removes what had the focus (an answer being chosen when the question
            // closes): keep her in the panel, on the same control again if the new panel has it (the
            // facilitator's buttons, as answers come in), else on its heading; not back at the top.
            var focused = document.activeElement;
            var hadFocus = panel.contains(focused) && focused !== panel;
            var same = hadFocus ? sameControl(focused) : null;
            panel.innerHTML = html;
            panel.setAttribute("data-version", next);
            if (hadFocus) {
              var target = (same && panel.querySelector(same)) || document.getElementById("live-heading");
              if (target) {
                if (!/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) target.setAttribute("tabindex", "-1");
                target.focus();
              }
            }
          }
        });
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { busy = false; });
  }

  setInterval(poll, every);
  document.addEventListener("visibilitychange", poll);
})();

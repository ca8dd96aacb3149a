// The presenter view (the projector): keeps its panel current, as live.js does for the live screen,
// tells a screen reader what changed, and answers single keys (N next, C close, S show or hide the
// results, R reveal) by pressing the panel's button that carries that key. Only an enhancement:
// without JavaScript the page reloads itself (<noscript> refresh) and the buttons are real forms.
(function () {
  var panel = document.getElementById("present-panel");
  if (!panel) return;
  var status = document.getElementById("present-status");
  var keys = document.getElementById("present-keys");
  if (keys) keys.hidden = false;  // the keys work: say so

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = (event.key || "").toLowerCase();
    if (!/^[a-z]$/.test(key)) return;
    var button = panel.querySelector('button[data-key="' + key + '"]');
    if (!button || button.disabled) return;
    event.preventDefault();
    button.disabled = true;  // one press, one request
    if (button.form && button.form.requestSubmit) button.form.requestSubmit(); else button.click();
  });

  // Each key or button reloads the page: say where things stand once it is back.
  setTimeout(function () {
    var said = panel.querySelector("[data-announce]");
    if (status && said) status.textContent = said.getAttribute("data-announce");
  }, 300);

  if (!window.fetch) return;
  var url = panel.getAttribute("data-poll");
  var every = Math.max(0.2, parseFloat(panel.getAttribute("data-interval")) || 3) * 1000;
  var busy = false;

  function swap(html, version) {
    var focused = document.activeElement;
    var focusedKey = focused && panel.contains(focused) ? focused.getAttribute("data-key") : null;
    panel.innerHTML = html;
    panel.setAttribute("data-version", version);
    if (focusedKey) {  // the same button, redrawn: keep the keyboard where it was
      var again = panel.querySelector('button[data-key="' + focusedKey + '"]');
      if (again) again.focus();
    }
    var said = panel.querySelector("[data-announce]");
    if (status && said) status.textContent = said.getAttribute("data-announce");
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
          if (next && next !== panel.getAttribute("data-version")) swap(html, next);
        });
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { busy = false; });
  }

  setInterval(poll, every);
  document.addEventListener("visibilitychange", poll);
})();

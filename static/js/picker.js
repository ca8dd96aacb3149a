// Filters the live screen's question picker as the facilitator types or chooses a filter: asks for
// the same page with her search and swaps in its list of results. Only an enhancement: the form's
// Search button does the same without JavaScript, and the page still carries one page of results.
(function () {
  var form = document.querySelector("form.picker-search");
  var results = document.getElementById("picker-results");
  var count = document.getElementById("picker-count");
  if (!form || !results || !count || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
  var timer = null;
  var asked = 0;

  function search() {
    var address = form.getAttribute("action").split("#")[0] + "?" + new URLSearchParams(new FormData(form)).toString();
    var mine = ++asked;
    fetch(address, {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || mine !== asked) return;  // a later search was asked since: it wins
        var page = new DOMParser().parseFromString(html, "text/html");
        var found = page.getElementById("picker-results");
        var said = page.getElementById("picker-count");
        if (!found || !said) return;
        results.innerHTML = found.innerHTML;
        count.textContent = said.textContent;
        history.replaceState(null, "", address + "#picker");  // a reload or Back shows this list
      })
      .catch(function () { /* offline for a moment: the Search button still works */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 350);
  });
})();

// The questions arrive as the answer to "start" (a POST). Naming the page by its attempt's own
// address makes a reload or the back button ask for the attempt again (a GET that resumes it or
// shows its result) instead of offering to post "start" once more. Without JavaScript, posting
// "start" again is safe too: it resumes the open attempt.
(function () {
  var form = document.querySelector("form.quiz[action]");
  if (!form || !window.history || !history.replaceState) return;
  var address = form.getAttribute("action");
  if (location.pathname !== address) history.replaceState(null, "", address);
})();

// The header's language link leads to the form's own switch, which keeps her answers: with
// JavaScript, it switches at once.
(function () {
  var link = document.querySelector("[data-switch-language]");
  var button = document.getElementById("switch-language");
  if (!link || !button) return;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    button.click();
  });
})();

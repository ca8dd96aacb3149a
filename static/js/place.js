// Remembers the section being read so "Continue where you left off" returns to it.
// Only an enhancement: without JavaScript the trainee resumes at the start of the lesson.
(function () {
  var article = document.querySelector("article.lesson");
  var form = document.getElementById("complete-form");
  if (!article || !form || !("IntersectionObserver" in window)) return;
  var token = form.querySelector("input[name=csrf_token]").value;
  var lesson = article.getAttribute("data-lesson");
  var sent = "", timer = null;
  function send(section) {
    if (section === sent) return;
    sent = section;
    var body = new FormData();
    body.append("csrf_token", token);
    body.append("lesson", lesson);
    body.append("section", section);
    if (navigator.sendBeacon) navigator.sendBeacon("/progress/place", body);
    else fetch("/progress/place", {method: "POST", body: body, credentials: "same-origin"});
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      clearTimeout(timer);
      // Wait until the reader stays on a section, so scrolling past sends nothing.
      timer = setTimeout(function () { send(entry.target.id); }, 3000);
    });
  }, {rootMargin: "0px 0px -70% 0px"});
  article.querySelectorAll(".body h2[id]").forEach(function (h) { observer.observe(h); });
})();

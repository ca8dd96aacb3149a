// Saves each tick of the attendance checklist as it is made. Only an enhancement: without
// JavaScript the "Save" button sends the whole list.
(function () {
  var form = document.getElementById("attendance-form");
  if (!form || !window.fetch || !window.FormData || !window.Promise) return;
  var state = document.getElementById("save-state");
  var token = form.querySelector("input[name=csrf_token]").value;
  var url = form.getAttribute("data-mark");
  // One request at a time, in order: a tick quickly undone must end unticked on the server too.
  var queue = Promise.resolve();

  function send(box, present) {
    var body = new FormData();
    body.append("csrf_token", token);
    body.append("user", box.value);
    body.append("present", present ? "1" : "0");
    return fetch(url, {method: "POST", body: body, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        state.textContent = form.getAttribute("data-saved-text");
      })
      .catch(function () {
        state.textContent = form.getAttribute("data-failed-text");
      })
      .then(function () { box.parentNode.classList.remove("saving"); });
  }

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "present") return;
    var present = box.checked;
    box.parentNode.classList.add("saving");
    state.textContent = "";
    queue = queue.then(function () { return send(box, present); });
  });
})();

// The queue refreshes itself: every data-poll milliseconds it fetches the same page and puts its
// list in place of the one shown, unless the keyboard focus is inside the list (so nobody's
// place is lost). Without JavaScript the page works the same, with a reload.
(function () {
  "use strict";
  var box = document.getElementById("queue-items");
  if (!box) { return; }
  var every = parseInt(box.getAttribute("data-poll"), 10) || 30000;
  function refresh() {
    if (document.hidden || box.contains(document.activeElement)) { return; }
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.ok && answer.redirected === false ? answer.text() : null; })
      .then(function (text) {
        if (text === null) { return; }
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("queue-items");
        if (fresh && fresh.innerHTML !== box.innerHTML) { box.innerHTML = fresh.innerHTML; }
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  window.setInterval(refresh, every);
}());

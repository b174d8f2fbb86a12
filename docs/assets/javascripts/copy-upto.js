// "Copy the code up to here": the button hooks/downloads.py puts above a block that uses names
// from earlier blocks. It copies lines of the page's downloadable script, from its first cell (the
// seeds: data-nnref-from, past the header, which speaks of the whole file) through this block
// (data-nnref-upto), so what a reader pastes runs as it is. Without JavaScript the button stays
// hidden and the note still names what the block needs.
(function () {
  "use strict";
  var scripts = {};

  function load(url) {
    if (!scripts[url]) {
      scripts[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("could not load " + url + ": " + response.status);
        return response.text();
      });
      scripts[url].catch(function () { delete scripts[url]; });
    }
    return scripts[url];
  }

  function lines(text, first, last) {
    return text.split("\n").slice(first - 1, last).join("\n") + "\n";
  }

  function copy(url, first, last) {
    var text = load(url).then(function (script) { return lines(script, first, last); });
    // a ClipboardItem takes the promise at once, inside the click, as Safari requires
    if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
      var blob = text.then(function (t) { return new Blob([t], { type: "text/plain" }); });
      return navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
    }
    return text.then(function (t) { return navigator.clipboard.writeText(t); });
  }

  function start() {
    document.querySelectorAll(".nnref-uses").forEach(function (note) {
      var button = note.querySelector(".nnref-uses__copy");
      if (!button || !navigator.clipboard) return;
      var url = new URL(note.dataset.nnrefScript, window.location.href).href;
      var first = parseInt(note.dataset.nnrefFrom || "1", 10);
      var last = parseInt(note.dataset.nnrefUpto, 10);
      var label = button.textContent;
      var warm = function () { load(url).catch(function () {}); };
      button.addEventListener("pointerenter", warm);
      button.addEventListener("focus", warm);
      button.addEventListener("click", function () {
        copy(url, first, last).then(function () {
          button.textContent = note.dataset.nnrefCopied;
          button.classList.add("nnref-uses__copy--done");
          setTimeout(function () {
            button.textContent = label;
            button.classList.remove("nnref-uses__copy--done");
          }, 2000);
        }, function (error) { console.error(error); });
      });
      button.hidden = false;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

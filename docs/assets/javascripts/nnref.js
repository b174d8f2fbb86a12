// nnref docs: diagrams (Mermaid) drawn from files served by this site, only on pages that have one;
// nothing is fetched from another host. A diagram is drawn when it comes near the screen (or before
// printing). Math needs no script: the build typesets it (hooks/katex.py).
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var vendor = new URL("../vendor/", here || window.location.href).href;

  function markScrollers() {
    // Math comes typeset with the page (hooks/katex.py). Display math wider than the column, and a
    // figure on a phone, scroll sideways (nnref.css draws a shadow at the cut edge): let the
    // keyboard reach them, as Material does for code blocks.
    var figures = document.querySelectorAll(".md-typeset p > img[src$='.svg']:only-child");
    var boxes = Array.prototype.slice.call(document.querySelectorAll("div.arithmatex"));
    boxes.concat(Array.prototype.map.call(figures, function (img) { return img.parentElement; })).forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
    document.documentElement.classList.add("nnref-scrollers-marked");
  }

  // A diagram laid out left to right is drawn top to bottom where the column is narrow (a phone):
  // scaled down to fit, its labels would be a few pixels high (tests/site/test_layout_shift.py).
  var narrow = window.matchMedia("(max-width: 44.984375em)");

  function laidOut(source) {
    return narrow.matches ? source.replace(/^(\s*(?:flowchart|graph)\s+)(?:LR|RL)\b/m, "$1TB") : source;
  }

  var mermaid = null;

  function drawDiagrams(nodes) {
    // nodes: diagrams to draw (again) in the current colour scheme
    if (!nodes.length) return Promise.resolve();
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    var loaded = mermaid ? Promise.resolve(mermaid) : import(vendor + "mermaid/mermaid.esm.min.mjs")
      .then(function (module) { mermaid = module.default; return mermaid; });
    return loaded.then(function (mermaid) {
      // This Mermaid's default layout is ELK (a 1.6 MB chunk): use dagre unless a diagram asks for
      // ELK itself (`config: layout: elk` in its front matter)
      // (the dark theme's edge labels, #ccc on #585858, are under 4.5:1)
      mermaid.initialize({ startOnLoad: false, theme: dark ? "dark" : "default", securityLevel: "strict",
                           layout: "dagre", themeVariables: dark ? { edgeLabelBackground: "#404040" } : {} });
      nodes.forEach(function (node) {
        if (!node.dataset.source) node.dataset.source = node.textContent;
        node.removeAttribute("data-processed");
        node.textContent = laidOut(node.dataset.source);
      });
      return mermaid.run({ nodes: nodes });
    });
  }

  function watchDiagrams() {
    var all = Array.prototype.slice.call(document.querySelectorAll(".nnref-mermaid"));
    if (!all.length) return;
    var drawn = [];
    var queue = Promise.resolve();
    function draw(nodes, again) {
      nodes = nodes.filter(function (node) { return again || drawn.indexOf(node) < 0; });
      if (!again) drawn = drawn.concat(nodes);
      // one drawing at a time: Mermaid keeps global state between runs
      queue = queue.then(function () { return drawDiagrams(nodes); }).then(function () {
        var ready = drawn.length === all.length;
        document.documentElement.classList.toggle("nnref-mermaid-ready", ready);
      }).catch(function (e) { console.error(e); });
      return queue;
    }
    var near = new IntersectionObserver(function (entries) {
      var shown = entries.filter(function (e) { return e.isIntersecting; }).map(function (e) { return e.target; });
      shown.forEach(function (node) { near.unobserve(node); });
      if (shown.length) draw(shown, false);
    }, { rootMargin: "600px 0px" });
    all.forEach(function (node) { near.observe(node); });
    window.addEventListener("beforeprint", function () { draw(all, false); });
    // re-draw the diagrams already drawn in the new colours when the reader toggles dark mode
    new MutationObserver(function () { draw(drawn.slice(), true); })
      .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    // and in the other direction when the screen turns from narrow to wide or back
    narrow.addEventListener("change", function () { draw(drawn.slice(), true); });
  }

  function afterFirstPaint(work) {
    // a frame callback runs just before a paint; a task queued from it runs after that paint
    requestAnimationFrame(function () { setTimeout(work, 0); });
  }

  function start() {
    markScrollers();
    narrow.addEventListener("change", markScrollers);
    afterFirstPaint(watchDiagrams);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

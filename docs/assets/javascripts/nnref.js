// nnref docs: render math (KaTeX) and diagrams (Mermaid) from files served by this site.
// Both libraries load only on pages that need them; nothing is fetched from another host.
// Math is typeset before the first paint where KaTeX came with the page, else just after it in
// small steps; a diagram is drawn when it comes near the screen (or before printing).
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var vendor = new URL("../vendor/", here || window.location.href).href;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  function loadStyle(href) {
    var l = document.createElement("link");
    l.rel = "stylesheet";
    l.href = href;
    document.head.appendChild(l);
  }

  function nextTask() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  function mathNodes() {
    // pymdownx.arithmatex output, notebook markdown cells (raw $...$), and table-of-contents
    // entries of headings that hold math (their labels keep the \( \) source)
    var nodes = Array.prototype.slice.call(document.querySelectorAll(
      ".arithmatex, .jupyter-wrapper .jp-RenderedMarkdown, .md-nav__link"));
    return nodes.filter(function (node) {
      return !node.classList.contains("md-nav__link") || /\\\(|\$/.test(node.textContent);
    });
  }

  var mathOptions = {
    delimiters: [
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false }
    ],
    throwOnError: false
  };

  function mathDone() {
    // display math wider than the column scrolls: let the keyboard reach it, as Material does
    // for code blocks
    document.querySelectorAll("div.arithmatex").forEach(function (block) {
      if (block.scrollWidth > block.clientWidth) block.setAttribute("tabindex", "0");
    });
    document.documentElement.classList.add("nnref-math-ready");
  }

  function typesetNow(nodes) {
    // KaTeX came with the page (overrides/main.html adds it where there is math): typeset before
    // the first paint, so the text does not move under the reader's eyes
    nodes.forEach(function (node) { window.renderMathInElement(node, mathOptions); });
    mathDone();
  }

  function typesetLater(nodes) {
    // KaTeX is loaded now, after the first paint, and typesets about 10 ms per task, so that
    // no task holds the page for long
    function typeset(from) {
      var until = performance.now() + 10, next = from;
      while (next < nodes.length && (next === from || performance.now() < until)) {
        window.renderMathInElement(nodes[next++], mathOptions);
      }
      return next < nodes.length ? nextTask().then(function () { return typeset(next); }) : null;
    }
    loadStyle(vendor + "katex/katex.min.css");
    return loadScript(vendor + "katex/katex.min.js")
      .then(function () { return loadScript(vendor + "katex/auto-render.min.js"); })
      .then(function () { return typeset(0); })
      .then(mathDone);
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
        node.textContent = node.dataset.source;
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
  }

  function afterFirstPaint(work) {
    // a frame callback runs just before a paint; a task queued from it runs after that paint
    requestAnimationFrame(function () { setTimeout(work, 0); });
  }

  function start() {
    var math = mathNodes();
    if (math.length && window.renderMathInElement) typesetNow(math);
    afterFirstPaint(function () {
      if (math.length && !window.renderMathInElement) typesetLater(math).catch(function (e) { console.error(e); });
      watchDiagrams();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

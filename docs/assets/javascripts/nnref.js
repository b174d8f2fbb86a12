// nnref docs: render math (KaTeX) and diagrams (Mermaid) from files served by this site.
// Both libraries load only on pages that need them; nothing is fetched from another host.
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

  function renderMath() {
    // pymdownx.arithmatex output, notebook markdown cells (raw $...$), and table-of-contents
    // entries of headings that hold math (their labels keep the \( \) source)
    var nodes = Array.prototype.slice.call(document.querySelectorAll(
      ".arithmatex, .jupyter-wrapper .jp-RenderedMarkdown, .md-nav__link"));
    nodes = nodes.filter(function (node) {
      return !node.classList.contains("md-nav__link") || /\\\(|\$/.test(node.textContent);
    });
    if (!nodes.length) return Promise.resolve();
    loadStyle(vendor + "katex/katex.min.css");
    return loadScript(vendor + "katex/katex.min.js")
      .then(function () { return loadScript(vendor + "katex/auto-render.min.js"); })
      .then(function () {
        nodes.forEach(function (node) {
          window.renderMathInElement(node, {
            delimiters: [
              { left: "\\[", right: "\\]", display: true },
              { left: "\\(", right: "\\)", display: false },
              { left: "$$", right: "$$", display: true },
              { left: "$", right: "$", display: false }
            ],
            throwOnError: false
          });
        });
        // display math wider than the column scrolls: let the keyboard reach it, as Material
        // does for code blocks
        document.querySelectorAll("div.arithmatex").forEach(function (block) {
          if (block.scrollWidth > block.clientWidth) block.setAttribute("tabindex", "0");
        });
        document.documentElement.classList.add("nnref-math-ready");
      });
  }

  function renderDiagrams() {
    var nodes = document.querySelectorAll(".nnref-mermaid");
    if (!nodes.length) return Promise.resolve();
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    return import(vendor + "mermaid/mermaid.esm.min.mjs").then(function (module) {
      var mermaid = module.default;
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
      return mermaid.run({ nodes: nodes }).then(function () {
        document.documentElement.classList.add("nnref-mermaid-ready");
      });
    });
  }

  function start() {
    renderMath().catch(function (e) { console.error(e); });
    renderDiagrams().catch(function (e) { console.error(e); });
    // re-draw diagrams in the new colours when the reader toggles dark mode
    new MutationObserver(function () { renderDiagrams(); })
      .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

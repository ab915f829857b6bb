/* Loads the chart libraries without holding up the page (issue 9).
 *
 * Every chart arrives as a static SVG drawn at build time, so the reader sees it
 * at first paint. The Vega libraries (about 300 KB gzip), the site's chart theme
 * and ictstory-charts.js, which makes the charts interactive, are fetched only
 * when a chart enters the viewport; on a wide screen (a
 * desktop, seldom on a metered connection) also once the browser is idle after
 * the page has loaded, so the charts are interactive before the reader gets
 * there. In the listed order, once.
 * The script's data-ictstory-libs attribute lists them (ictstory.site.sphinx_ext). */
(function () {
  "use strict";

  var me = document.currentScript;
  var libs = (me && me.dataset.ictstoryLibs || "").split(" ").filter(Boolean);
  var base = me ? me.src : document.baseURI;
  var started = false;

  function load() {
    if (started) { return; }
    started = true;
    libs.forEach(function (lib) {
      var script = document.createElement("script");
      script.src = new URL(lib, base).href;
      script.async = false; // run in the listed order
      document.head.appendChild(script);
    });
  }

  function watch() {
    var charts = document.querySelectorAll(".ictstory-chart");
    if (!charts.length) { return; }
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          observer.disconnect();
          load();
        }
      }, { rootMargin: "0px" });
      charts.forEach(function (chart) { observer.observe(chart); });
    } else {
      load();
    }
    if (!window.matchMedia("(min-width: 992px)").matches) { return; }
    var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 2000); };
    function later() { idle(load, { timeout: 5000 }); }
    if (document.readyState === "complete") { later(); } else { window.addEventListener("load", later); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();

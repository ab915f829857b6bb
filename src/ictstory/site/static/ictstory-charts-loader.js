/* Loads the chart libraries without holding up the page (issue 9).
 *
 * Every chart arrives as a static SVG drawn at build time, so the reader sees it
 * at first paint: the static drawing is the chart's facade. The Vega libraries
 * (about 300 KB gzip), the site's chart theme and ictstory-charts.js, which makes
 * the charts interactive, are fetched in the listed order, once:
 * - on a narrow screen (a phone), at the reader's first scroll, touch, key or
 *   pointer move, so loading a page never spends the phone's main thread on
 *   drawing charts (issue 21: first paint and blocking time); the charts near the
 *   viewport are then drawn, the others when the reader reaches them;
 * - on a wide screen (a desktop, seldom on a metered connection), when a chart
 *   enters the viewport or once the browser is idle after the page has loaded,
 *   so the charts are interactive before the reader gets there.
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

  var FIRST_ACTS = ["scroll", "wheel", "touchstart", "pointerdown", "pointermove", "keydown"];

  function atFirstAct() {
    function act() {
      FIRST_ACTS.forEach(function (type) { window.removeEventListener(type, act, true); });
      load();
    }
    FIRST_ACTS.forEach(function (type) {
      window.addEventListener(type, act, { capture: true, passive: true });
    });
  }

  function watch() {
    var charts = document.querySelectorAll(".ictstory-chart");
    if (!charts.length) { return; }
    if (!window.matchMedia("(min-width: 992px)").matches) { atFirstAct(); return; }
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

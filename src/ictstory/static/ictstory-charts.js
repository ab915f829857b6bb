/* Renders every .ictstory-chart block with the locally shipped Vega-Embed,
 * in the site's light or dark mode, and re-renders when the mode changes.
 *
 * Each block arrives with a static SVG of the chart (drawn at build time), so
 * it is visible before, and without, this script. A new interactive view is
 * drawn out of sight over it and takes its place only once it has drawn; if
 * drawing fails, the static SVG (or the previous view) stays. */
(function () {
  "use strict";

  var DARK = {
    title: { color: "#e6edf3", subtitleColor: "#adbac7" },
    axis: { labelColor: "#adbac7", titleColor: "#e6edf3", gridColor: "#3d444d",
            domainColor: "#768390", tickColor: "#768390" },
    legend: { labelColor: "#e6edf3", titleColor: "#e6edf3" },
    header: { labelColor: "#e6edf3", titleColor: "#e6edf3" },
    text: { color: "#e6edf3" }
  };

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  function merge(base, extra) {
    var out = Object.assign({}, base);
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      out[key] = value && typeof value === "object" && !Array.isArray(value)
        ? merge(base[key] || {}, value) : value;
    });
    return out;
  }

  function render(figure) {
    var view = figure.querySelector(".ictstory-chart__view");
    var specNode = figure.querySelector(".ictstory-chart__spec");
    if (!view || !specNode) { return; }
    var spec = JSON.parse(specNode.textContent);
    spec.config = merge(window.ICTSTORY_THEME || {}, spec.config || {});
    if (isDark()) { spec.config = merge(spec.config, DARK); }
    // The latest render wins when the mode changes again before one has drawn.
    var turn = (figure._ictstoryTurn || 0) + 1;
    figure._ictstoryTurn = turn;
    var live = document.createElement("div");
    live.className = "ictstory-chart__live ictstory-chart__live--pending";
    view.appendChild(live);
    window.vegaEmbed(live, spec, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      tooltip: { theme: isDark() ? "dark" : "light" }
    }).then(function (result) {
      if (figure._ictstoryTurn !== turn) {
        result.finalize();
        live.remove();
        return;
      }
      Array.prototype.slice.call(view.children).forEach(function (child) {
        if (child !== live) { view.removeChild(child); }
      });
      live.classList.remove("ictstory-chart__live--pending");
      if (figure._ictstoryView) { figure._ictstoryView.finalize(); }
      figure._ictstoryView = result;
      figure.dataset.rendered = "true";
    }).catch(function (error) {
      live.remove();
      if (figure._ictstoryTurn !== turn) { return; }
      figure.dataset.rendered = "error";
      console.error("ictstory chart", figure.id,
        "could not be drawn interactively; the static drawing stays:", error);
    });
  }

  function renderAll() {
    document.querySelectorAll(".ictstory-chart").forEach(render);
  }

  function start() {
    if (typeof window.vegaEmbed !== "function") {
      console.error("ictstory: the Vega libraries did not load");
      return;
    }
    renderAll();
    var last = isDark();
    new MutationObserver(function () {
      if (isDark() !== last) { last = isDark(); renderAll(); }
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".ictstory-chart__details").forEach(function (d) { d.open = true; });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Renders every .ictstory-chart block with the locally shipped Vega-Embed,
 * in the site's light or dark mode, and re-renders when the mode changes. */
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
    if (figure._ictstoryView) { figure._ictstoryView.finalize(); }
    window.vegaEmbed(view, spec, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      tooltip: { theme: isDark() ? "dark" : "light" }
    }).then(function (result) {
      figure._ictstoryView = result;
      figure.dataset.rendered = "true";
    }).catch(function (error) {
      figure.dataset.rendered = "error";
      view.textContent = "This chart could not be drawn: " + error.message +
        ". Its data are in the table below.";
      console.error("ictstory chart", figure.id, error);
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

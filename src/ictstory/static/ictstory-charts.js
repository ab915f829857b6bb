/* Renders every .ictstory-chart block with the locally shipped Vega-Embed,
 * in the site's light or dark mode, and re-renders when the mode changes.
 *
 * Each block arrives with a static SVG of the chart (drawn at build time), so
 * it is visible before, and without, this script. A new interactive view is
 * drawn out of sight over it and takes its place only once it has drawn; if
 * drawing fails, the static SVG (or the previous view) stays.
 *
 * Vega-Embed's action menu is off (it put a focusable menu inside the view's
 * role="img" and its <summary> had no name): each figure offers PNG and SVG
 * downloads named after the chart (buttons added to its actions line, beside
 * the link to the chart and its CSV), and tooltips are kept inside the screen. */
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

  var VI = (document.documentElement.lang || "").toLowerCase().indexOf("vi") === 0;
  var TEXT = VI
    ? { png: "Ảnh (PNG)", svg: "Ảnh (SVG)" }
    : { png: "Image (PNG)", svg: "Image (SVG)" };
  var TOOLTIP_ID = "vg-tooltip-element";
  var MARGIN = 8;

  function slugOf(figure) {
    return figure.dataset.slug || "chart";
  }

  // Save the drawn chart as an image named after it: <slug>.png or <slug>.svg.
  function saveImage(figure, type) {
    var result = figure._ictstoryView;
    if (!result) { return; }
    result.view.toImageURL(type, type === "png" ? 2 : 1).then(function (url) {
      var link = document.createElement("a");
      link.href = url;
      link.download = slugOf(figure) + "." + type;
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
    }).catch(function (error) {
      console.error("ictstory chart", figure.id, "could not be saved as " + type, error);
    });
  }

  function addImageButtons(figure) {
    var actions = figure.querySelector(".ictstory-chart__actions");
    if (!actions || actions.querySelector(".ictstory-chart__image")) { return; }
    ["png", "svg"].forEach(function (type) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ictstory-chart__image";
      button.dataset.type = type;
      button.textContent = TEXT[type];
      button.addEventListener("click", function () { saveImage(figure, type); });
      actions.appendChild(document.createTextNode(" "));
      actions.appendChild(button);
    });
  }

  // Vega-Tooltip places its box beside the pointer and, when no side fits (a
  // phone), at its top-left even off-screen: move it back inside the viewport.
  function clampTooltip(box) {
    if (!box.classList.contains("visible")) { return; }
    var rect = box.getBoundingClientRect();
    var width = document.documentElement.clientWidth || window.innerWidth;
    var height = window.innerHeight;
    var left = Math.max(MARGIN, Math.min(rect.left, width - rect.width - MARGIN));
    var top = Math.max(MARGIN, Math.min(rect.top, height - rect.height - MARGIN));
    if (Math.abs(left - rect.left) > 0.5) { box.style.left = left + "px"; }
    if (Math.abs(top - rect.top) > 0.5) { box.style.top = top + "px"; }
  }

  function watchTooltip() {
    var box = document.getElementById(TOOLTIP_ID);
    if (!box) {
      box = document.createElement("div");
      box.id = TOOLTIP_ID;
      box.className = "vg-tooltip";
      box.setAttribute("role", "tooltip");
      document.body.appendChild(box);
    }
    if (box._ictstoryClamped) { return; }
    box._ictstoryClamped = true;
    new MutationObserver(function () { clampTooltip(box); })
      .observe(box, { attributes: true, attributeFilter: ["style", "class"] });
  }

  // A tap on a phone fires no hover (Vega hides the tooltip on the tap's
  // pointerout): show the tapped mark's tooltip on the click that follows.
  function tapForDetails(result) {
    var view = result.view;
    view.addEventListener("click", function (event, item) {
      var handler = view.tooltip();
      if (handler && item && item.tooltip != null) {
        handler.call(view, view, event, item, item.tooltip);
      }
    });
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
    // A chart's inputs (a select bound to a parameter) go just above the view,
    // not inside its role="img", where a control cannot be reached.
    var controls = document.createElement("div");
    controls.className = "ictstory-chart__controls";
    controls.hidden = true;
    view.parentNode.insertBefore(controls, view);
    window.vegaEmbed(live, spec, {
      renderer: "svg",
      actions: false,
      bind: controls,
      downloadFileName: slugOf(figure),
      tooltip: { theme: isDark() ? "dark" : "light", offsetX: 12, offsetY: 12 }
    }).then(function (result) {
      if (figure._ictstoryTurn !== turn) {
        result.finalize();
        live.remove();
        controls.remove();
        return;
      }
      figure.querySelectorAll(".ictstory-chart__controls").forEach(function (old) {
        if (old !== controls) { old.remove(); }
      });
      controls.hidden = !controls.querySelector("input, select");
      Array.prototype.slice.call(view.children).forEach(function (child) {
        if (child !== live) { view.removeChild(child); }
      });
      live.classList.remove("ictstory-chart__live--pending");
      if (figure._ictstoryView) { figure._ictstoryView.finalize(); }
      figure._ictstoryView = result;
      tapForDetails(result);
      addImageButtons(figure);
      figure.dataset.rendered = "true";
    }).catch(function (error) {
      live.remove();
      controls.remove();
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
    watchTooltip();
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

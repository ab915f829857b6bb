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
 * the link to the chart and its CSV), and tooltips are kept inside the screen.
 *
 * Chart design (issue 9): the chart's title is the figure's HTML caption, so the
 * drawing leaves it out (the PNG/SVG downloads keep it); chart text is in the
 * page's font; stacked panels widen to the column; legends wrap to one column on
 * a phone; legends of the kinds of value draw each kind as its marks look. */
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
  // Must match ictstory.story.theme: KIND_SYMBOL_SIZE and the grey of kinds on
  // field-coloured marks (FIELD_COLOURS["sector_wide"]).
  var KIND_SYMBOL_SIZE = 200;
  var KIND_GREY = "#8C8C8C";
  // Below this width (px) legends take one column and stacked panels the whole width.
  var NARROW = 520;

  // The scale of `channel` beside a legend's other kind scale (ictstory.story.theme._paired_scale).
  function pairedScale(legend, channel, scales) {
    var other = channel === "fillOpacity" ? "strokeDash" : "fillOpacity";
    var name = legend[other];
    if (typeof name !== "string" || name.slice(-other.length) !== other) { return null; }
    var paired = name.slice(0, -other.length) + channel;
    return scales[paired] ? paired : null;
  }

  // Vega-Lite keeps only the dash in the merged legend of the kinds: give each symbol
  // its kind's fill opacity too (ictstory.story.theme.patch_kind_legends, same rules).
  function patchKindLegends(scope, inherited) {
    var scales = Object.assign({}, inherited || {});
    (scope.scales || []).forEach(function (s) { scales[s.name] = true; });
    (scope.legends || []).forEach(function (legend) {
      var fo = legend.fillOpacity || pairedScale(legend, "fillOpacity", scales);
      var sd = legend.strokeDash || pairedScale(legend, "strokeDash", scales);
      if (!fo || !sd) { return; }
      legend.fillOpacity = fo;
      legend.strokeDash = sd;
      legend.encode = legend.encode || {};
      legend.encode.symbols = legend.encode.symbols || {};
      var update = legend.encode.symbols.update = legend.encode.symbols.update || {};
      var fill = update.fill || {};
      update.fillOpacity = { scale: fo, field: "value" };
      update.strokeDash = { scale: sd, field: "value" };
      if ("value" in fill) {
        if (!update.stroke || update.stroke.value == null || update.stroke.value === "transparent") {
          update.stroke = { value: fill.value };
        }
      } else {
        update.fill = { value: KIND_GREY };
        update.stroke = { value: KIND_GREY };
      }
      update.strokeWidth = { value: 2 };
      update.opacity = { value: 1 };
      update.size = { value: KIND_SYMBOL_SIZE };
    });
    (scope.marks || []).forEach(function (mark) {
      if (mark.type === "group") { patchKindLegends(mark, scales); }
    });
    return scope;
  }

  // The sub-charts of a chart whose panels are stacked (one column).
  function stackedPanels(spec) {
    if (spec.vconcat) { return spec.vconcat; }
    if (spec.concat && spec.columns === 1) { return spec.concat; }
    return null;
  }

  // Stacked panels of a fixed width take `width` px each; a text mark's limit keeps
  // its distance to the panel's right edge (ictstory.story.charts.fit_panels, same rules).
  function fitPanels(spec, width) {
    var panels = stackedPanels(spec);
    if (!panels) { return spec; }
    panels.forEach(function (panel) {
      if (typeof panel.width !== "number") { return; }
      var grow = width - panel.width;
      panel.width = width;
      (panel.layer || [panel]).forEach(function (layer) {
        var mark = layer.mark;
        if (mark && typeof mark === "object" && typeof mark.limit === "number") {
          mark.limit = Math.max(40, mark.limit + grow);
        }
      });
    });
    return spec;
  }

  function panelWidth(spec) {
    var panels = stackedPanels(spec) || [];
    for (var i = 0; i < panels.length; i++) {
      if (typeof panels[i].width === "number") { return panels[i].width; }
    }
    return null;
  }

  function slugOf(figure) {
    return figure.dataset.slug || "chart";
  }

  // The drawn chart as an image URL, with its title (which the page shows in HTML).
  function imageURL(figure, type) {
    var result = figure._ictstoryView;
    var spec = figure._ictstorySpec;
    var scale = type === "png" ? 2 : 1;
    if (!spec || !figure._ictstoryTitle) { return result.view.toImageURL(type, scale); }
    var titled = Object.assign({}, spec, { title: figure._ictstoryTitle });
    // drawn out of the page, where a chart sized to its container would be 0 px wide
    if (titled.width === "container") { titled.width = result.view.width(); }
    var box = document.createElement("div");
    return window.vegaEmbed(box, titled, {
      renderer: "none", actions: false, tooltip: false, patch: patchKindLegends
    }).then(function (made) {
      return made.view.toImageURL(type, scale).finally(function () { made.finalize(); });
    });
  }

  // Save the drawn chart as an image named after it: <slug>.png or <slug>.svg.
  function saveImage(figure, type) {
    var result = figure._ictstoryView;
    if (!result) { return; }
    imageURL(figure, type).then(function (url) {
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

  // The title of a chart placed by the {chart} directive is the figure's HTML
  // heading; for the exported image it is wrapped into lines of about 40 characters.
  function wrapTitle(figure) {
    var node = figure.querySelector(".ictstory-chart__title");
    var words = node ? node.textContent.trim().split(/\s+/) : [];
    var lines = [];
    words.forEach(function (w) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + w).length <= 40) { lines[last] += " " + w; }
      else { lines.push(w); }
    });
    return lines.length ? lines : undefined;
  }

  function render(figure) {
    var view = figure.querySelector(".ictstory-chart__view");
    var specNode = figure.querySelector(".ictstory-chart__spec");
    if (!view || !specNode) { return; }
    var spec = JSON.parse(specNode.textContent);
    spec.config = merge(window.ICTSTORY_THEME || {}, spec.config || {});
    if (isDark()) { spec.config = merge(spec.config, DARK); }
    // the page's own font, and the title only in the HTML caption
    var font = window.getComputedStyle(figure).fontFamily;
    if (font) { spec.config.font = font; }
    var title = spec.title || wrapTitle(figure);
    delete spec.title;
    var avail = view.clientWidth || figure.clientWidth || 0;
    if (avail && avail < NARROW) {
      spec.config = merge(spec.config, { legend: { columns: 1, labelLimit: Math.max(120, avail - 40) } });
    }
    var padding = typeof spec.config.padding === "number" ? spec.config.padding : 5;
    var wanted = panelWidth(spec) === null ? 0 : avail - 2 * padding;
    if (wanted > 0) { fitPanels(spec, wanted); }
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
    var options = {
      renderer: "svg",
      actions: false,
      bind: controls,
      downloadFileName: slugOf(figure),
      patch: patchKindLegends,
      tooltip: { theme: isDark() ? "dark" : "light", offsetX: 12, offsetY: 12 }
    };
    window.vegaEmbed(live, spec, options).then(function (result) {
      // Stacked panels: what is not panel (axes, padding) is known once drawn; the
      // panels take the rest of the column, so the drawing is exactly its width.
      var svg = live.querySelector("svg");
      var over = svg ? svg.getBoundingClientRect().width - avail : 0;
      if (wanted > 0 && Math.abs(over) > 2 && figure._ictstoryTurn === turn) {
        result.finalize();
        live.textContent = "";
        fitPanels(spec, panelWidth(spec) - over);
        return window.vegaEmbed(live, spec, options);
      }
      return result;
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
      figure._ictstorySpec = spec;
      figure._ictstoryTitle = title;
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
    // A column that changes width (a phone turned, a window resized) redraws its
    // charts, so they keep fitting it; small changes (a scrollbar) do not.
    if ("ResizeObserver" in window) {
      var timer = null;
      var changed = [];
      var resized = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
          var figure = entry.target;
          var width = Math.round(entry.contentRect.width);
          if (figure._ictstoryWidth === undefined) { figure._ictstoryWidth = width; return; }
          if (Math.abs(width - figure._ictstoryWidth) < 24) { return; }
          figure._ictstoryWidth = width;
          changed.push(figure);
        });
        clearTimeout(timer);
        timer = setTimeout(function () {
          changed.splice(0).forEach(render);
        }, 200);
      });
      document.querySelectorAll(".ictstory-chart").forEach(function (f) { resized.observe(f); });
    }
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

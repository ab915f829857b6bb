/* Renders each .ictstory-chart block with the locally shipped Vega-Embed, in the
 * site's light or dark mode, when the reader nears or touches it (on a wide screen
 * also when the browser is idle; window.ictstoryCharts.drawAll() draws them all),
 * and re-renders the drawn ones when the mode changes.
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
 * drawing leaves it out (the PNG/SVG downloads draw it, issue 20: light, on white,
 * with the source line; a "Share / embed" panel gives the link and <iframe> code); chart text is in the
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

  // Each light-mode mark colour with its dark-mode twin (ictstory.story.theme.dark_colours):
  // in dark mode every field colour, the wave colour and the dots' halo are swapped.
  var DARK_COLOURS = window.ICTSTORY_DARK_COLOURS || {};
  var LIGHT_COLOURS = {};
  Object.keys(DARK_COLOURS).forEach(function (light) {
    LIGHT_COLOURS[DARK_COLOURS[light].toUpperCase()] = light;
  });

  // `value` (a spec or part of one) with every colour string of `table` swapped; the
  // rows (`datasets`, inline `data`) are left alone: they are data, not colours.
  function swapColours(value, table) {
    if (typeof value === "string") { return table[value.toUpperCase()] || value; }
    if (Array.isArray(value)) { return value.map(function (v) { return swapColours(v, table); }); }
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (key) {
        out[key] = key === "datasets" || key === "data" ? value[key] : swapColours(value[key], table);
      });
      return out;
    }
    return value;
  }

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
  function patchKindLegends(scope, inherited, grey) {
    grey = grey || KIND_GREY;
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
        update.fill = { value: grey };
        update.stroke = { value: grey };
      }
      update.strokeWidth = { value: 2 };
      update.opacity = { value: 1 };
      update.size = { value: KIND_SYMBOL_SIZE };
    });
    (scope.marks || []).forEach(function (mark) {
      if (mark.type === "group") { patchKindLegends(mark, scales, grey); }
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

  // ---- Export and sharing (issue 20) -------------------------------------
  // A downloaded PNG or SVG reads the same whatever the reader's mode: the chart is
  // drawn again in the light theme on white, with its title above it and its source
  // line below, both taken from the figure's HTML (the words the reader sees).
  var EXPORT = { background: "#ffffff", text: "#1f2328", muted: "#57606a", pad: 16,
                 title: 18, titleLine: 24, source: 12, sourceLine: 16, gap: 10 };

  // The page's spec with the colours dark mode changed put back to the light theme's.
  function lightSpec(figure) {
    var spec = swapColours(figure._ictstorySpec, LIGHT_COLOURS);
    var original = JSON.parse(figure.querySelector(".ictstory-chart__spec").textContent);
    var light = merge(window.ICTSTORY_THEME || {}, original.config || {});
    spec.config = spec.config || {};
    Object.keys(DARK).forEach(function (key) {
      var part = spec.config[key] = Object.assign({}, spec.config[key] || {});
      Object.keys(DARK[key]).forEach(function (name) {
        if (light[key] && light[key][name] !== undefined) { part[name] = light[key][name]; }
        else { delete part[name]; }
      });
    });
    spec.config.background = EXPORT.background;
    delete spec.title;
    // drawn out of the page, where a chart sized to its container would be 0 px wide
    if (spec.width === "container") { spec.width = figure._ictstoryView.view.width(); }
    return spec;
  }

  function textOf(figure, selector) {
    var node = figure.querySelector(selector);
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // Words of `text` in lines no wider than `width` px in `font` (a CSS font).
  function wrapText(text, font, width) {
    var context = document.createElement("canvas").getContext("2d");
    context.font = font;
    var lines = [];
    text.split(" ").filter(Boolean).forEach(function (word) {
      var last = lines.length ? lines[lines.length - 1] + " " + word : null;
      if (last !== null && context.measureText(last).width <= width) {
        lines[lines.length - 1] = last;
      } else {
        lines.push(word);
      }
    });
    return lines;
  }

  // Where title, chart and source line go in an export of a chart `width` x `height`.
  function exportLayout(figure, width, height) {
    var family = window.getComputedStyle(figure).fontFamily || "sans-serif";
    var W = Math.ceil(Math.max(width + 2 * EXPORT.pad, 360));
    var inner = W - 2 * EXPORT.pad;
    var titleFont = "600 " + EXPORT.title + "px " + family;
    var sourceFont = EXPORT.source + "px " + family;
    var title = wrapText(textOf(figure, ".ictstory-chart__title"), titleFont, inner);
    var source = wrapText(textOf(figure, ".ictstory-chart__source"), sourceFont, inner);
    var chartTop = EXPORT.pad + title.length * EXPORT.titleLine + EXPORT.gap;
    var sourceTop = chartTop + height + EXPORT.gap;
    return {
      width: W, height: Math.ceil(sourceTop + source.length * EXPORT.sourceLine + EXPORT.pad),
      family: family, titleFont: titleFont, sourceFont: sourceFont,
      title: title, source: source, chartTop: chartTop, sourceTop: sourceTop,
      chartLeft: Math.round((W - width) / 2)
    };
  }

  function xml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;")
      .replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function composeSVG(figure, chart) {
    var root = /<svg[^>]*>/.exec(chart)[0];
    var width = parseFloat((/\swidth="([\d.]+)"/.exec(root) || [0, 0])[1]);
    var height = parseFloat((/\sheight="([\d.]+)"/.exec(root) || [0, 0])[1]);
    var box = exportLayout(figure, width, height);
    function lines(list, top, size, step, weight, colour) {
      return list.map(function (line, i) {
        return '<text x="' + EXPORT.pad + '" y="' + (top + size + i * step) + '" font-size="' +
          size + '" font-weight="' + weight + '" fill="' + colour + '">' + xml(line) + "</text>";
      }).join("");
    }
    return '<svg xmlns="http://www.w3.org/2000/svg" width="' + box.width + '" height="' +
      box.height + '" viewBox="0 0 ' + box.width + " " + box.height + '" font-family="' +
      xml(box.family) + '"><rect width="100%" height="100%" fill="' + EXPORT.background + '"/>' +
      lines(box.title, EXPORT.pad, EXPORT.title, EXPORT.titleLine, 600, EXPORT.text) +
      '<g transform="translate(' + box.chartLeft + "," + box.chartTop + ')">' +
      chart.replace(/^<\?xml[^>]*>\s*/, "") + "</g>" +
      lines(box.source, box.sourceTop, EXPORT.source, EXPORT.sourceLine, 400, EXPORT.muted) +
      "</svg>";
  }

  function composePNG(figure, chart, scale) {
    var width = chart.width / scale;
    var height = chart.height / scale;
    var box = exportLayout(figure, width, height);
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(box.width * scale);
    canvas.height = Math.round(box.height * scale);
    var g = canvas.getContext("2d");
    g.scale(scale, scale);
    g.fillStyle = EXPORT.background;
    g.fillRect(0, 0, box.width, box.height);
    g.textBaseline = "alphabetic";
    g.fillStyle = EXPORT.text;
    g.font = box.titleFont;
    box.title.forEach(function (line, i) {
      g.fillText(line, EXPORT.pad, EXPORT.pad + EXPORT.title + i * EXPORT.titleLine);
    });
    g.drawImage(chart, box.chartLeft, box.chartTop, width, height);
    g.fillStyle = EXPORT.muted;
    g.font = box.sourceFont;
    box.source.forEach(function (line, i) {
      g.fillText(line, EXPORT.pad, box.sourceTop + EXPORT.source + i * EXPORT.sourceLine);
    });
    return canvas.toDataURL("image/png");
  }

  // The chart as an image URL (PNG: a data URL; SVG: a blob URL) as described above.
  function imageURL(figure, type) {
    var scale = type === "png" ? 2 : 1;
    var box = document.createElement("div");
    return window.vegaEmbed(box, lightSpec(figure), {
      renderer: "none", actions: false, tooltip: false,
      patch: function (vega) { return patchKindLegends(vega, null, KIND_GREY); }
    }).then(function (made) {
      var drawn = type === "png" ? made.view.toCanvas(scale) : made.view.toSVG();
      return drawn.then(function (chart) {
        if (type === "png") { return composePNG(figure, chart, scale); }
        var blob = new Blob([composeSVG(figure, chart)], { type: "image/svg+xml" });
        return URL.createObjectURL(blob);
      }).finally(function () { made.finalize(); });
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
      if (url.indexOf("blob:") === 0) { setTimeout(function () { URL.revokeObjectURL(url); }, 60000); }
    }).catch(function (error) {
      console.error("ictstory chart", figure.id, "could not be saved as " + type, error);
    });
  }

  var SHARE = VI
    ? { toggle: "Chia sẻ / nhúng", link: "Liên kết tới biểu đồ", code: "Mã nhúng (iframe)",
        copyLink: "Chép liên kết", copyCode: "Chép mã nhúng", copied: "Đã chép.",
        failed: "Không chép được: hãy chọn và chép bằng tay.", region: "Chia sẻ biểu đồ" }
    : { toggle: "Share / embed", link: "Link to this chart", code: "Embed code (iframe)",
        copyLink: "Copy link", copyCode: "Copy embed code", copied: "Copied.",
        failed: "Could not copy: select the text and copy it.", region: "Share this chart" };

  // The chart's own page to embed: <edition>/embed/<id>.html (ictstory.embed).
  function embedURL(figure) {
    var root = document.documentElement.dataset.content_root || "";
    return new URL(root + "embed/" + figure.id.replace(/^chart-/, "") + ".html",
                   window.location.href).href;
  }

  function chartURL(figure) {
    return window.location.href.split("#")[0] + "#" + figure.id;
  }

  function iframeCode(figure) {
    var view = figure.querySelector(".ictstory-chart__view");
    var height = Math.ceil((view ? view.getBoundingClientRect().height : 400) + 150);
    return '<iframe src="' + xml(embedURL(figure)) + '" title="' +
      xml(textOf(figure, ".ictstory-chart__title")) + '" width="100%" height="' + height +
      '" style="border:0;max-width:760px" loading="lazy"></iframe>';
  }

  function copyText(field, status) {
    function done(ok) { status.textContent = ok ? SHARE.copied : SHARE.failed; }
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () {
        done(document.execCommand && document.execCommand("copy"));
      });
    } else {
      done(document.execCommand && document.execCommand("copy"));
    }
  }

  function shareRow(id, label, value, copyLabel, multiline, status) {
    var row = document.createElement("div");
    row.className = "ictstory-chart__share-row";
    var name = document.createElement("label");
    name.htmlFor = id;
    name.textContent = label;
    var field = document.createElement(multiline ? "textarea" : "input");
    field.id = id;
    field.readOnly = true;
    field.value = value;
    if (multiline) { field.rows = 3; }
    field.addEventListener("focus", function () { field.select(); });
    var copy = document.createElement("button");
    copy.type = "button";
    copy.className = "ictstory-chart__copy";
    copy.textContent = copyLabel;
    copy.addEventListener("click", function () { copyText(field, status); });
    row.appendChild(name);
    row.appendChild(field);
    row.appendChild(copy);
    return row;
  }

  // "Share / embed": a button beside the downloads opening a panel with the chart's
  // link and the <iframe> code of its embed page, each with a copy button.
  function addShareButton(figure, actions) {
    if (actions.querySelector(".ictstory-chart__share-toggle")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ictstory-chart__share-toggle";
    button.textContent = SHARE.toggle;
    button.setAttribute("aria-expanded", "false");
    var panel = document.createElement("div");
    panel.className = "ictstory-chart__share";
    panel.id = figure.id + "-share";
    panel.hidden = true;
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", SHARE.region);
    button.setAttribute("aria-controls", panel.id);
    button.addEventListener("click", function () {
      var open = panel.hidden;
      if (open) {
        var status = document.createElement("p");
        status.className = "ictstory-chart__share-status";
        status.setAttribute("aria-live", "polite");
        panel.textContent = "";
        panel.appendChild(shareRow(figure.id + "-share-link", SHARE.link, chartURL(figure),
                                   SHARE.copyLink, false, status));
        panel.appendChild(shareRow(figure.id + "-share-code", SHARE.code, iframeCode(figure),
                                   SHARE.copyCode, true, status));
        panel.appendChild(status);
      }
      panel.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
    });
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(button);
    actions.parentNode.insertBefore(panel, actions.nextSibling);
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
    addShareButton(figure, actions);
  }

  // Vega-Tooltip places its box beside the pointer and, when no side fits (a
  // phone), at its top-left even off-screen: move it back inside the viewport.
  function clampTooltip(box) {
    if (!box.classList.contains("visible")) { return; }
    var width = document.documentElement.clientWidth || window.innerWidth;
    var height = window.innerHeight;
    tightenTooltip(box, width, height);
    var rect = box.getBoundingClientRect();
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

  // ---- Tooltips a thumb can use (issue 21) ---------------------------------
  // A compact card: the first field (what the mark is) as its head, the others as short
  // lines; a long value (a quoted excerpt, our English gloss of it) or a long key takes
  // the card's whole width, its key before it on its first line, and is cut to three
  // lines by ictstory.css (the data table and the sources page hold it whole). Text
  // only: every value is escaped.
  var LONG_VALUE = 60;
  var LONG_KEY = 18;
  function tooltipCard(value, sanitize) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return '<p class="ictstory-tip__head">' + sanitize(String(value)) + "</p>";
    }
    var keys = Object.keys(value).filter(function (key) {
      return value[key] !== null && value[key] !== undefined && String(value[key]).trim() !== "";
    });
    if (!keys.length) { return ""; }
    var head = keys.shift();
    return '<p class="ictstory-tip__head">' + sanitize(String(value[head])) + "</p>" +
      '<dl class="ictstory-tip">' + keys.map(function (key) {
        var text = String(value[key]);
        var pair = '<dt class="ictstory-tip__key">' + sanitize(key) + "</dt> " +
          '<dd class="ictstory-tip__value">' + sanitize(text) + "</dd>";
        if (text.length > LONG_VALUE || key.length > LONG_KEY) {
          return '<div class="ictstory-tip__long">' + pair + "</div>";
        }
        return pair;
      }).join("") + "</dl>";
  }

  // A card larger than a third of the screen (two long values and a long head on a
  // phone) cuts its long values shorter rather than growing.
  function tightenTooltip(box, width, height) {
    var card = box.querySelector(".ictstory-tip");
    if (!card || card.classList.contains("ictstory-tip--tight")) { return; }
    var rect = box.getBoundingClientRect();
    if (rect.width * rect.height > width * height / 3) {
      card.classList.add("ictstory-tip--tight");
    }
  }

  // Half the side of the square a tap may land in to hit a mark (px): 12 makes every
  // mark, even a 10 px dot, a target of at least 24 x 24 px.
  var HIT = 12;

  // The mark with a tooltip nearest to (x, y) (px from the drawing's top left), if one
  // is within HIT px of it.
  function nearestItem(view, x, y) {
    var best = null;
    var bestDistance = HIT;
    function walk(scene, ox, oy) {
      (scene.items || []).forEach(function (item) {
        if (scene.marktype === "group") {
          (item.items || []).forEach(function (child) {
            walk(child, ox + (item.x || 0), oy + (item.y || 0));
          });
          return;
        }
        if (item.tooltip == null || !item.bounds || scene.interactive === false) { return; }
        var b = item.bounds;
        var dx = Math.max(b.x1 + ox - x, 0, x - (b.x2 + ox));
        var dy = Math.max(b.y1 + oy - y, 0, y - (b.y2 + oy));
        var distance = Math.max(dx, dy);
        if (distance <= bestDistance) { best = item; bestDistance = distance; }
      });
    }
    walk(view.scenegraph().root, 0, 0);
    return best;
  }

  // A tap on a phone fires no hover (Vega hides the tooltip on the tap's
  // pointerout): show the tapped mark's tooltip on the click that follows; a tap
  // beside a small mark (within HIT px) shows that mark's.
  function tapForDetails(result) {
    var view = result.view;
    view.addEventListener("click", function (event, item) {
      var handler = view.tooltip();
      if (!handler) { return; }
      if (!item || item.tooltip == null) {
        var svg = view.container() && view.container().querySelector("svg");
        if (!svg || !event || event.clientX === undefined) { return; }
        var rect = svg.getBoundingClientRect();
        item = nearestItem(view, event.clientX - rect.left, event.clientY - rect.top);
      }
      if (item && item.tooltip != null) {
        handler.call(view, view, event, item, item.tooltip);
      }
    });
  }

  // ---- Text that fits a phone (issue 21) -------------------------------------
  // Words of `text` in lines no wider than `width` px in `font`: an axis, panel or
  // legend title that would not fit becomes two (or more) lines.
  function wrappedTitle(title, font, width) {
    if (Array.isArray(title) && title.every(function (t) { return typeof t === "string"; })) {
      title = title.join(" ");
    }
    if (typeof title !== "string" || !title || width <= 0) { return title; }
    var lines = wrapText(title, font, width);
    return lines.length > 1 ? lines : title;
  }

  var LEGEND_CHANNELS = ["color", "fill", "stroke", "shape", "strokeDash", "fillOpacity",
                         "opacity", "size"];

  // Wrap the titles of a spec's axes, panels and legends to the room they have, in place.
  function wrapTitles(spec, config, family, avail, narrower) {
    var axis = config.axis || {};
    var legend = config.legend || {};
    var titleConfig = config.title || {};
    var axisFont = (axis.titleFontWeight || 500) + " " + (axis.titleFontSize || 13) + "px " + family;
    var legendFont = (legend.titleFontWeight || 600) + " " + (legend.titleFontSize || 13) + "px " + family;
    // an x axis title is centred on the plot, which leaves room for the y axis
    var plot = avail - 80 - (narrower || 0);
    function wraps(title) {
      return typeof title === "string" || Array.isArray(title);
    }
    function channel(def, name) {
      if (!def || typeof def !== "object") { return; }
      if (name === "x" || name === "x2") {
        if (wraps(def.title)) { def.title = wrappedTitle(def.title, axisFont, plot); }
        if (def.axis && wraps(def.axis.title)) {
          def.axis.title = wrappedTitle(def.axis.title, axisFont, plot);
        }
      }
      if (LEGEND_CHANNELS.indexOf(name) < 0 || def.legend === null) { return; }
      if (def.legend && typeof def.legend === "object" && wraps(def.legend.title)) {
        def.legend.title = wrappedTitle(def.legend.title, legendFont, avail - 20);
      } else if (wraps(def.title)) {
        def.title = wrappedTitle(def.title, legendFont, avail - 20);
      }
    }
    function walk(node, top) {
      if (!node || typeof node !== "object") { return; }
      if (!top && node.title) {
        var size = (typeof node.title === "object" && node.title.fontSize) || titleConfig.fontSize || 16;
        var weight = (typeof node.title === "object" && node.title.fontWeight) || titleConfig.fontWeight || 600;
        var font = weight + " " + size + "px " + family;
        // a panel's title starts at its plot, right of the y axis
        if (wraps(node.title)) {
          node.title = wrappedTitle(node.title, font, plot + 40);
        } else if (wraps(node.title.text)) {
          node.title.text = wrappedTitle(node.title.text, font, plot + 40);
        }
      }
      if (node.encoding) {
        Object.keys(node.encoding).forEach(function (name) { channel(node.encoding[name], name); });
      }
      ["layer", "vconcat", "hconcat", "concat"].forEach(function (key) {
        (node[key] || []).forEach(function (part) { walk(part, false); });
      });
      if (node.spec) { walk(node.spec, false); }
    }
    walk(spec, true);
  }

  // How far (px) the drawing's text reaches beyond its edges: Vega leaves the lines a
  // wrapped label lifts above its row (a `dy` it cannot bound) out of its layout.
  function textOverflow(svg) {
    var box = svg.getBoundingClientRect();
    var out = { left: 0, right: 0, top: 0, bottom: 0, titleRoom: Infinity };
    svg.querySelectorAll("text").forEach(function (t) {
      if (!t.textContent.trim()) { return; }
      var r = t.getBoundingClientRect();
      if (!r.width || !r.height) { return; }
      out.left = Math.max(out.left, box.left - r.left);
      out.right = Math.max(out.right, r.right - box.right);
      out.top = Math.max(out.top, box.top - r.top);
      out.bottom = Math.max(out.bottom, r.bottom - box.bottom);
      // an axis title centred on its plot spills on a side: it must be that much narrower
      // on both sides
      var side = Math.max(box.left - r.left, r.right - box.right);
      if (side > 0 && t.closest(".role-axis-title")) {
        out.titleRoom = Math.min(out.titleRoom, r.width - 2 * side - 6);
      }
      // a legend sits where its plot starts, whatever the padding: its label is cut shorter
      if (side > 0 && t.closest(".role-legend-label")) {
        out.legendLabel = Math.min(out.legendLabel || Infinity, r.width - side - 4);
      }
    });
    return out;
  }

  // A legend's own labelLimit (in a channel's legend) held to `limit`, in place.
  function capLegendLabels(node, limit) {
    if (!node || typeof node !== "object") { return; }
    if (node.encoding) {
      Object.keys(node.encoding).forEach(function (name) {
        var legend = node.encoding[name] && node.encoding[name].legend;
        if (legend && typeof legend.labelLimit === "number") {
          legend.labelLimit = Math.min(legend.labelLimit, limit);
        }
      });
    }
    ["layer", "vconcat", "hconcat", "concat"].forEach(function (key) {
      (node[key] || []).forEach(function (part) { capLegendLabels(part, limit); });
    });
    if (node.spec) { capLegendLabels(node.spec, limit); }
  }

  function paddingOf(spec) {
    var p = spec.padding !== undefined ? spec.padding : spec.config.padding;
    if (typeof p === "number") { return { left: p, right: p, top: p, bottom: p }; }
    p = p || {};
    return { left: p.left || 0, right: p.right || 0, top: p.top || 0, bottom: p.bottom || 0 };
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
    var dark = isDark();
    if (dark) { spec = swapColours(spec, DARK_COLOURS); spec.config = merge(spec.config, DARK); }
    // the page's own font, and the title only in the HTML caption
    var font = window.getComputedStyle(figure).fontFamily;
    if (font) { spec.config.font = font; }
    var title = spec.title || wrapTitle(figure);
    delete spec.title;
    var avail = view.clientWidth || figure.clientWidth || 0;
    if (avail && avail < NARROW) {
      spec.config = merge(spec.config, { legend: { columns: 1, labelLimit: Math.max(120, avail - 40) } });
    }
    if (avail && font) { wrapTitles(spec, spec.config, font, avail); }
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
      patch: function (vega) {
        return patchKindLegends(vega, null, dark ? DARK_COLOURS[KIND_GREY] || KIND_GREY : KIND_GREY);
      },
      tooltip: { theme: dark ? "dark" : "light", offsetX: 12, offsetY: 12,
                 formatTooltip: tooltipCard }
    };
    // Drawn, then drawn again (twice at most) when it does not yet fit: stacked panels
    // take what the column leaves them once axes and padding are known, so the drawing
    // is exactly its width; text that reaches beyond the drawing's edges gets padding.
    var narrower = 0;
    function fit(result, tries) {
      var svg = live.querySelector("svg");
      if (!svg || tries <= 0 || figure._ictstoryTurn !== turn) { return result; }
      var over = svg.getBoundingClientRect().width - avail;
      var spill = textOverflow(svg);
      var grow = { left: Math.ceil(spill.left), right: Math.ceil(spill.right),
                   top: Math.ceil(spill.top), bottom: Math.ceil(spill.bottom) };
      var spills = grow.left + grow.right + grow.top + grow.bottom > 0;
      var refit = wanted > 0 && Math.abs(over) > 2;
      if (!spills && !refit) { return result; }
      result.finalize();
      live.textContent = "";
      if (spills) {
        // an x axis title wider than its plot: wrapped narrower (it is centred on the plot)
        narrower += 2 * (grow.left + grow.right) + 4;
        if (isFinite(spill.titleRoom)) {
          narrower = Math.max(narrower, avail - 80 - Math.max(40, spill.titleRoom));
        }
        if (spill.legendLabel && isFinite(spill.legendLabel)) {
          var limit = Math.max(60, spill.legendLabel);
          spec.config = merge(spec.config, { legend: { labelLimit: limit } });
          capLegendLabels(spec, limit);
        }
        if (avail && font) { wrapTitles(spec, spec.config, font, avail, narrower); }
        var pad = paddingOf(spec);
        spec.padding = { left: pad.left + grow.left, right: pad.right + grow.right,
                         top: pad.top + grow.top, bottom: pad.bottom + grow.bottom };
      }
      if (wanted > 0) { fitPanels(spec, panelWidth(spec) - over - grow.left - grow.right); }
      return window.vegaEmbed(live, spec, options).then(function (next) {
        return fit(next, tries - 1);
      });
    }
    window.vegaEmbed(live, spec, options).then(function (result) {
      return fit(result, 2);
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

  function figures() {
    return Array.prototype.slice.call(document.querySelectorAll(".ictstory-chart"));
  }

  // A chart is drawn interactively once: when it nears the viewport, when the reader
  // touches or tabs into it, on a wide screen when the browser is idle, or when
  // asked (drawAll). Until then its static drawing stays, so a long chapter does not
  // hold the phone's main thread drawing charts nobody has reached (issue 21).
  function draw(figure) {
    if (figure._ictstoryWanted) { return; }
    figure._ictstoryWanted = true;
    render(figure);
  }

  function drawAll() {
    figures().forEach(draw);
  }

  function redrawDrawn() {
    figures().filter(function (f) { return f._ictstoryWanted; }).forEach(render);
  }

  function drawWhenReached(list) {
    list.forEach(function (figure) {
      ["pointerdown", "focusin"].forEach(function (type) {
        figure.addEventListener(type, function () { draw(figure); }, { once: true });
      });
    });
    if (!("IntersectionObserver" in window)) { drawAll(); return; }
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return; }
        near.unobserve(entry.target);
        draw(entry.target);
      });
    }, { rootMargin: "50% 0px" });
    list.forEach(function (figure) { near.observe(figure); });
  }

  // Wide screens: the charts not yet reached, one per idle moment, so each drawing
  // is a task of its own and the reader finds them interactive.
  function drawWhenIdle() {
    if (!window.matchMedia("(min-width: 992px)").matches) { return; }
    var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 200); };
    function next() {
      var waiting = figures().filter(function (f) { return !f._ictstoryWanted; });
      if (!waiting.length) { return; }
      draw(waiting[0]);
      idle(next, { timeout: 3000 });
    }
    idle(next, { timeout: 3000 });
  }

  function start() {
    if (typeof window.vegaEmbed !== "function") {
      console.error("ictstory: the Vega libraries did not load");
      return;
    }
    watchTooltip();
    window.ictstoryCharts = { drawAll: drawAll };
    drawWhenReached(figures());
    drawWhenIdle();
    var last = isDark();
    new MutationObserver(function () {
      if (isDark() !== last) { last = isDark(); redrawDrawn(); }
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
          // not drawn yet: it will be drawn for the width it has then
          if (!figure._ictstoryWanted) { figure._ictstoryWidth = width; return; }
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

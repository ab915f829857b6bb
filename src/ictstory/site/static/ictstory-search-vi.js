/* The Vietnamese edition's search page (ictstory.site.search_vi): the index and the query
   are folded to letters without diacritics, so a result's summary must find the
   query in the page's text folded the same way ("buu chinh" in "Bưu chính").
   Folding keeps every letter in place, so a position in the folded text is the
   same position in the page's text. Replaces Sphinx's Search.makeSearchSummary.
   Sphinx loads searchtools.js after this file and starts searching when the page is
   ready; this replaces the function first, as soon as the page is parsed. */
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Search === "undefined" || !Search.makeSearchSummary) return;
  var fold = function (text) {
    return text
      .normalize("NFC")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  };
  Search.makeSearchSummary = function (htmlText, keywords, anchor) {
    var text = Search.htmlToText(htmlText, anchor).normalize("NFC");
    if (text === "") return null;
    var folded = fold(text);
    var positions = Array.from(keywords)
      .map(function (k) { return folded.indexOf(fold(k)); })
      .filter(function (i) { return i > -1; });
    var start = Math.max((positions.length ? Math.min.apply(null, positions) : 0) - 120, 0);
    var summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent =
      (start === 0 ? "" : "...") +
      text.substr(start, 240).trim() +
      (start + 240 < text.length ? "..." : "");
    return summary;
  };
});

/*
 * Material wraps every table without a class in a scrolling box (div.md-typeset__scrollwrap).
 * When the table holds no link, a keyboard cannot reach the box: on a phone a wide table scrolls
 * for a finger or a mouse only (axe-core: scrollable-region-focusable, serious). A box wider
 * than its column joins the tab order; one that fits leaves it again (resize, rotation).
 * Loaded after Material's bundle, only by pages with such a table (overrides/main.html).
 */
(function () {
  "use strict";
  function update() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }
  // Material's document$ replays the page once its components (the table boxes) are mounted.
  if (window.document$) window.document$.subscribe(update);
  window.addEventListener("load", update);
  var timer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 100);
  });
})();

/*
 * Material for MkDocs' inline content script (partials/javascripts/content.html), as a file so
 * that the Content-Security-Policy can forbid inline scripts: a link to a content tab selects it.
 */
(function () {
  "use strict";
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
})();

/*
 * Material for MkDocs' inline helpers (partials/javascripts/base.html), as a file so that the
 * Content-Security-Policy can forbid inline scripts. Same globals, same behaviour; the scope (the
 * site root) comes from this file's own address, assets/notebook/material-helpers.js.
 */
(function () {
  "use strict";
  var scope = new URL("../../", document.currentScript.src);
  window.__md_scope = scope;
  window.__md_hash = function (value) {
    return Array.prototype.reduce.call(value, function (hash, character) {
      return (hash << 5) - hash + character.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || scope;
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      /* storage full or disabled: nothing to remember */
    }
  };
})();

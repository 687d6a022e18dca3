/*
 * Campaign Notebook search: the Pagefind UI in the header's search dialog.
 *
 * The header holds only the button; the dialog is made on first use.
 * Pagefind's index is built after the site (generator/site/searchindex.py) into pagefind/ at the
 * site root. Nothing is fetched until the dialog is first opened: then the UI's script and style,
 * and per query only the index chunks and fragments that the query needs. All from the site
 * itself, as the Content-Security-Policy demands (the WebAssembly needs 'wasm-unsafe-eval').
 * "/" opens the dialog from anywhere, Escape closes it (the <dialog> element's own behaviour),
 * and ?q=words opens it with a search already run, as a shared search link would.
 */
(function () {
  "use strict";

  // material-helpers.js knows the site root from its own address.
  var bundle = new URL("pagefind/", window.__md_scope || document.baseURI).href;
  var ui = null;
  var loading = null;

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = bundle + "pagefind-ui.css";
      document.head.appendChild(style);
      var script = document.createElement("script");
      script.src = bundle + "pagefind-ui.js";
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    }).then(function () {
      ui = new window.PagefindUI({
        element: "#cn-search",
        bundlePath: bundle,
        showSubResults: true,
        showImages: false,
        resetStyles: false,
        autofocus: true,
        // Campaign pages are long (workflow tables, journals): a weaker length penalty keeps a
        // record's own page, which names its id at high weight, above pages that mention it.
        ranking: { pageLength: 0.2 },
        translations: { placeholder: "Search ids, names, Jira keys, collections, reasons" },
      });
      var input = document.querySelector("#cn-search input");
      if (input) input.setAttribute("aria-label", "Search the notebook");
      // Pagefind's form carries action="javascript:void(0)": no javascript: URL on our pages
      // (the hostile-input tests look for any); submitting just stays on the page.
      var form = document.querySelector("#cn-search form");
      if (form) {
        form.removeAttribute("action");
        form.addEventListener("submit", function (event) {
          event.preventDefault();
        });
      }
      return ui;
    });
    return loading;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The dialog is made when first needed rather than carried by every page of the site.
  function dialog() {
    var box = document.getElementById("cn-search-dialog");
    if (box) return box;
    box = element("dialog", "cn-search");
    box.id = "cn-search-dialog";
    box.setAttribute("aria-label", "Search the notebook");
    var head = element("div", "cn-search__head");
    head.appendChild(element("h2", "cn-search__title", "Search"));
    var close = element("button", "cn-search__close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close search");
    head.appendChild(close);
    box.appendChild(head);
    var ui = element("div", "cn-search__ui");
    ui.id = "cn-search";
    box.appendChild(ui);
    var button = document.querySelector(".cn-search-open");
    (button ? button.parentNode : document.body).appendChild(box);
    return box;
  }

  function isOpen() {
    var box = document.getElementById("cn-search-dialog");
    return Boolean(box && box.open);
  }

  function open(query) {
    var box = dialog();
    if (!box.open) box.showModal();
    load().then(function (search) {
      var input = document.querySelector("#cn-search input");
      if (query) search.triggerSearch(query);
      if (input) input.focus();
    });
  }

  function typing(target) {
    return (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest(".cn-search-open")) open("");
    else if (target.closest(".cn-search__close")) dialog().close();
    else if (target.id === "cn-search-dialog") dialog().close(); // a click on the backdrop
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || isOpen()) return;
    event.preventDefault();
    open("");
  });

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) open(query);
})();

/*
 * Campaign Notebook: the little client-side behaviour the static site needs.
 *
 * - Campaign index (#campaign-index): free-text and facet filters, column sorting, a row count,
 *   all kept in the URL query so a filtered view can be shared, bookmarked and reloaded.
 * - Compare page (#cn-compare): pick two campaigns from api/campaigns.json and list only the
 *   fields that differ.
 *
 * Every text that comes from records is written with textContent, never parsed as HTML.
 * Material's instant navigation swaps pages without reloading scripts, so init() runs on each
 * page through Material's document$ observable and must be safe to run twice on the same page.
 */
(function () {
  "use strict";

  var FACETS = ["status", "kind", "production"];
  var TEXT_DEBOUNCE_MS = 150;
  var ROW_LIMIT = 500;
  var collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  var countFormat = new Intl.NumberFormat("en");

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function currentParams() {
    return new URLSearchParams(window.location.search);
  }

  // replaceState, not pushState: typing in a filter must not flood the back button.
  function writeParams(values) {
    var params = currentParams();
    Object.keys(values).forEach(function (name) {
      if (values[name]) params.set(name, values[name]);
      else params.delete(name);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }

  /* ------------------------------------------------------------------ campaign index */

  function initIndex() {
    var table = document.getElementById("campaign-index");
    var controls = document.getElementById("campaign-index-controls");
    if (!table || !controls || !table.tHead || !table.tBodies.length) return;
    if (table.getAttribute("data-cn-ready")) return;
    table.setAttribute("data-cn-ready", "1");

    var tbody = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    // Precomputed once: 5,000 rows must filter without touching the DOM for their text.
    var records = Array.prototype.map.call(tbody.rows, function (row, position) {
      return {
        row: row,
        position: position,
        text: row.textContent.toLowerCase(),
        facets: {
          status: row.getAttribute("data-status") || "",
          kind: row.getAttribute("data-kind") || "",
          production: row.getAttribute("data-production") || "",
        },
        sortValues: Object.create(null),
        visible: true,
      };
    });
    var columns = headers.map(function (th, index) {
      return { th: th, index: index, key: th.getAttribute("data-key") || String(index), type: th.getAttribute("data-type") || "text" };
    });

    var params = currentParams();
    var state = { filter: params.get("filter") || "", sort: params.get("sort") || "", dir: params.get("dir") === "desc" ? "desc" : "asc" };
    FACETS.forEach(function (facet) {
      state[facet] = params.get(facet) || "";
    });
    if (!columnByKey(state.sort)) state.sort = "";

    function columnByKey(key) {
      for (var i = 0; i < columns.length; i++) if (columns[i].key === key) return columns[i];
      return null;
    }

    // A cell may carry data-sort (e.g. an ISO date behind a friendly label); else its text.
    function sortValue(record, column) {
      if (!(column.key in record.sortValues)) {
        var cell = record.row.cells[column.index];
        var value = cell ? (cell.getAttribute("data-sort") || cell.textContent).trim() : "";
        record.sortValues[column.key] = value;
      }
      return record.sortValues[column.key];
    }

    var searchInput = element("input", { type: "search", id: "cn-index-filter", placeholder: "id, name, ticket, person…", autocomplete: "off" });
    searchInput.value = state.filter;
    var count = element("p", { class: "cn-index-count", role: "status", "aria-live": "polite" });
    var clearButton = element("button", { type: "button", class: "md-button cn-index-clear" }, "Clear filters");

    var form = element("form", { class: "cn-index-controls", role: "search", "aria-label": "Filter campaigns" });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    var searchLabel = element("label", { for: "cn-index-filter" }, "Filter");
    form.append(wrapField(searchLabel, searchInput));

    var selects = {};
    FACETS.forEach(function (facet) {
      var select = element("select", { id: "cn-index-" + facet, "data-facet": facet });
      select.append(element("option", { value: "" }, "All"));
      var values = Object.create(null);
      records.forEach(function (record) {
        if (record.facets[facet]) values[record.facets[facet]] = true;
      });
      // A shared link may name a value no row has any more: keep it visible rather than silently
      // showing "All" while filtering everything out.
      if (state[facet]) values[state[facet]] = true;
      Object.keys(values)
        .sort(collator.compare)
        .forEach(function (value) {
          select.append(element("option", { value: value }, value));
        });
      select.value = state[facet];
      select.addEventListener("change", function () {
        state[facet] = select.value;
        update(false);
      });
      selects[facet] = select;
      var label = element("label", { for: select.id }, facet.charAt(0).toUpperCase() + facet.slice(1));
      form.append(wrapField(label, select));
    });
    form.append(clearButton);
    controls.replaceChildren(form, count);

    // Laying out thousands of table rows takes the browser seconds on a modest machine, so only
    // the first ROW_LIMIT matching rows are displayed until the reader asks for all of them.
    var showAll = false;
    var showAllButton = element("button", { type: "button", class: "md-button cn-index-more" });
    showAllButton.addEventListener("click", function () {
      showAll = true;
      update(false);
    });
    table.after(showAllButton);

    var debounce = null;
    searchInput.addEventListener("input", function () {
      window.clearTimeout(debounce);
      debounce = window.setTimeout(function () {
        state.filter = searchInput.value;
        update(false);
      }, TEXT_DEBOUNCE_MS);
    });
    clearButton.addEventListener("click", function () {
      window.clearTimeout(debounce);
      state.filter = "";
      searchInput.value = "";
      FACETS.forEach(function (facet) {
        state[facet] = "";
        selects[facet].value = "";
      });
      update(false);
    });

    columns.forEach(function (column) {
      // A real button inside the header: focusable, Enter/Space work, screen readers announce it.
      var button = element("button", { type: "button", class: "cn-sort" });
      button.append.apply(button, Array.prototype.slice.call(column.th.childNodes));
      button.append(element("span", { class: "cn-sort__arrow", "aria-hidden": "true" }));
      column.th.replaceChildren(button);
      button.addEventListener("click", function () {
        if (state.sort === column.key) state.dir = state.dir === "asc" ? "desc" : "asc";
        else {
          state.sort = column.key;
          state.dir = "asc";
        }
        update(true);
      });
    });

    function compareRecords(column, direction) {
      return function (left, right) {
        var a = sortValue(left, column);
        var b = sortValue(right, column);
        // Empty cells (no end date yet, no Jira) always go last, whatever the direction.
        if (!a !== !b) return a ? -1 : 1;
        var order = column.type === "date" ? (a < b ? -1 : a > b ? 1 : 0) : collator.compare(a, b);
        return order * direction || left.position - right.position;
      };
    }

    function matches(record, words) {
      for (var i = 0; i < FACETS.length; i++) {
        var facet = FACETS[i];
        if (state[facet] && record.facets[facet] !== state[facet]) return false;
      }
      for (var j = 0; j < words.length; j++) if (record.text.indexOf(words[j]) === -1) return false;
      return true;
    }

    var order = records;
    function update(reorder) {
      if (reorder) {
        var column = columnByKey(state.sort);
        order = records.slice();
        if (column) order.sort(compareRecords(column, state.dir === "desc" ? -1 : 1));
        var fragment = document.createDocumentFragment();
        order.forEach(function (record) {
          fragment.appendChild(record.row);
        });
        tbody.appendChild(fragment);
      }
      var words = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
      var limit = showAll ? Infinity : ROW_LIMIT;
      var matching = 0;
      order.forEach(function (record) {
        var visible = matches(record, words) && ++matching <= limit;
        if (visible !== record.visible) {
          record.visible = visible;
          record.row.hidden = !visible;
        }
      });
      columns.forEach(function (column) {
        if (column.key === state.sort) column.th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
        else column.th.removeAttribute("aria-sort");
      });
      var noun = records.length === 1 ? "campaign" : "campaigns";
      count.textContent = countFormat.format(matching) + " of " + countFormat.format(records.length) + " " + noun;
      showAllButton.hidden = matching <= limit;
      showAllButton.textContent = "Show all " + countFormat.format(matching) + " (the first " + countFormat.format(ROW_LIMIT) + " are shown)";
      table.classList.toggle("cn-index--empty", matching === 0);
      var filtered = Boolean(state.filter) || FACETS.some(function (facet) { return state[facet]; });
      clearButton.hidden = !filtered;
      // Not "q": Material reads ?q= on any page as a search and opens its search dialog.
      writeParams({
        filter: state.filter,
        status: state.status,
        kind: state.kind,
        production: state.production,
        sort: state.sort,
        dir: state.sort && state.dir === "desc" ? "desc" : "",
      });
    }

    update(Boolean(state.sort));
  }

  function wrapField(label, control) {
    var field = element("span", { class: "cn-field" });
    field.append(label, control);
    return field;
  }

  /* ------------------------------------------------------------------ compare */

  function initCompare() {
    var root = document.getElementById("cn-compare");
    if (!root || root.getAttribute("data-cn-ready")) return;
    root.setAttribute("data-cn-ready", "1");
    var apiUrl = new URL(root.getAttribute("data-api") || "../api/campaigns.json", window.location.href);
    // The export lives at <site>/api/campaigns.json and its urls are relative to <site>/.
    var siteRoot = new URL("../", apiUrl);
    root.replaceChildren(element("p", { class: "cn-compare-status" }, "Loading campaigns…"));
    fetch(apiUrl.href)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(
        function (data) {
          buildCompare(root, data.campaigns || [], siteRoot);
        },
        function (error) {
          var message = "Could not load " + apiUrl.pathname + " (" + error.message + ").";
          // Browsers refuse fetch() on file:// pages: the site must be served, even locally.
          if (window.location.protocol === "file:") message += " Open the site through a web server, e.g. `mkdocs serve`.";
          root.replaceChildren(element("p", { class: "cn-compare-status cn-compare-status--error" }, message));
        }
      );
  }

  function buildCompare(root, campaigns, siteRoot) {
    var byId = Object.create(null);
    campaigns.forEach(function (campaign) {
      byId[campaign.id] = campaign;
    });
    var params = currentParams();
    var chosen = { a: params.get("a") || "", b: params.get("b") || "" };
    if (!chosen.a && !chosen.b) {
      // Nothing asked for: show something useful, a derived campaign next to its parent.
      for (var i = 0; i < campaigns.length; i++) {
        var parent = campaigns[i].record && campaigns[i].record.derived_from;
        if (typeof parent === "string" && byId[parent]) {
          chosen = { a: parent, b: campaigns[i].id };
          break;
        }
      }
    }

    var form = element("form", { class: "cn-compare-controls" });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    var selects = {};
    ["a", "b"].forEach(function (side) {
      var select = element("select", { id: "cn-compare-" + side, "data-side": side });
      select.append(element("option", { value: "" }, "Choose a campaign…"));
      campaigns.forEach(function (campaign) {
        select.append(element("option", { value: campaign.id }, campaign.id + " — " + campaign.name));
      });
      select.value = byId[chosen[side]] ? chosen[side] : "";
      select.addEventListener("change", render);
      selects[side] = select;
      form.append(wrapField(element("label", { for: select.id }, side === "a" ? "Campaign A" : "Campaign B"), select));
    });
    var swap = element("button", { type: "button", class: "md-button cn-compare-swap" }, "Swap");
    swap.addEventListener("click", function () {
      var a = selects.a.value;
      selects.a.value = selects.b.value;
      selects.b.value = a;
      render();
    });
    form.append(swap);
    var result = element("div", { class: "cn-compare-result", "aria-live": "polite" });
    root.replaceChildren(form, result);

    function render() {
      var a = byId[selects.a.value];
      var b = byId[selects.b.value];
      writeParams({ a: selects.a.value, b: selects.b.value });
      if (!a || !b) {
        result.replaceChildren(element("p", { class: "cn-compare-status" }, "Choose two campaigns to see what differs between them."));
        return;
      }
      var differences = [];
      collectDifferences("", a.record, b.record, differences);
      var heading = element("p", { class: "cn-compare-status" });
      if (!differences.length) {
        heading.textContent = a === b ? "The same campaign is selected twice: no differences." : "No differences: the two records are identical.";
        result.replaceChildren(heading);
        return;
      }
      heading.textContent = differences.length + (differences.length === 1 ? " field differs." : " fields differ.");
      var table = element("table", { class: "cn-compare-table" });
      var head = table.createTHead().insertRow();
      head.append(element("th", { scope: "col" }, "Field"), campaignHeader(a, siteRoot), campaignHeader(b, siteRoot));
      var body = table.createTBody();
      differences.forEach(function (difference) {
        var row = body.insertRow();
        row.append(element("th", { scope: "row" }, difference.path), valueCell(difference.a), valueCell(difference.b));
      });
      result.replaceChildren(heading, table);
    }
    render();
  }

  function campaignHeader(campaign, siteRoot) {
    var th = element("th", { scope: "col" });
    th.append(element("a", { href: new URL(campaign.url, siteRoot).href }, campaign.id));
    return th;
  }

  function valueCell(value) {
    var cell = element("td");
    if (value === undefined || value === null) cell.append(element("em", { class: "cn-absent" }, "not set"));
    else cell.textContent = displayValue(value);
    return cell;
  }

  // Plain values as they read in YAML; a mapping as "key: value, ..." and a list of mappings one
  // per line (the cell keeps line breaks), deeper structures as compact JSON.
  function displayValue(value) {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) {
      if (!value.length) return "(empty list)";
      if (value.every(isScalar)) return value.join(", ");
      if (value.every(isPlainObject)) return value.map(displayMapping).join("\n");
    }
    if (isPlainObject(value)) return Object.keys(value).length ? displayMapping(value) : "(empty)";
    return JSON.stringify(value);
  }

  function displayMapping(mapping) {
    return Object.keys(mapping)
      .map(function (key) {
        var item = mapping[key];
        return key + ": " + (typeof item === "string" ? item : JSON.stringify(item));
      })
      .join(", ");
  }

  function isScalar(value) {
    return value === null || ["string", "number", "boolean"].indexOf(typeof value) !== -1;
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // How a value is walked: plain objects by key, lists of objects that carry a name (workflows,
  // operators) by name, so inserting one workflow does not make every later one look changed,
  // other lists of objects by position; everything else is compared as a whole value.
  function shapeOf(value) {
    if (value === undefined || value === null) return "missing";
    if (isPlainObject(value)) return Object.keys(value).length ? "object" : "leaf";
    if (Array.isArray(value) && value.length && value.every(isPlainObject)) {
      var named = value.every(function (item) {
        return typeof item.name === "string";
      });
      return named ? "named-list" : "list";
    }
    return "leaf";
  }

  function unionKeys(left, right) {
    var keys = Object.keys(left);
    Object.keys(right).forEach(function (key) {
      if (!Object.prototype.hasOwnProperty.call(left, key)) keys.push(key);
    });
    return keys;
  }

  function byName(list) {
    var map = Object.create(null);
    list.forEach(function (item) {
      map[item.name] = item;
    });
    return map;
  }

  // Walk both records together so that a field present on one side only still lands next to its
  // siblings, with its dotted path (workflows[step1-group1].status, pipeline.config[0].value).
  // A part missing on one side is one row with the whole value, not one row per sub-field.
  function collectDifferences(path, a, b, out) {
    var shape = shapeOf(a);
    if (shape === "leaf" || shape === "missing" || shapeOf(b) !== shape) {
      if (!sameValue(a, b)) out.push({ path: path, a: a, b: b });
      return;
    }
    if (shape === "object") {
      unionKeys(a, b).forEach(function (key) {
        collectDifferences(path ? path + "." + key : key, a[key], b[key], out);
      });
    } else if (shape === "named-list") {
      var leftByName = byName(a);
      var rightByName = byName(b);
      unionKeys(leftByName, rightByName).forEach(function (name) {
        collectDifferences(path + "[" + name + "]", leftByName[name], rightByName[name], out);
      });
    } else {
      for (var i = 0; i < Math.max(a.length, b.length); i++) collectDifferences(path + "[" + i + "]", a[i], b[i], out);
    }
  }

  function sameValue(a, b) {
    if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
    return JSON.stringify(a) === JSON.stringify(b);
  }

  /* ------------------------------------------------------------------ mermaid */

  // Material renders every <pre class="mermaid"> with the global `mermaid`, and fetches it from a
  // CDN when that global is missing, which fails offline. The real script (vendor/, next to this
  // file) is 3.5 MB, so stand in for it with a loader that fetches it on the first diagram only:
  // pages without diagrams, like the 5,000-row index, stay light.
  function installMermaidLoader(ownScript) {
    if (typeof window.mermaid !== "undefined" && !(window.mermaid instanceof Element)) return;
    if (!ownScript || !ownScript.src) return;
    var source = new URL("vendor/mermaid.min.js", ownScript.src).href;
    var options = null;
    var loading = null;
    function load() {
      if (!loading) {
        loading = new Promise(function (resolve, reject) {
          var script = element("script", { src: source });
          script.onload = function () {
            // The real script replaced window.mermaid; hand it the options Material gave us.
            if (options) window.mermaid.initialize(options);
            resolve(window.mermaid);
          };
          script.onerror = function () {
            reject(new Error("could not load " + source));
          };
          document.head.appendChild(script);
        });
      }
      return loading;
    }
    window.mermaid = {
      initialize: function (given) {
        options = given;
      },
      render: function (id, text) {
        return load().then(function (real) {
          return real.render(id, text);
        });
      },
    };
  }

  /* ------------------------------------------------------------------ wiring */

  function init() {
    initIndex();
    initCompare();
  }

  if (window.__campaignNotebookInitialised) return;
  window.__campaignNotebookInitialised = true;
  installMermaidLoader(document.currentScript);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/*
 * Campaign index only (loaded by campaigns/index.md): free-text and facet filters, column
 * sorting and a row count over #campaign-index, all kept in the URL query so a filtered view can
 * be shared, bookmarked and reloaded (README-contract.md, section 1).
 *
 * Every text that comes from records is written with textContent, never parsed as HTML. The
 * script is a deferred file in the page (the CSP forbids inline scripts) and marks the table it
 * has enhanced, so running it twice on one page (Material's instant navigation re-runs scripts
 * in the content) changes nothing.
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

  initIndex();
})();

/*
 * Compare page only (loaded by compare.md): pick two campaigns and list the fields in which
 * their records differ.
 *
 * The page decides nothing about what matches what: Python exports every campaign normalised
 * (api/campaigns/<id>.json.gz, generator/site/compare_export.py) and this script walks two such trees side
 * by side, which gives exactly the changes `campaigns diff` finds (generator/comparison.py,
 * tested on the shared cases in tests/compare/cases/ on both sides). What is left here is
 * presentation: the changes grouped as the export says (definition, people, workflows, other;
 * run facts folded away), values as key: value lines, never JSON.
 *
 * Record text is written with textContent only. Running the script twice on one page (Material's
 * instant navigation re-runs content scripts) changes nothing: the root is marked when done.
 */
(function () {
  "use strict";

  const GROUP_TITLES = {
    definition: "Definition",
    people: "People",
    workflows: "Workflows",
    other: "Names, descriptions and references",
    run: "Run facts",
  };
  const countFormat = new Intl.NumberFormat("en");

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // replaceState, not pushState: choosing campaigns must not flood the back button.
  function writeParams(values) {
    const params = new URLSearchParams(window.location.search);
    for (const [name, value] of Object.entries(values)) {
      if (value) params.set(name, value);
      else params.delete(name);
    }
    const query = params.toString();
    const url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }

  /* ------------------------------------------------------------------ the walk */

  // Nodes (compare_export.py): a string, number, boolean or null, or [0, value, type] (leaves);
  // [1, [[key, node]...]] a mapping; [2, validItemKeys, items, namesByKey?] a list of mappings.
  function isLeaf(node) {
    return !Array.isArray(node) || node[0] === 0;
  }

  function sameLeaf(a, b) {
    if (!isLeaf(a) || !isLeaf(b)) return false;
    const typeOf = (leaf) => (Array.isArray(leaf) ? leaf[2] : leaf === null ? "null" : typeof leaf);
    const valueOf = (leaf) => (Array.isArray(leaf) ? leaf[1] : leaf);
    return typeOf(a) === typeOf(b) && JSON.stringify(valueOf(a)) === JSON.stringify(valueOf(b));
  }

  function entries(mapping) {
    const result = new Map();
    for (const [key, value] of mapping[1]) if (!result.has(key)) result.set(key, value);
    return result;
  }

  function unionKeys(left, right) {
    const keys = Array.from(left.keys());
    for (const key of right.keys()) if (!left.has(key)) keys.push(key);
    return keys;
  }

  // An item's name: its key's value (a string), or as Python printed it (names, when not one).
  function itemsByName(list, key) {
    const result = new Map();
    list[2].forEach((item, index) => {
      const name = list[3] && list[3][key] ? list[3][key][index] : entries(item).get(key);
      result.set(name, item);
    });
    return result;
  }

  // Mirrors comparison._compare: mappings key by key, lists of mappings item by item (by the
  // first item key valid on both sides, else by position), everything else as a whole value.
  function walk(path, a, b, out) {
    if (a === undefined) a = null;
    if (b === undefined) b = null;
    // Journal entries match by date, author and text (their key): an entry on both sides is no
    // change, whatever else it carries (its Jira keys), as in comparison.campaign_differences.
    if (a !== null && b !== null && /^journal\[[^\]]*\]$/.test(path)) return;
    if (Array.isArray(a) && Array.isArray(b) && a[0] === 1 && b[0] === 1) {
      const left = entries(a);
      const right = entries(b);
      for (const key of unionKeys(left, right)) walk(path ? path + "." + key : key, left.get(key), right.get(key), out);
    } else if (Array.isArray(a) && Array.isArray(b) && a[0] === 2 && b[0] === 2) {
      const key = a[1].find((name) => b[1].indexOf(name) !== -1);
      if (key) {
        const left = itemsByName(a, key);
        const right = itemsByName(b, key);
        for (const name of unionKeys(left, right)) walk(path + "[" + name + "]", left.get(name), right.get(name), out);
      } else {
        for (let i = 0; i < Math.max(a[2].length, b[2].length); i++) walk(path + "[" + i + "]", a[2][i], b[2][i], out);
      }
    } else if (!sameLeaf(a, b)) {
      out.push({ path: path, a: a, b: b });
    }
  }

  function groupOf(path, groups) {
    const match = /^([^.[]*)(\[[^\]]*\])?\.?([^.[]*)/.exec(path);
    const top = match[1];
    if (groups.definition.indexOf(top) !== -1) return "definition";
    if (groups.people.indexOf(top) !== -1) return "people";
    if (groups.run.indexOf(top) !== -1) return "run";
    if (top === "workflows") return match[2] && groups.workflow_run.indexOf(match[3]) !== -1 ? "run" : "workflows";
    return "other";
  }

  /* ------------------------------------------------------------------ presentation */

  // Shown values: made here only, so record data (which may hold keys named "pairs") is never
  // mistaken for them.
  function Pairs(pairs) {
    this.pairs = pairs;
  }
  function Items(items) {
    this.items = items;
  }

  // A node as data to show: a mapping as {pairs}, a list of mappings as {items}, a leaf as is.
  function valueOf(node) {
    if (node === undefined || node === null) return null;
    if (!Array.isArray(node)) return node;
    if (node[0] === 0) return node[1];
    if (node[0] === 1) return new Pairs(node[1].map(([key, value]) => [key, valueOf(value)]));
    return new Items(node[2].map(valueOf));
  }

  // A mapping inside a leaf (JSON data, e.g. in a list of plain values): as {pairs}.
  function fromJson(value) {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(fromJson);
    if (value instanceof Pairs || value instanceof Items) return value;
    return new Pairs(Object.keys(value).map((key) => [key, fromJson(value[key])]));
  }

  // Values as they read in a record: scalars as text, plain lists comma-separated, mappings as
  // key: value lines (nested ones indented), lists of mappings one block per item. Never JSON.
  function showValue(raw) {
    const value = fromJson(raw);
    if (value === null || value === undefined) return element("em", { class: "cn-absent" }, "not set");
    if (value instanceof Items) {
      if (!value.items.length) return document.createTextNode("(empty list)");
      const list = element("ol", { class: "cn-kv-items" });
      for (const item of value.items) list.append(withChild(element("li"), showValue(item)));
      return list;
    }
    if (value instanceof Pairs) {
      if (!value.pairs.length) return document.createTextNode("(empty)");
      const list = element("ul", { class: "cn-kv" });
      for (const [key, item] of value.pairs) {
        const line = element("li");
        line.append(element("span", { class: "cn-kv-key" }, key), ": ", showValue(item));
        list.append(line);
      }
      return list;
    }
    if (Array.isArray(value)) {
      if (!value.length) return document.createTextNode("(empty list)");
      if (value.every((item) => item === null || typeof item !== "object")) return document.createTextNode(value.map(String).join(", "));
      const list = element("ul", { class: "cn-kv" });
      for (const item of value) list.append(withChild(element("li"), showValue(item)));
      return list;
    }
    return document.createTextNode(String(value));
  }

  function withChild(parent, child) {
    parent.append(child);
    return parent;
  }

  // A field path breaks only between its parts (after a dot, before a bracket), never inside a
  // name: <wbr> marks where it may.
  function showPath(path) {
    const cell = element("th", { scope: "row", class: "cn-compare-path" });
    path.split(/(?=\[)|(?<=\.)/).forEach((part, index) => {
      if (index) cell.append(element("wbr"));
      cell.append(document.createTextNode(part));
    });
    return cell;
  }

  function campaignHeader(campaign, siteRoot, side) {
    const th = element("th", { scope: "col" });
    th.append(side + ": ", element("a", { href: new URL(campaign.url, siteRoot).href }, campaign.id));
    return th;
  }

  function changesTable(changes, a, b, siteRoot) {
    const table = element("table", { class: "cn-compare-table" });
    const head = table.createTHead().insertRow();
    head.append(element("th", { scope: "col" }, "Field"), campaignHeader(a, siteRoot, "A"), campaignHeader(b, siteRoot, "B"));
    const body = table.createTBody();
    for (const change of changes) {
      const row = body.insertRow();
      row.append(showPath(change.path), withChild(element("td"), showValue(valueOf(change.a))), withChild(element("td"), showValue(valueOf(change.b))));
    }
    return table;
  }

  function selectionCounts(a, b) {
    const describe = (campaign) => {
      const counts = campaign.selection || {};
      if (!Object.keys(counts).length) return "no DataId lists";
      const parts = [];
      if (counts.included !== null && counts.included !== undefined) parts.push("included " + countFormat.format(counts.included));
      else parts.push("everything the query selects");
      parts.push("excluded " + countFormat.format(counts.excluded || 0));
      if (counts.selected !== null && counts.selected !== undefined) parts.push("selected " + countFormat.format(counts.selected));
      return parts.join(" · ");
    };
    const text = element("p", { class: "cn-compare-counts" });
    text.append(element("strong", {}, "Effective DataIds"), " — A: " + describe(a) + "; B: " + describe(b) + ".");
    return text;
  }

  function render(result, a, b, groups, siteRoot) {
    const changes = [];
    walk("", a.record, b.record, changes);
    const heading = element("p", { class: "cn-compare-status" });
    if (!changes.length) {
      heading.textContent = a.id === b.id ? "The same campaign is selected twice: no differences." : "No differences: the two records are identical.";
      result.replaceChildren(heading);
      return;
    }
    const byGroup = {};
    for (const change of changes) (byGroup[groupOf(change.path, groups)] ||= []).push(change);
    const counts = groups.order.filter((group) => byGroup[group]).map((group) => byGroup[group].length + " " + GROUP_TITLES[group].toLowerCase());
    heading.textContent = changes.length + (changes.length === 1 ? " field differs" : " fields differ") + " (" + counts.join(", ") + ").";
    const parts = [heading];
    for (const group of groups.order) {
      const members = byGroup[group];
      if (!members) continue;
      const title = GROUP_TITLES[group];
      const table = changesTable(members, a, b, siteRoot);
      if (group === "run") {
        // Ids, times, statuses and the journal differ between any two runs: folded away.
        const details = element("details", { class: "cn-compare-run" });
        details.append(element("summary", {}, title + ": " + members.length + " (ids, times, statuses, journal)"), table);
        parts.push(details);
        continue;
      }
      parts.push(element("h2", { class: "cn-compare-group" }, title), table);
      if (group === "definition" && members.some((change) => change.path.startsWith("selection"))) parts.push(selectionCounts(a, b));
    }
    result.replaceChildren(...parts);
  }

  /* ------------------------------------------------------------------ the page */

  // A record file is gzip-compressed JSON (<id>.json.gz, a fifth of its size on the site). A
  // server that sends it with Content-Encoding: gzip has unpacked it already: the magic bytes
  // (1f 8b) say which.
  function fetchJson(url) {
    return fetch(url.href)
      .then((response) => {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + url.pathname);
        return response.arrayBuffer();
      })
      .then((buffer) => {
        const bytes = new Uint8Array(buffer);
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new Response(buffer).json();
        return new Response(new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"))).json();
      });
  }

  function buildCompare(root, data, siteRoot) {
    const campaigns = data.campaigns || [];
    const byId = new Map(campaigns.map((campaign) => [campaign.id, campaign]));
    const params = new URLSearchParams(window.location.search);
    let chosen = { a: params.get("a") || "", b: params.get("b") || "" };
    if (!chosen.a && !chosen.b) {
      // Nothing asked for: show something useful, a derived campaign next to its parent.
      const derived = campaigns.find((campaign) => campaign.derived_from && byId.has(campaign.derived_from));
      if (derived) chosen = { a: derived.derived_from, b: derived.id };
    }

    const form = element("form", { class: "cn-compare-controls" });
    form.addEventListener("submit", (event) => event.preventDefault());
    const selects = {};
    const result = element("div", { class: "cn-compare-result", "aria-live": "polite" });
    // Only the two records compared are fetched (api/campaigns/<id>.json.gz), each once.
    const records = new Map();
    const load = (campaign) => {
      if (!records.has(campaign.id)) {
        const loading = fetchJson(new URL(campaign.record, siteRoot));
        loading.catch(() => records.delete(campaign.id));
        records.set(campaign.id, loading);
      }
      return records.get(campaign.id);
    };
    let asked = 0; // the latest choice wins over an earlier one still loading
    const update = () => {
      const a = byId.get(selects.a.value);
      const b = byId.get(selects.b.value);
      writeParams({ a: selects.a.value, b: selects.b.value });
      const ticket = ++asked;
      if (!a || !b) {
        result.removeAttribute("aria-busy");
        result.replaceChildren(element("p", { class: "cn-compare-status" }, "Choose two campaigns to see what differs between them."));
        return;
      }
      result.setAttribute("aria-busy", "true");
      Promise.all([load(a), load(b)]).then(
        ([left, right]) => {
          if (ticket !== asked) return;
          result.removeAttribute("aria-busy");
          render(result, Object.assign({}, a, left), Object.assign({}, b, right), data.groups, siteRoot);
        },
        (error) => {
          if (ticket !== asked) return;
          result.removeAttribute("aria-busy");
          result.replaceChildren(element("p", { class: "cn-compare-status cn-compare-status--error" }, "Could not load a record (" + error.message + ")."));
        }
      );
    };
    for (const side of ["a", "b"]) {
      const select = element("select", { id: "cn-compare-" + side, "data-side": side });
      select.append(element("option", { value: "" }, "Choose a campaign…"));
      for (const campaign of campaigns) select.append(element("option", { value: campaign.id }, campaign.id + " — " + campaign.name));
      select.value = byId.has(chosen[side]) ? chosen[side] : "";
      select.addEventListener("change", update);
      selects[side] = select;
      const field = element("span", { class: "cn-field" });
      field.append(element("label", { for: select.id }, side === "a" ? "Campaign A" : "Campaign B"), select);
      form.append(field);
    }
    const swap = element("button", { type: "button", class: "md-button cn-compare-swap" }, "Swap");
    swap.addEventListener("click", () => {
      [selects.a.value, selects.b.value] = [selects.b.value, selects.a.value];
      update();
    });
    form.append(swap);
    root.replaceChildren(form, result);
    update();
  }

  function initCompare() {
    const root = document.getElementById("cn-compare");
    if (!root || root.getAttribute("data-cn-ready")) return;
    root.setAttribute("data-cn-ready", "1");
    const apiUrl = new URL(root.getAttribute("data-api") || "../api/campaigns.json", window.location.href);
    // The export lives at <site>/api/campaigns.json and its urls are relative to <site>/.
    const siteRoot = new URL("../", apiUrl);
    root.replaceChildren(element("p", { class: "cn-compare-status" }, "Loading campaigns…"));
    fetchJson(apiUrl).then(
        (data) => buildCompare(root, data, siteRoot),
        (error) => {
          let message = "Could not load " + apiUrl.pathname + " (" + error.message + ").";
          // Browsers refuse fetch() on file:// pages: the site must be served, even locally.
          if (window.location.protocol === "file:") message += " Open the site through a web server, e.g. `mkdocs serve`.";
          root.replaceChildren(element("p", { class: "cn-compare-status cn-compare-status--error" }, message));
        }
      );
  }

  initCompare();
})();

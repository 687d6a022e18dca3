/* Workflow links on a campaign page, built in the browser from notebook.yaml's
   link_templates.workflow (window.cnLinkTemplates, written once per site by the generator as
   assets/notebook/link-templates.js). The page carries only the values the templates use:
   campaign fields as data-<field> attributes of <table class="cn-workflows">, a workflow's own on
   its <span class="cn-wl" data-<field>=...> placeholder, where the links go.

   What the rows share is said once on the table (generator/site/shared_values.py, which writes
   it): data-cn-all-<field> is every row's value (rows leave it out); data-cn-prefix-<field> is
   put before a row's own data-<field> (a row without the attribute stays empty: it never gets
   the prefix alone). Attribute names are read as written, not through the camel-cased dataset.

   The rules are generator/linktemplates.py's `expand`, then generator/escaping.py's `href`:
   a template applies when its `when` fields equal their values and every field it uses is
   non-empty; values are quoted like urllib.parse.quote(value, safe="/:"); the result is kept only
   when it is a safe http(s) URL (generator/urls.py). tests/linktemplates/cases hold the cases both
   implementations must agree on. Links are made with DOM calls only: nothing is parsed as HTML. */
(function () {
  "use strict";
  if (window.cnWorkflowLinks) return; // safe to run twice on one page

  // generator/urls.py SAFE_URL, character for character.
  var BAD = "\\s\"'<>\\\\`|{}^\\x00-\\x1f\\x7f-\\x9f\\u200b-\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff";
  var SAFE_URL = new RegExp("^https?://[^" + BAD + "/?#]+(?:[/?#][^" + BAD + "]*)?$");
  var UNRESERVED = /[A-Za-z0-9_.~-]/;
  var encoder = new TextEncoder();

  // urllib.parse.quote(value, safe): UTF-8 bytes, all but letters, digits, "_.-~" and `safe`
  // written %XX (upper case). Not encodeURIComponent, which keeps !'()* as they are.
  function quote(value, safe) {
    var out = "";
    var bytes = encoder.encode(value);
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      var c = String.fromCharCode(b);
      if (b < 128 && (UNRESERVED.test(c) || safe.indexOf(c) >= 0)) out += c;
      else out += "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
    }
    return out;
  }

  // A field's value; "" when the page does not carry it (an empty field).
  function field(values, name) {
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : "";
  }

  // The URL a template makes with `values` (field name -> string), or null when it is skipped.
  function expand(template, values) {
    var when = template.when || [];
    for (var w = 0; w < when.length; w++) {
      if (field(values, when[w][0]) !== when[w][1]) return null;
    }
    var parts = template.parts;
    var url = parts[0];
    for (var i = 1; i < parts.length; i += 2) {
      var value = field(values, parts[i]);
      if (!value) return null;
      url += quote(value, "/:") + parts[i + 1];
    }
    return SAFE_URL.test(url) ? url : null;
  }

  // The value of the link's href attribute: generator/escaping.py encode_url.
  function href(url) {
    return quote(url, "/:?#=&%@!$+,;~._-");
  }

  // An element's data-<name> attributes as {name: value}.
  function dataOf(element) {
    var data = {};
    for (var i = 0; i < element.attributes.length; i++) {
      var name = element.attributes[i].name;
      if (name.slice(0, 5) === "data-") data[name.slice(5)] = element.attributes[i].value;
    }
    return data;
  }

  // The table's attributes sorted out: campaign values (every row's too), and row prefixes.
  function tableValues(table) {
    var shared = { values: {}, prefixes: {} };
    var data = dataOf(table);
    for (var name in data) {
      if (name.slice(0, 7) === "cn-all-") shared.values[name.slice(7)] = data[name];
      else if (name.slice(0, 10) === "cn-prefix-") shared.prefixes[name.slice(10)] = data[name];
      else if (name.slice(0, 3) !== "cn-") shared.values[name] = data[name];
    }
    return shared;
  }

  function fill(placeholder, shared, templates) {
    var values = Object.assign({}, shared.values);
    var own = dataOf(placeholder);
    for (var name in own) {
      var prefix = Object.prototype.hasOwnProperty.call(shared.prefixes, name) ? shared.prefixes[name] : "";
      values[name] = prefix + own[name];
    }
    var made = 0;
    templates.forEach(function (template) {
      var url = expand(template, values);
      if (url === null) return;
      if (made++) placeholder.appendChild(document.createTextNode(" · "));
      var link = document.createElement("a");
      link.setAttribute("href", href(url));
      link.textContent = template.title;
      placeholder.appendChild(link);
    });
  }

  function enhance(root) {
    var templates = window.cnLinkTemplates || [];
    root.querySelectorAll("table.cn-workflows").forEach(function (table) {
      if (table.hasAttribute("data-cn-links-done")) return;
      table.setAttribute("data-cn-links-done", "");
      var shared = tableValues(table);
      table.querySelectorAll("span.cn-wl").forEach(function (placeholder) {
        fill(placeholder, shared, templates);
      });
    });
  }

  window.cnWorkflowLinks = { quote: quote, expand: expand, href: href };
  enhance(document);
})();

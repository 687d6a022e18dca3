/* Workflow links on a campaign page, built in the browser from notebook.yaml's
   link_templates.workflow (window.cnLinkTemplates, written once per site by the generator as
   assets/notebook/link-templates.js). The page carries only the values the templates use:
   campaign fields as data-* attributes of <table class="cn-workflows">, a workflow's own on its
   <span class="cn-wl" data-...> placeholder, where the links go.

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

  function valuesOf(element, into) {
    for (var key in element.dataset) into[key] = element.dataset[key];
    return into;
  }

  function fill(placeholder, campaignValues, templates) {
    var values = valuesOf(placeholder, Object.assign({}, campaignValues));
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
      var campaignValues = valuesOf(table, {});
      delete campaignValues.cnLinksDone;
      table.querySelectorAll("span.cn-wl").forEach(function (placeholder) {
        fill(placeholder, campaignValues, templates);
      });
    });
  }

  window.cnWorkflowLinks = { quote: quote, expand: expand, href: href };
  enhance(document);
})();

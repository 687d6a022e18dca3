// Jira page only (loaded by jira/index.md): a status filter over the ticket table.
// Options are the statuses the table holds; the choice is kept in the address (?status=...).
(function () {
  "use strict";
  const holder = document.getElementById("cn-jira-filter");
  const table = holder && document.querySelector("article table");
  if (!table) return;
  const rows = Array.from(table.tBodies[0].rows);
  const statusOf = (row) => {
    const badge = row.cells[2] && row.cells[2].querySelector(".cn-status");
    return badge ? badge.textContent.replace(/^\S+\s/, "").trim() : "";
  };
  const statuses = Array.from(new Set(rows.map(statusOf).filter(Boolean))).sort();
  const label = document.createElement("label");
  label.textContent = "Status ";
  const select = document.createElement("select");
  select.id = "cn-jira-status";
  for (const value of ["", ...statuses]) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = value || "All statuses";
    select.appendChild(option);
  }
  label.appendChild(select);
  const count = document.createElement("span");
  count.className = "cn-index-count";
  holder.append(label, " ", count);
  const apply = () => {
    let shown = 0;
    for (const row of rows) {
      const visible = !select.value || statusOf(row) === select.value;
      row.hidden = !visible;
      shown += visible ? 1 : 0;
    }
    count.textContent = `${shown} of ${rows.length} tickets`;
    const url = new URL(window.location.href);
    if (select.value) url.searchParams.set("status", select.value);
    else url.searchParams.delete("status");
    window.history.replaceState(null, "", url);
  };
  const wanted = new URL(window.location.href).searchParams.get("status");
  if (wanted && statuses.includes(wanted)) select.value = wanted;
  select.addEventListener("change", apply);
  apply();
})();

"use strict";

/** Lays out rows of strings as aligned columns; `align` holds "l" or "r" per column. */
function formatTable(header, rows, align) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => String(row[i] ?? "").length)));
  const line = (cells) =>
    cells
      .map((cell, i) => (align[i] === "r" ? String(cell ?? "").padStart(widths[i]) : String(cell ?? "").padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function formatNumber(value, digits = 0) {
  if (value === undefined || value === null || Number.isNaN(value)) return "-";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

module.exports = { formatTable, formatNumber };

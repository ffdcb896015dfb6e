// Quoting values so the shell reads them back unchanged (`export -p`, `set`, `trap`, `alias`).

/**
 * dash's single_quote: single-quoted runs, and each run of `'` in double
 * quotes between them (`it's` → `'it'"'"'s'`, `a''` → `'a'"''"`); no empty
 * `''` after a trailing quote, but always a leading single-quoted run.
 */
export function quoteValue(value: string): string {
  if (value.indexOf("'") === -1) return `'${value}'`;
  let out = "";
  let i = 0;
  for (;;) {
    let end = value.indexOf("'", i);
    if (end === -1) end = value.length;
    out += `'${value.slice(i, end)}'`;
    if (end === value.length) return out;
    let quotes = end;
    while (value[quotes] === "'") quotes++;
    out += `"${value.slice(end, quotes)}"`;
    if (quotes === value.length) return out;
    i = quotes;
  }
}

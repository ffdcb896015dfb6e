// Quoting values so the shell reads them back unchanged (`export -p`, `set`, `trap`, `alias`).

/** dash's style: single quotes, and a `'` inside becomes `'"'"'`. */
export function quoteValue(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

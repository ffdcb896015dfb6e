// Quoting values so the shell reads them back unchanged (`export -p`, `set`, `trap`, `alias`).

export function quoteValue(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

// The one way rushd's config.status may differ from dash's, and why: dash
// (Debian's) has no LINENO, so configure first writes configure.lineno, a
// copy of itself with every `$LINENO` replaced by its line number, and runs
// that; config.status, which configure writes, then holds the numbers. A
// shell with LINENO (rushd, as POSIX asks; bash too) runs configure itself,
// and config.status keeps `$LINENO`. This tells that difference from any
// other. Imports nothing from src/.

/** Regex source for `line` with each `$LINENO` standing for a line number. */
function withNumbersFor(line: string): RegExp | undefined {
  if (!line.includes("$LINENO")) return undefined;
  const parts = line.split("$LINENO").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[0-9]+")}$`);
}

/**
 * The lines in which `withLineno` (a run of a shell with LINENO) differs from
 * `withNumbers` (dash's), if every one of them differs only in having
 * `$LINENO` where the other has a number; undefined if anything else differs.
 */
export function linenoOnlyLines(withNumbers: Buffer, withLineno: Buffer): number | undefined {
  const numbered = withNumbers.toString("latin1").split("\n");
  const kept = withLineno.toString("latin1").split("\n");
  if (numbered.length !== kept.length) return undefined;
  let differing = 0;
  for (let i = 0; i < kept.length; i++) {
    const expected = numbered[i] as string;
    const line = kept[i] as string;
    if (line === expected) continue;
    const pattern = withNumbersFor(line);
    if (pattern === undefined || !pattern.test(expected)) return undefined;
    differing += 1;
  }
  return differing;
}

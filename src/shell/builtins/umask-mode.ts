// The modes `umask` reads and prints, as dash 0.5.12 has them.
//
// Octal: digits 0-7 only (`8`, `1a` are illegal numbers), kept to the low
// nine bits. Symbolic: clauses `[ugoa]*` then one or more actions, each an
// operator `=+-` and letters `rwxXs` or a class `ugo` (copy that class's
// current permissions); clauses are separated by one `,` (`u=,` is fine,
// `,,` is not). `X` is `x` when any class has `x` now, `s` is accepted and
// does nothing (a umask has no set-id bits), `t` is not accepted. Copies and
// `X` read the mask as it was before the whole operand, not as earlier
// clauses left it: `umask 027; umask g=u,o=g` gives o the old g (r-x).

/** The result of reading an operand: a new mask, or what was wrong with it. */
export type ModeResult = { readonly mask: number } | { readonly error: "number" | "mode" };

const CLASS_POSITIONS: Readonly<Record<string, number>> = { a: 0o111, u: 0o100, g: 0o010, o: 0o001 };

/** `mask` (the current umask) changed by `operand`. */
export function parseMode(operand: string, mask: number): ModeResult {
  if (/^[0-9]/.test(operand)) return /^[0-7]+$/.test(operand) ? { mask: parseInt(operand, 8) & 0o777 } : { error: "number" };
  const allowed = ~mask & 0o777; // what the classes may do, before this operand
  const classBits = (letter: string): number => (letter === "u" ? allowed >> 6 : letter === "g" ? allowed >> 3 : allowed) & 7;
  let result = allowed;
  let i = 0;
  while (i < operand.length) {
    let positions = 0;
    while (CLASS_POSITIONS[operand[i] ?? ""] !== undefined) positions |= CLASS_POSITIONS[operand[i++] ?? ""] ?? 0;
    if (positions === 0) positions = CLASS_POSITIONS.a ?? 0;
    // One or more actions for these classes.
    let actions = 0;
    for (; "=+-".includes(operand[i] ?? ","); actions++) {
      const op = operand[i++];
      let perms = 0;
      for (; i < operand.length && "rwxugoXs".includes(operand[i] ?? ""); i++) {
        const letter = operand[i] ?? "";
        if (letter === "r") perms |= 4;
        else if (letter === "w") perms |= 2;
        else if (letter === "x" || (letter === "X" && (allowed & 0o111) !== 0)) perms |= 1;
        else if ("ugo".includes(letter)) perms |= classBits(letter);
      }
      const bits = perms * positions;
      if (op === "-") result &= ~bits;
      else if (op === "+") result |= bits;
      else result = bits | (result & ~(positions * 7));
    }
    if (i === operand.length) break;
    // Anything but a single `,` before the next clause is malformed.
    if (operand[i] !== "," || actions === 0) return { error: "mode" };
    i++;
  }
  return { mask: ~result & 0o777 };
}

/** `umask -S`: the permissions the mask leaves, `u=rwx,g=rx,o=rx`. */
export function symbolicMask(mask: number): string {
  const perms = (shift: number): string => {
    const allowed = ~mask >> shift;
    return `${allowed & 4 ? "r" : ""}${allowed & 2 ? "w" : ""}${allowed & 1 ? "x" : ""}`;
  };
  return `u=${perms(6)},g=${perms(3)},o=${perms(0)}`;
}

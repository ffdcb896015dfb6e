// scripts/real-world/lineno-diff.ts: config.status from a shell with LINENO
// against dash's, which has line numbers written in for `$LINENO`.

import { expect, test } from "bun:test";
import { linenoOnlyLines } from "../../scripts/real-world/lineno-diff.ts";

const dash = Buffer.from(['as_fn_error $? "bad" "15326" 5;;', "same line", '$as_echo "$as_me:${as_lineno-14871}: error: $2" >&$4', ""].join("\n"));

test("differences that are only $LINENO against a number are counted", () => {
  const rushd = Buffer.from(['as_fn_error $? "bad" "$LINENO" 5;;', "same line", '$as_echo "$as_me:${as_lineno-$LINENO}: error: $2" >&$4', ""].join("\n"));
  expect(linenoOnlyLines(dash, rushd)).toBe(2);
  expect(linenoOnlyLines(dash, dash)).toBe(0);
});

test("any other difference, or a number that is not one, is not", () => {
  const otherText = Buffer.from(['as_fn_error $? "worse" "$LINENO" 5;;', "same line", '$as_echo "$as_me:${as_lineno-$LINENO}: error: $2" >&$4', ""].join("\n"));
  expect(linenoOnlyLines(dash, otherText)).toBeUndefined();
  const notANumber = Buffer.from(['as_fn_error $? "bad" "15326" 5;;', "same line", '$as_echo "$as_me:${as_lineno-x}: error: $2" >&$4', ""].join("\n"));
  expect(linenoOnlyLines(notANumber, Buffer.from(['as_fn_error $? "bad" "15326" 5;;', "same line", '$as_echo "$as_me:${as_lineno-$LINENO}: error: $2" >&$4', ""].join("\n")))).toBeUndefined();
  const extraLine = Buffer.concat([dash, Buffer.from("more\n")]);
  expect(linenoOnlyLines(dash, extraLine)).toBeUndefined();
});

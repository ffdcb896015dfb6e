// What a character is (src/shell/text-mode.ts): a byte under LC_ALL=C, POSIX
// or no locale, as in bash; a character under a UTF-8 locale. The C side is
// also in the conformance corpus (c-locale, recorded from dash, which counts
// bytes everywhere); the UTF-8 side is a deliberate difference from dash
// (docs/COMPATIBILITY.md) and lives here.

import { describe, expect, test } from "bun:test";
import { byteView, fromByteView, textLength, textModeOf } from "../../src/shell/text-mode.ts";
import { runScript } from "./helpers.ts";

const BASE = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root" };

describe("the mode the locale variables give", () => {
  test.each([
    [{}, "bytes"],
    [{ LC_ALL: "C" }, "bytes"],
    [{ LC_ALL: "POSIX" }, "bytes"],
    [{ LC_ALL: "C.UTF-8" }, "chars"],
    [{ LC_ALL: "en_US.utf8" }, "chars"],
    [{ LANG: "C.UTF-8" }, "chars"],
    [{ LC_CTYPE: "C", LANG: "C.UTF-8" }, "bytes"],
    [{ LC_ALL: "C", LC_CTYPE: "C.UTF-8" }, "bytes"],
    [{ LC_ALL: "", LC_CTYPE: "C.UTF-8" }, "chars"],
  ] as const)("%p is %s", (vars: Record<string, string>, mode) => {
    expect(textModeOf((name) => vars[name])).toBe(mode);
  });
});

describe("byte views", () => {
  test("a character that is not ASCII becomes its bytes, and comes back", () => {
    const view = byteView("aé€");
    expect(view.length).toBe(6);
    expect(fromByteView(view)).toBe("aé€");
    // Half a character stays the byte it is.
    expect(fromByteView(view.slice(0, 2))).toBe("a\udcc3");
  });

  test("lengths", () => {
    expect(textLength("héllo", "bytes")).toBe(6);
    expect(textLength("héllo", "chars")).toBe(5);
    expect(textLength("😀", "chars")).toBe(1);
    expect(textLength("😀", "bytes")).toBe(4);
  });
});

const SCRIPT = [
  'x=héllo; echo ${#x}',
  'echo "${x#??}"',
  "case é in ?) echo one;; ??) echo two;; esac",
  "IFS=é; v=aébéc; set -- $v; echo $#; unset IFS",
  `printf "%d\\n" "'é"`,
  'printf "%.1s|\\n" é',
  'y=ab€; echo "${y%?}"',
].join("\n");

test("under LC_ALL=C the shell counts bytes", async () => {
  const result = await runScript(SCRIPT, { env: { ...BASE, LC_ALL: "C" } });
  // The capture decodes its bytes as UTF-8: a byte cut from its character reads as U+FFFD.
  expect(result).toEqual({ stdout: "6\n\ufffdllo\ntwo\n5\n195\n\ufffd|\nab\ufffd\n", stderr: "", status: 0 });
});

test("under a UTF-8 locale the shell counts characters", async () => {
  const result = await runScript(SCRIPT, { env: { ...BASE, LC_ALL: "C.UTF-8" } });
  expect(result).toEqual({ stdout: "5\nllo\none\n3\n233\né|\nab\n", stderr: "", status: 0 });
});

test("the mode follows assignments to the locale variables, prefix assignments included", async () => {
  const script = 'x=é; echo ${#x}; LC_ALL=C; echo ${#x}; LC_ALL=C.UTF-8; echo ${#x}; f() { echo ${#x}; }; LC_ALL=C f; f; unset LC_ALL; echo ${#x}';
  const result = await runScript(script, { env: { ...BASE, LANG: "C.UTF-8" } });
  expect(result).toEqual({ stdout: "1\n2\n1\n2\n1\n1\n", stderr: "", status: 0 });
});

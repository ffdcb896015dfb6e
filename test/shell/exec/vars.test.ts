// The environment external commands get (exec/vars.ts): every exported
// variable with a value, in dash's order, and the same object again for a
// shell that starts from the same base with the same changes (a worker's
// sessions of one caller), never one built for other changes.

import { describe, expect, test } from "bun:test";
import { Variables } from "../../../src/shell/exec/vars.ts";

describe("Variables.environment", () => {
  test("holds the base and the exported changes, without unset or unexported ones", () => {
    const vars = Variables.fromEnvironment({ A: "1", B: "2", C: "3" });
    vars.set("A", "one");
    vars.unset("B");
    vars.set("LOCAL", "x");
    vars.markExported("NEW", "n");
    expect({ ...vars.environment() }).toEqual({ A: "one", C: "3", NEW: "n" });
  });

  test("shells from the same base with the same changes share one built environment", () => {
    const base = { HOME: "/h", PATH: "/bin" };
    const first = Variables.fromEnvironment(base);
    first.markExported("PWD", "/w");
    const second = Variables.fromEnvironment(base);
    second.markExported("PWD", "/w");
    expect(second.environment()).toBe(first.environment());
  });

  test("a different change, or the same one with another value, gets its own environment", () => {
    const base = { HOME: "/h", PATH: "/bin" };
    const first = Variables.fromEnvironment(base);
    first.markExported("PWD", "/w");
    const built = first.environment();
    const other = Variables.fromEnvironment(base);
    other.markExported("PWD", "/elsewhere");
    expect(other.environment()).toEqual({ HOME: "/h", PATH: "/bin", PWD: "/elsewhere" });
    const removed = Variables.fromEnvironment(base);
    removed.markExported("PWD", "/w");
    removed.unset("HOME");
    expect({ ...removed.environment() }).toEqual({ PATH: "/bin", PWD: "/w" });
    // The first shell's environment is not changed by the others.
    expect({ ...built }).toEqual({ HOME: "/h", PATH: "/bin", PWD: "/w" });
  });

  test("an export after the environment was built is in the next one", () => {
    const vars = Variables.fromEnvironment({ A: "1" });
    expect({ ...vars.environment() }).toEqual({ A: "1" });
    vars.markExported("B", "2");
    expect({ ...vars.environment() }).toEqual({ A: "1", B: "2" });
    const fresh = Variables.fromEnvironment({ A: "1" });
    expect({ ...fresh.environment() }).toEqual({ A: "1" }); // another base object: nothing shared
  });
});

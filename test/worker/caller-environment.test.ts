// SessionInit.envFromCaller: the worker reads a `rushd -c` client's
// environment from /proc/<pid>/environ, the bytes it was started with, and
// keeps the last one it decoded while the bytes stay the same.

import { describe, expect, test } from "bun:test";
import { decodeBytes } from "../../src/shell/bytes.ts";
import { CallerEnvironmentError, CallerEnvironments, parseEnviron } from "../../src/worker/caller-environment.ts";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...new TextEncoder().encode(part)] : part)));

describe("parseEnviron", () => {
  test("NUL-separated name=value entries; a value may hold = and be empty", () => {
    expect(parseEnviron(bytes("A=1\0B=x=y\0E=\0"))).toEqual({ A: "1", B: "x=y", E: "" });
  });

  test("a later entry of the same name wins, as in dash", () => {
    expect(parseEnviron(bytes("A=1\0A=2\0"))).toEqual({ A: "2" });
  });

  test("entries without = or with an empty name are ignored; a last entry without its NUL counts", () => {
    expect(parseEnviron(bytes("JUNK\0=v\0Z=last"))).toEqual({ Z: "last" });
  });

  test("a value that is not UTF-8 keeps its bytes; a name that is not UTF-8 is no variable", () => {
    const env = parseEnviron(bytes("V=a", [0xff], "b\0Q", [0xfe], "=x\0"));
    expect(env).toEqual({ V: decodeBytes(new Uint8Array([0x61, 0xff, 0x62])) });
  });
});

describe("CallerEnvironments", () => {
  test("reads a process's environment as it was started with", async () => {
    const child = Bun.spawn(["sleep", "30"], { env: { ONLY: "this", PATH: "/usr/bin:/bin" } });
    try {
      // Wait for the exec: until then /proc/<pid>/environ is the parent's (a fork of this process).
      const environments = new CallerEnvironments();
      let env = environments.read(child.pid);
      for (let tries = 0; env.ONLY === undefined && tries < 200; tries++) {
        await Bun.sleep(5);
        env = environments.read(child.pid);
      }
      expect(env).toEqual({ ONLY: "this", PATH: "/usr/bin:/bin" });
      expect(environments.read(child.pid)).toBe(env); // the same bytes: decoded once
    } finally {
      child.kill("SIGKILL");
      await child.exited;
    }
  });

  test("a process that is gone is a CallerEnvironmentError naming its pid", async () => {
    const child = Bun.spawn(["true"]);
    await child.exited;
    let caught: unknown;
    try {
      new CallerEnvironments().read(child.pid);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CallerEnvironmentError);
    expect((caught as Error).message).toContain(`pid ${child.pid}`);
  });
});

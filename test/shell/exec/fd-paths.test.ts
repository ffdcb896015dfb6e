// Which paths name one of the shell's own fds (fd-paths.ts): the kernel's
// names for them on Linux, and nothing that merely looks alike.

import { describe, expect, test } from "bun:test";
import { fdNamedBy, pathForBuiltin, reopenedFd } from "../../../src/shell/exec/fd-paths.ts";
import type { FdTable, FdTarget } from "../../../src/shell/exec/fds.ts";

describe("fdNamedBy", () => {
  test.each<[string, number | undefined]>([
    ["/dev/stdin", 0],
    ["/dev/stdout", 1],
    ["/dev/stderr", 2],
    ["/dev/fd/0", 0],
    ["/dev/fd/12", 12],
    ["/proc/self/fd/3", 3],
    // procfs has no such names: leading zeros, signs, empty, deeper paths.
    ["/dev/fd/01", undefined],
    ["/dev/fd/+1", undefined],
    ["/dev/fd/", undefined],
    ["/dev/fd/1/x", undefined],
    ["/dev/stdinx", undefined],
    ["/dev/tty", undefined],
    ["/proc/1/fd/1", undefined],
  ])("%s", (path, fd) => {
    expect(fdNamedBy(path)).toBe(fd);
  });
});

describe("reopenedFd and pathForBuiltin", () => {
  test("an OS fd is opened anew through this process's /proc entry; a stream is shared; a closed fd is closed", () => {
    const sink: FdTarget = { kind: "sink", sink: { write: () => undefined } };
    const fds: FdTable = new Map<number, FdTarget>([[0, { kind: "os", fd: 17 }], [1, sink], [2, { kind: "null" }]]);
    const lookup = (fd: number) => fds.get(fd);
    expect(reopenedFd(lookup, "/dev/stdin")).toEqual({ path: "/proc/self/fd/17" });
    expect(reopenedFd(lookup, "/dev/fd/1")).toEqual({ target: sink });
    expect(reopenedFd(lookup, "/dev/stderr")).toEqual({ target: { kind: "null" } });
    expect(reopenedFd(lookup, "/dev/fd/5")).toBe("closed");
    expect(reopenedFd(lookup, "/etc/hostname")).toBeUndefined();
    // A builtin looks at a path: the fd's /proc entry, /dev/null for a stream, or nothing.
    expect([0, 1, 2, 5].map((fd) => pathForBuiltin(lookup, `/dev/fd/${fd}`))).toEqual(["/proc/self/fd/17", "/dev/null", "/dev/null", "closed"]);
    expect(pathForBuiltin(lookup, "/etc/hostname")).toBe("/etc/hostname");
  });
});

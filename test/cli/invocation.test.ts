import { describe, expect, test } from "bun:test";
import { parseInvocation, type ShellInvocation } from "../../src/cli/invocation.ts";
import { UsageError } from "../../src/daemon/options.ts";

const notTty = () => false;
const tty = () => true;
const shell = (argv: string[], isTty = notTty) => parseInvocation(argv, {}, isTty) as ShellInvocation;

describe("parseInvocation", () => {
  test.each<[string[], string, string | undefined, string[]]>([
    [["-c", "echo hi"], "echo hi", undefined, []],
    [["-c", "echo $0 $1", "name", "a", "b"], "echo $0 $1", "name", ["a", "b"]],
    [["-ec", "false"], "false", undefined, []],
    [["-e", "-c", "false", "--", "x"], "false", "--", ["x"]],
  ])("sh -c syntax %p", (argv, script, argv0, args) => {
    const parsed = shell(argv);
    expect(parsed.kind).toBe("shell");
    expect(parsed.source).toEqual({ from: "command", script });
    expect(parsed.argv0).toBe(argv0);
    expect(parsed.args).toEqual(args);
  });

  test("option letters and -o names", () => {
    const parsed = shell(["-eux", "-o", "pipefail", "+o", "noglob", "-c", "true"]);
    expect(parsed.flags).toEqual(["e", "u", "x"]);
    expect(parsed.longOptions).toEqual(["pipefail"]);
  });

  test("a file operand, and -s with arguments", () => {
    expect(shell(["script.sh", "a"]).source).toEqual({ from: "file", path: "script.sh" });
    expect(shell(["script.sh", "a"]).args).toEqual(["a"]);
    const fromStdin = shell(["-s", "a", "b"]);
    expect(fromStdin.source).toEqual({ from: "stdin" });
    expect(fromStdin.args).toEqual(["a", "b"]);
  });

  test("no arguments: stdin script when stdin is not a terminal, the daemon when it is", () => {
    expect(shell([]).source).toEqual({ from: "stdin" });
    expect(parseInvocation([], {}, tty).kind).toBe("daemon");
  });

  test("--no-daemon and daemon options before the shell arguments", () => {
    const parsed = shell(["--no-daemon", "--socket", "/x/s.sock", "-c", "true"]);
    expect(parsed.noDaemon).toBe(true);
    expect(parsed.daemonOptions.socket).toBe("/x/s.sock");
  });

  test("subcommands", () => {
    expect(parseInvocation(["status", "--json"], {}, notTty)).toMatchObject({ kind: "control", command: "status", json: true });
    expect(parseInvocation(["start", "--mode", "fork"], {}, notTty)).toMatchObject({ kind: "control", command: "start", options: { mode: "fork" } });
    expect(parseInvocation(["daemon", "--notify-ready"], {}, notTty)).toMatchObject({ kind: "daemon", notifyReady: true });
    expect(parseInvocation(["--version"], {}, notTty)).toEqual({ kind: "version" });
  });

  test.each([
    [["-c"]],
    [["-q", "-c", "true"]],
    [["--bogus", "-c", "true"]],
    [["start", "--mode", "threads"]],
    [["start", "--workers"]],
    [["status", "extra"]],
  ])("usage errors: %p", (argv) => {
    expect(() => parseInvocation(argv, {}, notTty)).toThrow(UsageError);
  });
});

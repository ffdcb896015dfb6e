// A file that is not an executable format (ENOEXEC): XCU 2.9.1.1 has a new
// shell run it as a script, which dash does by exec'ing /bin/sh on it. It
// runs in-process here, but as that new shell would: it knows only the
// exported environment (no unexported variables, functions, aliases or
// options, no traps but ignored signals, which stay ignored across exec),
// and $0, which names it in its messages, is the file as dash passes it;
// its $$ is its own (shell-process.ts).
//
// Imports sibling executor modules.

import * as fs from "node:fs";
import { decodeShellText, fsPath } from "../bytes.ts";
import { Interp } from "./executor.ts";
import { type Status, then } from "./maybe.ts";
import { deathMessage } from "./signals.ts";
import { ShellProcess } from "./shell-process.ts";
import { defaultOptions, ShellState } from "./state.ts";
import { setStartupVariables } from "./startup-vars.ts";
import { Variables } from "./vars.ts";

/** How much of the file dash looks at to tell a binary from a script. */
const BINARY_SAMPLE_BYTES = 128;

/**
 * Whether dash takes the file for a binary and refuses to run it as a script
 * ("Exec format error", 126): a control character other than the blanks, SO,
 * SI and ESC in the first line, within the first 128 bytes (found by trying
 * every byte under dash 0.5.12).
 */
export function looksBinary(file: string): boolean {
  const sample = Buffer.alloc(BINARY_SAMPLE_BYTES);
  let length: number;
  const fd = fs.openSync(fsPath(file), "r");
  try {
    length = fs.readSync(fd, sample, 0, BINARY_SAMPLE_BYTES, 0);
  } finally {
    fs.closeSync(fd);
  }
  for (let i = 0; i < length; i++) {
    const byte = sample[i] ?? 0;
    if (byte === 10) return false;
    if (byte === 127 || (byte < 32 && !(byte >= 9 && byte <= 15) && byte !== 27)) return true;
  }
  return false;
}

export function runScriptFile(interp: Interp, file: string, argv: readonly string[], env: Readonly<Record<string, string>>): Status {
  return fs.promises
    .readFile(fsPath(file))
    .then(decodeShellText)
    .then((source) => {
      const shell = newShell(interp, argv, env);
      shell.argv0 = scriptName(interp, argv[0] ?? "", file);
      return then(shell.runAsSubshell(() => shell.runSource(source, true)), (status) => {
        // Killed by a signal (`kill $$` in it): announced as for any foreground command (spawn.ts).
        const signal = shell.process?.diedOf;
        const message = signal === undefined ? undefined : deathMessage(signal);
        if (message === undefined || interp.jobProcesses !== null) return status;
        return then(interp.writeStderr(`${message}\n`), () => status);
      });
    });
}

/**
 * `$0` as dash passes it: the name as typed when it has a slash, else the
 * PATH entry that found it joined to the name as written (`./s` for `.`,
 * `s` for an empty entry).
 */
function scriptName(interp: Interp, name: string, file: string): string {
  if (name.includes("/")) return name;
  for (const dir of (interp.get("PATH") ?? "").split(":")) {
    const candidate = dir === "" ? name : `${dir}/${name}`;
    if (interp.resolvePath(candidate) === file) return candidate;
  }
  return file;
}

function newShell(parent: Interp, argv: readonly string[], env: Readonly<Record<string, string>>): Interp {
  const from = parent.state;
  const vars = Variables.fromEnvironment(env);
  const cwd = setStartupVariables(vars, from.cwd);
  const traps = new Map<string, string>();
  for (const [signal, action] of from.traps) if (action === "" && signal !== "EXIT") traps.set(signal, "");
  const state = new ShellState(vars, argv.slice(1), cwd, new Map(from.fds), new Map(), traps, new Map(), defaultOptions());
  state.limits = from.limits;
  const shell = new Interp(parent.session, state, parent.cancel, parent.jobProcesses);
  shell.isRoot = false;
  // A new process, unless `exec` in a shell that is a process (not a subshell of one, which dash
  // forks) put the script in its place: the pid stays, as across execve.
  const isProcess = parent.isRoot || (parent.ownsProcess && parent.process?.kind === "script");
  const ids = parent.isReplaced && isProcess
    ? { pid: Number(parent.special("$")), ppid: Number(parent.get("PPID")) }
    : { pid: parent.session.syntheticPids.take(), ppid: Number(parent.special("$")) };
  shell.process = new ShellProcess("script", ids);
  // Its $PPID, a plain variable as in any shell dash starts: the shell that ran it.
  vars.set("PPID", String(ids.ppid));
  shell.ownsProcess = true;
  shell.depth = parent.depth;
  return shell;
}

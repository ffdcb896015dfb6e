// Shell.checkpoint() and ShellOptions.checkpoint: a session's state as JSON
// data, and a new session (another Shell, as in another worker) resumed from
// it after a JSON round trip.

import { describe, expect, test } from "bun:test";
import { CheckpointError, parseCheckpoint, Shell, type ShellCheckpoint } from "../../src/shell/index.ts";
import type { InputSource } from "../../src/shell/index.ts";
import { CaptureSink, fakeHost, makeShell } from "./helpers.ts";

/** Run `script` in a new session and take its checkpoint, through JSON as it would travel. */
async function checkpointAfter(script: string, options: Parameters<typeof makeShell>[0] = {}): Promise<{ checkpoint: ShellCheckpoint; json: string; stderr: string }> {
  const { shell, stderr } = makeShell(options);
  await shell.run(script);
  const json = JSON.stringify(shell.checkpoint());
  await shell.dispose();
  return { checkpoint: parseCheckpoint(JSON.parse(json)), json, stderr: stderr.text() };
}

/** A session resumed from `checkpoint`, given other cwd, env and args than the first had (the checkpoint wins). */
function resume(checkpoint: ShellCheckpoint, { env = { PATH: "/bin", HOME: "/elsewhere", ONLY_NEW: "x" } }: { env?: Record<string, string> } = {}) {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const host = fakeHost();
  const shell = new Shell({
    argv0: "sh", args: ["new-arg"], cwd: "/", env, ppid: 4242,
    stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: stderr },
    // Ignored when resuming, as cwd, env and args are: with -x every test below would see a trace.
    host, flags: ["x"],
    checkpoint,
  });
  const run = async (script: string) => {
    const status = await shell.run(script);
    return { status, stdout: stdout.text(), stderr: stderr.text() };
  };
  return { shell, host, stdout, stderr, run };
}

const SESSION = [
  "cd /usr",
  "export A=1",
  "B='two words'",
  'f() { echo "f:$1:A=$A:B=$B"; }',
  "alias g='echo alias-g'",
  "set -o errexit -o nounset",
  "umask 027",
  "readonly R=1",
  'set -- one "two words"',
].join("\n");

describe("what a checkpoint carries", () => {
  test("cwd, variables, functions, aliases, options, umask and positional parameters, and they behave", async () => {
    const { checkpoint } = await checkpointAfter(SESSION, { cwd: "/tmp" });
    const { host, run, shell } = resume(checkpoint);
    expect(host.mask).toBe(0o027);
    const result = await run('pwd; f x; g; echo "$-" "$R" "$#:$1:$2" "${ONLY_NEW-not in the checkpoint}"; umask; export -p');
    expect(result).toEqual({
      status: 0,
      stdout: [
        "/usr",
        "f:x:A=1:B=two words",
        "alias-g",
        "ue 1 2:one:two words not in the checkpoint",
        "0027",
        "export A='1'",
        "export HOME='/root'",
        "export OLDPWD='/tmp'",
        "export PATH='/usr/local/bin:/usr/bin:/bin'",
        "export PWD='/usr'",
        "",
      ].join("\n"),
      stderr: "",
    });
    // readonly, nounset and errexit are in force.
    expect(await run("R=2")).toMatchObject({ status: 2, stderr: "sh: 1: R: is read only\n" });
    await shell.dispose();
    const { run: run2 } = resume(checkpoint);
    expect(await run2("echo $nothing; echo not reached")).toEqual({ status: 2, stdout: "", stderr: "sh: 1: nothing: parameter not set\n" });
    const { run: run3 } = resume(checkpoint);
    expect(await run3("false; echo not reached")).toEqual({ status: 1, stdout: "", stderr: "" });
  });

  test("the format: version, sorted variables, functions as source, and nothing but JSON data", async () => {
    const { checkpoint, json } = await checkpointAfter(SESSION, { cwd: "/tmp" });
    expect(checkpoint).toEqual({
      version: 1,
      cwd: "/usr",
      umask: 0o027,
      lastStatus: 0,
      positional: ["one", "two words"],
      variables: [
        { name: "A", value: "1", exported: true, readonly: false },
        { name: "B", value: "two words", exported: false, readonly: false },
        { name: "HOME", value: "/root", exported: true, readonly: false },
        { name: "IFS", value: " \t\n", exported: false, readonly: false },
        { name: "OLDPWD", value: "/tmp", exported: true, readonly: false },
        { name: "OPTIND", value: "1", exported: false, readonly: false },
        { name: "PATH", value: "/usr/local/bin:/usr/bin:/bin", exported: true, readonly: false },
        // dash's prompts: PS1 is `# ` for root.
        { name: "PS1", value: process.geteuid?.() === 0 ? "# " : "$ ", exported: false, readonly: false },
        { name: "PS2", value: "> ", exported: false, readonly: false },
        { name: "PS4", value: "+ ", exported: false, readonly: false },
        { name: "PWD", value: "/usr", exported: true, readonly: false },
        { name: "R", value: "1", exported: false, readonly: true },
      ],
      functions: [{ name: "f", source: 'f() {\n    echo "f:$1:A=$A:B=$B"\n}' }],
      aliases: [{ name: "g", value: "echo alias-g" }],
      options: ["errexit", "nounset"],
      notCarried: [],
    });
    expect(JSON.parse(json)).toEqual(checkpoint);
    expect(isPlainJson(JSON.parse(json))).toBe(true);
  });

  test("$? is carried", async () => {
    const { checkpoint } = await checkpointAfter("(exit 7)");
    expect(checkpoint.lastStatus).toBe(7);
    expect(await resume(checkpoint).run("echo $?")).toMatchObject({ stdout: "7\n" });
  });

  test("a resumed session's checkpoint is the checkpoint it resumed from", async () => {
    const { checkpoint } = await checkpointAfter(`${SESSION}\nexport U; readonly V; alias q="it's"`);
    expect(resume(checkpoint).shell.checkpoint()).toEqual(checkpoint);
  });

  test("declared but unset variables keep their flags and stay unset", async () => {
    const { checkpoint } = await checkpointAfter("export U; readonly V");
    expect(checkpoint.variables.filter((v) => v.name === "U" || v.name === "V")).toEqual([
      { name: "U", exported: true, readonly: false },
      { name: "V", exported: false, readonly: true },
    ]);
    const { run } = resume(checkpoint);
    expect(await run('echo "${U-unset} ${V-unset}"; export -p | grep U; readonly -p | grep V; U=5; export -p | grep U')).toEqual({
      status: 0, stdout: "unset unset\nexport U\nreadonly V\nexport U='5'\n", stderr: "",
    });
  });

  test("a variable unset before the checkpoint stays unset, whatever the new environment holds", async () => {
    const { checkpoint } = await checkpointAfter("unset HOME IFS PS4");
    const { run } = resume(checkpoint, { env: { PATH: "/bin", HOME: "/new/home", IFS: ":", PS4: "> " } });
    expect(await run('echo "${HOME-unset} ${IFS-unset} ${PS4-unset}"')).toMatchObject({ stdout: "unset unset unset\n" });
  });

  test("PPID is the resumed session's own; $0 is its embedding's", async () => {
    const { checkpoint } = await checkpointAfter("PPID=1", { argv0: "first" });
    expect(checkpoint.variables.some((v) => v.name === "PPID")).toBe(false);
    expect(await resume(checkpoint).run("echo $PPID $0")).toMatchObject({ stdout: "4242 sh\n" });
  });

  test("newlines, quotes, backslashes and non-UTF-8 bytes in values survive JSON", async () => {
    const { checkpoint, json } = await checkpointAfter("x=$(printf 'a\\377\\nb\\047\"\\\\\\200'); export y=\"$x\"; alias z=\"printf '%s|' \\\"\\$x\\\"\"");
    const value = "a\udcff\nb'\"\\\udc80";
    expect(checkpoint.variables.find((v) => v.name === "x")?.value).toBe(value);
    expect(json).toContain("\\udcff");
    // The JSON text is well-formed, so it survives UTF-8 on the way (the object's strings would not).
    expect(json.isWellFormed()).toBe(true);
    const travelled = parseCheckpoint(JSON.parse(new TextDecoder().decode(new TextEncoder().encode(json))));
    expect(travelled).toEqual(checkpoint);
    const { run, stdout } = resume(travelled);
    expect(await run('printf %s "$x"; echo; z; echo; [ "$x" = "$y" ] && echo same')).toMatchObject({ status: 0, stderr: "" });
    const line = Buffer.concat([Buffer.from("a"), Buffer.from([0xff]), Buffer.from("\nb'\"\\"), Buffer.from([0x80])]);
    expect(stdout.bytes()).toEqual(Buffer.concat([line, Buffer.from("\n"), line, Buffer.from("|\nsame\n")]));
  });

  test("aliases keep their order; function bodies keep the aliases they had, and are not expanded again", async () => {
    const { checkpoint } = await checkpointAfter("alias b=B a=A c=C e='echo from-alias'\nf() { e x; }\nunalias e; alias echo='echo once'\ng() { echo y; }");
    expect(checkpoint.aliases.map((a) => a.name)).toEqual(["b", "a", "c", "echo"]);
    expect(await resume(checkpoint).run("f; g")).toMatchObject({ status: 0, stdout: "from-alias x\nonce y\n" });
  });
});

// Functions using every construct: defined and called in one session, called again in the resumed one.
const FUNCTIONS: readonly (readonly [string, string, string])[] = [
  ["for and case", 'f() { for i in "$@"; do case $i in a*|b) echo "A:$i";; (c) ;& d) echo "cd:$i";; *) echo "o:$i";; esac; done; }', "f ab c x"],
  ["if, elif, [[ ]]", 'f() { if [ "$1" = a ]; then echo A; elif [[ $1 == b* && ! ( -z $1 || $1 < a ) ]]; then echo B; else echo C; fi; }', "f a; f bee; f c"],
  ["while, until, arithmetic", "f() { i=0; while [ $i -lt $1 ]; do i=$((i + 1)); printf %s $i; done; until [ $i -eq 0 ]; do : $((i -= 1)); done; echo \" $i\"; }", "f 3"],
  ["here-document", 'f() { while IFS= read -r l; do echo "[$l]"; done <<EOF\n  $1 \\$x "q" \'s\'\n\tEOF-ish\nEOF\n}', "f v"],
  ["quoted, tab-stripped here-document", "f() {\n\twhile read -r l; do echo \"<$l>\"; done <<-'E'\n\t\t$1 `x`\n\tE\n}", "f v"],
  ["subshell body", "f() ( cd /; pwd; exit 3 )", "f; echo $?; pwd"],
  ["pipelines, and-or, negation", "f() { echo a | { read x; echo \"got $x\"; } && ! false || echo no; ! true; echo $?; }", "f"],
  ["background and wait", "f() { { echo bg; } & wait $!; echo \"fg $?\"; }", "f"],
  ["nested definition", 'f() { g() { echo "g $1"; }; g inner; }', "f; g outer"],
  ["substitutions", 'f() { echo "$(echo a; echo b)" `echo c` "$(( $# * 2 ))" "$(read -r l <<E\nin sub\nE\necho "$l")"; }', "f 1 2"],
  ["parameter operators", 'f() { x=${1:-def}; echo ${x%.*} ${x##*/} ${#x} ${x/a/A} ${x:1:2} ${2-none} "${3:+set}"; }', "f /p/a.txt; f"],
  ["redirections", "f() { { echo out; echo err >&2; } 2>&1; echo to-null >/dev/null; read -r l <<< \"here $1\"; echo \"$l\"; }", "f s"],
  ["bash-style name", "function my-fn { echo bash-style; }", "my-fn"],
  ["simple command body", "f() echo simple", "f"],
  ["local and return", "f() { local v=inner; echo $v; return 4; }", "v=outer; f; echo $? $v"],
  ["quoting", "f() { echo 'it'\\''s' \"a\\\"b\" \\$HOME $'t\\tt' \"${1+\"$1\"}\"; }", "f 'x y'"],
];

describe("functions with every construct survive the checkpoint", () => {
  test.each(FUNCTIONS)("%s", async (_name, definition, call) => {
    const { shell, stdout, stderr } = makeShell();
    const status = await shell.run(`${definition}\n${call}`);
    const want = { status, stdout: stdout.text(), stderr: stderr.text() };
    expect(want.stderr).toBe("");
    const checkpoint = JSON.parse(JSON.stringify(shell.checkpoint()));
    await shell.dispose();
    const { run } = resume(checkpoint);
    expect(await run(call)).toEqual(want);
  });
});

describe("what a checkpoint does not carry is named", () => {
  test.each([
    ["a fresh session", "", []],
    ["a trap", "trap 'echo t' INT", ["traps"]],
    ["an ignored signal", "trap '' TERM", ["traps"]],
    ["an fd opened with exec", "exec 3>/dev/null", ["fds"]],
    ["stdout redirected with exec", "exec >/dev/null", ["fds"]],
    ["a redirection of one command (undone after it)", "echo >/dev/null", []],
    ["a background job", ": &", ["jobs"]],
    ["a limit set with ulimit", "ulimit -S -c 0", ["limits"]],
    ["getopts inside -ab", "set -- -ab; getopts ab o", ["getopts"]],
    ["all of them", "trap 'echo t' INT; exec 3</dev/null; : & ulimit -S -c 0; getopts ab o -ab", ["traps", "fds", "jobs", "limits", "getopts"]],
  ] as const)("%s", async (_name, script, notCarried) => {
    const { checkpoint } = await checkpointAfter(script);
    expect(checkpoint.notCarried).toEqual([...notCarried]);
  });

  test("the resumed session has none of them", async () => {
    const { checkpoint } = await checkpointAfter("trap 'echo t' INT; exec 3>/dev/null; : &");
    const { run } = resume(checkpoint);
    expect(await run("trap; echo \"[${!-none}]\"; echo x >&3")).toEqual({ status: 2, stdout: "[none]\n", stderr: "sh: 1: 3: Bad file descriptor\n" });
  });

  test("no checkpoint while a script runs", async () => {
    let release: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => {
      release = resolve;
    });
    const source: InputSource = {
      async read() {
        await waiting;
        return null;
      },
    };
    const shell = new Shell({
      argv0: "sh", args: [], cwd: "/tmp", env: {}, host: fakeHost(),
      stdin: { kind: "source", source }, stdout: { kind: "null" }, stderr: { kind: "null" },
    });
    const running = shell.run("f() { local v=1; read x; }; f");
    expect(() => shell.checkpoint()).toThrow(new CheckpointError(undefined, "a script is running: take a checkpoint between runs"));
    release();
    expect(await running).toBe(1);
    expect(shell.checkpoint().variables.some((v) => v.name === "v")).toBe(false);
    await shell.dispose();
  });
});

describe("a malformed checkpoint is a CheckpointError naming the field", () => {
  const good = (): Record<string, unknown> => ({
    version: 1, cwd: "/", umask: 18, lastStatus: 0, positional: ["a"],
    variables: [{ name: "A", value: "1", exported: true, readonly: false }],
    functions: [{ name: "f", source: "f() { :; }" }],
    aliases: [{ name: "g", value: "echo" }],
    options: ["errexit"], notCarried: [],
  });
  const withField = (field: string, value: unknown) => ({ ...good(), [field]: value });
  test.each<readonly [string, unknown, string | undefined]>([
    ["not an object", null, undefined],
    ["an array", [], undefined],
    ["a class instance", new Map(), undefined],
    ["another version", withField("version", 2), "version"],
    ["no version", { ...good(), version: undefined }, "version"],
    ["a relative cwd", withField("cwd", "tmp"), "cwd"],
    ["a cwd that is no string", withField("cwd", 1), "cwd"],
    ["a umask out of range", withField("umask", 0o1000), "umask"],
    ["a umask that is a string", withField("umask", "022"), "umask"],
    ["a fractional status", withField("lastStatus", 1.5), "lastStatus"],
    ["a status above 255", withField("lastStatus", 256), "lastStatus"],
    ["positional parameters that are no array", withField("positional", "a b"), "positional"],
    ["a positional parameter that is no string", withField("positional", ["a", 2]), "positional[1]"],
    ["a variable flag that is no boolean", withField("variables", [{ name: "A", value: "1", exported: "yes", readonly: false }]), "variables[0].exported"],
    ["a variable without its flags", withField("variables", [{ name: "A", value: "1" }]), "variables[0].exported"],
    ["a variable value that is no string", withField("variables", [{ name: "A", value: 1, exported: true, readonly: false }]), "variables[0].value"],
    ["a variable name with =", withField("variables", [{ name: "A=B", exported: true, readonly: false }]), "variables[0].name"],
    ["an empty variable name", withField("variables", [{ name: "", exported: true, readonly: false }]), "variables[0].name"],
    ["a variable twice", withField("variables", [{ name: "A", exported: true, readonly: false }, { name: "A", exported: false, readonly: false }]), "variables[1].name"],
    ["an unknown variable field", withField("variables", [{ name: "A", exported: true, readonly: false, colour: "red" }]), "variables[0].colour"],
    ["an unknown field", withField("traps", []), "traps"],
    ["a function that does not parse", withField("functions", [{ name: "f", source: "f() {" }]), "functions[0].source"],
    ["a function source defining another name", withField("functions", [{ name: "f", source: "g() { :; }" }]), "functions[0].source"],
    ["a function source with more in it", withField("functions", [{ name: "f", source: "f() { :; }; echo more" }]), "functions[0].source"],
    ["a function source that is no definition", withField("functions", [{ name: "f", source: "echo f" }]), "functions[0].source"],
    ["a function twice", withField("functions", [{ name: "f", source: "f() { :; }" }, { name: "f", source: "f() { :; }" }]), "functions[1].name"],
    ["an alias value that is no string", withField("aliases", [{ name: "g", value: 1 }]), "aliases[0].value"],
    ["an unknown option", withField("options", ["errexit", "nosuch"]), "options[1]"],
    ["an unknown notCarried entry", withField("notCarried", ["traps", "sockets"]), "notCarried[1]"],
  ])("%s", (_name, checkpoint, field) => {
    const host = fakeHost();
    let error: unknown;
    try {
      new Shell({
        argv0: "sh", args: [], cwd: "/", env: {}, host, stdin: { kind: "null" }, stdout: { kind: "null" }, stderr: { kind: "null" },
        // What JSON.parse could hand over: the static type does not stop it.
        checkpoint: checkpoint as ShellCheckpoint,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckpointError);
    if (!(error instanceof CheckpointError)) return;
    expect(error.field).toBe(field);
    expect(error.message).toStartWith(field === undefined ? "checkpoint: " : `checkpoint: ${field}: `);
    // Nothing was applied: the umask is the host's still.
    expect(host.mask).toBe(0o022);
    expect(() => parseCheckpoint(checkpoint)).toThrow(error);
  });

  test("the messages say what is wrong", () => {
    const message = (checkpoint: unknown) => {
      try {
        parseCheckpoint(checkpoint);
      } catch (error) {
        return error instanceof CheckpointError ? error.message : `not a CheckpointError: ${String(error)}`;
      }
      return "no error";
    };
    expect(message(withField("version", 2))).toBe("checkpoint: version: unsupported version 2 (this shell reads version 1)");
    expect(message(withField("umask", "022"))).toBe('checkpoint: umask: expected an integer from 0 to 511, got "022"');
    expect(message(withField("functions", [{ name: "f", source: "f() {" }]))).toBe(
      'checkpoint: functions[0].source: does not parse: line 1: end of file unexpected (expecting "}")',
    );
    expect(message(good())).toBe("no error");
  });
});

/** Only strings, numbers, booleans, arrays and plain objects. */
function isPlainJson(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) return true;
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(isPlainJson);
}

// Real-world check: run the #!/bin/sh scripts that are already installed on
// this machine under dash and under rushd, with harmless arguments, and
// compare what they print and how they exit.
//
//   bun scripts/real-world-check.ts [--build-head | --rushd BIN] [--only NAME…] [--no-daemon-variant]
//                                   [--report FILE] [--json FILE] [--no-sandbox]
//
// The autoconf check (GNU hello's ./configure under dash and under rushd,
// config.h and Makefile compared byte for byte) is a separate script, since
// it needs Debian's source package: scripts/real-world/configure-check.ts.
// Its result lives in this report's hand-written section, which is kept.
//
// Nothing is copied into the repository: every script is run in place, from
// /usr/bin, /usr/sbin, /bin or /sbin (symlinks and hard links are run once).
//
// What is run. Each script that has been read and judged safe (REVIEWED below)
// is run with each argument set that was judged harmless for it: `--help`,
// `--version`, `-h`, and no arguments. A script or argument set that is not in
// REVIEWED, or is listed there as unsafe, is skipped and the report says why.
// A script on another machine that nobody has reviewed is never run.
//
// How. Each run is `dash [SHEBANG-OPT] SCRIPT ARGS` and then
// `rushd --no-daemon [SHEBANG-OPT] SCRIPT ARGS` (in process), then, unless
// --no-daemon-variant, `rushd [SHEBANG-OPT] -c "$(cat SCRIPT)" SCRIPT ARGS`
// through a daemon that this check starts on a private socket. Every run gets
// the same fresh, empty working directory (also $HOME), stdin from /dev/null,
// 5 s, its own process group (killed afterwards), and the environment
// PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=<dir> LC_ALL=C TERM=dumb
// (the daemon variant adds RUSHD_SOCKET and RUSHD_AUTOSTART=0).
//
// Comparison. stdout and the exit status must be identical. stderr must be
// identical too; if it is not, it is compared once more after one
// normalisation: a line that starts with the shell's own name and a colon
// (`dash:` / `rushd:`, as both print for errors that are not in the script,
// e.g. "cannot open") has that name replaced by `SH:`. Nothing else is
// rewritten: both shells see the same $0 (the script's path), so "SCRIPT: LINE:"
// prefixes must agree exactly.
//
// Safety. As root, the whole check re-runs itself inside
// `unshare --mount --net --ipc --pid --fork`, where every mount is remounted
// read-only, /tmp and /var/tmp are fresh tmpfs, there is no network, and all
// capabilities are dropped (setpriv) before anything is run. It then probes
// that /etc, /usr, /var, /root and the repository cannot be written, and stops
// if one can. The argument review below is the first line of defence; the
// sandbox is the second. --no-sandbox turns the second off (not recommended).

import { chmodSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, readdirSync, realpathSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { buildHead } from "./real-world/build-head.ts";

type ArgSet = "--help" | "--version" | "-h" | "";
const ARG_SETS: ArgSet[] = ["--help", "--version", "-h", ""];
const HVH: ArgSet[] = ["--help", "--version", "-h"];
const ALL: ArgSet[] = ARG_SETS;
const label = (set: ArgSet): string => (set === "" ? "(none)" : set);

interface Review {
  /** Argument sets judged harmless for this script. */
  run: ArgSet[];
  /** Why the other argument sets are not run (default: SKIP_DEFAULT). */
  skip?: Partial<Record<ArgSet, string>>;
  /** What was checked when reading the script. */
  note?: string;
  /** A condition of the machine that must hold for `run` to be safe. */
  precondition?: { holds: () => boolean; otherwise: string };
}

const SKIP_DEFAULT = "not judged harmless when the script was read";

// Every script here was read; `run` lists the argument sets that it rejects,
// answers or ignores before it changes anything outside the empty temp cwd /
// $HOME. Keyed by the real path of the file.
const REVIEWED: Record<string, Review> = {
  "/usr/bin/apt-key": {
    run: ["--help", "--version", ""],
    skip: { "-h": "takes -h as a command and sets up a temporary GnuPG home (gpg, apt-config) before rejecting it" },
    note: "--help/--version hit the `--*) Unknown option` branch, no arguments hit `usage; exit 1`",
  },
  "/usr/bin/bashbug": { run: HVH, skip: { "": "with no arguments it opens an editor and mails a bug report" } },
  "/usr/bin/bzdiff": { run: ALL },
  "/usr/bin/bzexe": {
    run: [""],
    skip: {
      "--help": "compresses executables in place; any argument but -d is a file to rewrite",
      "--version": "compresses executables in place; any argument but -d is a file to rewrite",
      "-h": "compresses executables in place; any argument but -d is a file to rewrite",
    },
  },
  "/usr/bin/bzgrep": { run: ALL },
  "/usr/bin/bzmore": { run: ALL },
  "/usr/bin/c89-gcc": { run: ALL },
  "/usr/bin/c99-gcc": { run: ALL },
  "/usr/bin/cscope-indexer": { run: ALL, note: "an argument is a directory to cd to (fails); with none it writes cscope.files/cscope.out in the empty temp cwd" },
  "/usr/bin/dpkg-maintscript-helper": { run: ALL, note: "--help and -h (matches -?) print usage, --version prints the version, none is a usage error" },
  "/usr/bin/dpkg-realpath": { run: ALL },
  "/usr/bin/egrep": { run: ALL },
  "/usr/bin/fgrep": { run: ALL },
  "/usr/bin/fakeroot-sysv": { run: HVH, skip: { "": "starts the faked daemon and an interactive shell" } },
  "/usr/bin/fakeroot-tcp": { run: HVH, skip: { "": "starts the faked daemon and an interactive shell" } },
  "/usr/bin/gdb-add-index": { run: ALL, note: "the one operand names no file in the empty cwd: rejected at `test ! -r`" },
  "/usr/bin/gdbtui": { run: ALL },
  "/usr/bin/gettext.sh": { run: ALL },
  "/usr/bin/gettextize": { run: HVH, skip: { "": "would gettextize the package in the cwd" } },
  "/usr/bin/gpg-zip": { run: ALL },
  "/usr/bin/gpgrt-config": { run: ALL },
  "/usr/bin/gunzip": { run: ALL },
  "/usr/bin/gzexe": {
    run: ["--help", "--version", ""],
    skip: { "-h": "rewrites executables in place and takes -h as a file operand" },
  },
  "/usr/bin/heaptrack": { run: HVH, skip: { "": "with no arguments it looks for the GUI or a debuggee to run" } },
  "/usr/bin/kernel-install": { run: ALL, note: "-h/--help/--version are answered first; none is `not enough arguments`" },
  "/usr/bin/lcf": { run: ALL },
  "/usr/bin/lesspipe": { run: ALL },
  "/usr/bin/libgcrypt-config": { run: ALL },
  "/usr/bin/libpng16-config": { run: ALL },
  "/usr/bin/lsb_release": { run: ALL },
  "/usr/bin/lspgpot": { run: ALL, note: "gpg --dry-run; its GnuPG home is the temp $HOME" },
  "/usr/bin/ncurses6-config": { run: ALL },
  "/usr/bin/ncursesw6-config": { run: ALL },
  "/usr/bin/neqn": { run: ALL },
  "/usr/bin/nroff": { run: ALL },
  "/usr/bin/nspr-config": { run: ALL },
  "/usr/bin/nss-config": { run: ALL },
  "/usr/bin/ocs": {
    run: ALL,
    note: "exits at its SYSDIR check, before parsing arguments",
    precondition: { holds: () => !existsSync("/usr/local/lib/cs"), otherwise: "/usr/local/lib/cs exists, so ocs would go on to build cscope libraries" },
  },
  "/usr/bin/perldoc": { run: ALL },
  "/usr/bin/pg_buildext": { run: ALL },
  "/usr/bin/pg_config": { run: ALL },
  "/usr/bin/python-argcomplete-tcsh": { run: ALL, note: "runs \"$1\" as a command: --help, -h, … are not commands" },
  "/usr/bin/red": { run: ALL },
  "/usr/bin/rgrep": { run: ALL },
  "/usr/bin/savelog": { run: ALL, note: "options go through getopts first; none means no files to rotate" },
  "/usr/bin/select-editor": { run: ALL, note: "ignores its arguments; writes only $HOME/.selected_editor (the temp dir)" },
  "/usr/bin/sensible-browser": { run: ALL },
  "/usr/bin/sensible-editor": { run: HVH, skip: { "": "opens an editor (vim) interactively" } },
  "/usr/bin/sensible-pager": { run: ALL },
  "/usr/bin/ssh-argv0": { run: ALL, note: "refuses to run under its own name" },
  "/usr/bin/ssh-copy-id": { run: ALL, note: "all four end in usage() before any connection" },
  "/usr/bin/strace-log-merge": { run: ALL },
  "/usr/bin/ucf": { run: ALL, note: "getopt; -h/--help print usage, the others fail the argument count before acting" },
  "/usr/bin/ucfr": { run: ALL, note: "getopt; -h/--help print usage, the others fail the argument count before acting" },
  "/usr/bin/valgrind": { run: ALL },
  "/usr/bin/vimtutor": {
    run: [],
    skip: {
      "--help": "starts vim on a copy of the tutor whatever the arguments (interactive)",
      "--version": "starts vim on a copy of the tutor whatever the arguments (interactive)",
      "-h": "starts vim on a copy of the tutor whatever the arguments (interactive)",
      "": "starts vim on a copy of the tutor whatever the arguments (interactive)",
    },
  },
  "/usr/bin/which.debianutils": { run: ALL },
  "/usr/bin/x86_64-linux-gnu-python3.11-config": { run: ALL },
  "/usr/bin/xdg-user-dir": { run: ALL },
  "/usr/bin/xml2-config": { run: ALL },
  "/usr/bin/xmlsec1-config": { run: ALL },
  "/usr/bin/xslt-config": { run: ALL },
  "/usr/bin/xzdiff": { run: ALL },
  "/usr/bin/xzgrep": { run: ALL },
  "/usr/bin/xzless": { run: ALL },
  "/usr/bin/xzmore": { run: ALL },
  "/usr/bin/zcat": { run: ALL },
  "/usr/bin/zcmp": { run: ALL },
  "/usr/bin/zdiff": { run: ALL },
  "/usr/bin/zegrep": { run: ALL },
  "/usr/bin/zfgrep": { run: ALL },
  "/usr/bin/zforce": { run: ALL, note: "--h*/--v* answered first; -h is `not a file` in the empty cwd; none is a usage error" },
  "/usr/bin/zgrep": { run: ALL },
  "/usr/bin/zipgrep": { run: ALL },
  "/usr/bin/zless": { run: ALL },
  "/usr/bin/zmore": { run: ALL },
  "/usr/bin/znew": { run: ALL, note: "--help/--version answered first; -h and none fail the operand count" },
  "/usr/bin/zstdgrep": { run: ALL },
  "/usr/bin/zstdless": { run: ALL },
  "/usr/lib/google-cloud-sdk/bin/bq": { run: HVH, skip: { "": "network client; the no-argument path was not reviewed" } },
  "/usr/lib/google-cloud-sdk/bin/docker-credential-gcloud": { run: HVH, skip: { "": "credential helper; the no-argument path was not reviewed" } },
  "/usr/lib/google-cloud-sdk/bin/gcloud": { run: HVH, skip: { "": "network client; the no-argument path was not reviewed" } },
  "/usr/lib/google-cloud-sdk/bin/git-credential-gcloud.sh": { run: HVH, skip: { "": "credential helper; the no-argument path was not reviewed" } },
  "/usr/lib/google-cloud-sdk/bin/gsutil": { run: HVH, skip: { "": "network client; the no-argument path was not reviewed" } },
  "/usr/sbin/add-shell": {
    run: [""],
    skip: {
      "--help": "every argument is a shell to add to /etc/shells",
      "--version": "every argument is a shell to add to /etc/shells",
      "-h": "every argument is a shell to add to /etc/shells",
    },
  },
  "/usr/sbin/addgnupghome": {
    run: [""],
    skip: {
      "--help": "every argument is a user to create ~/.gnupg for",
      "--version": "every argument is a user to create ~/.gnupg for",
      "-h": "every argument is a user to create ~/.gnupg for",
    },
  },
  "/usr/sbin/applygnupgdefaults": { run: HVH, skip: { "": "with no arguments it applies /etc/gnupg/gpgconf.conf to every user" } },
  "/usr/sbin/installkernel": { run: ALL, note: "anything but 3–5 arguments is a usage error" },
  "/usr/sbin/invoke-rc.d": { run: ALL, note: "--help answered; --version unknown option; -h and none are missing parameters" },
  "/usr/sbin/locale-gen": {
    run: [],
    skip: {
      "--help": "ignores its arguments and regenerates the locales (removes /usr/lib/locale/locale-archive)",
      "--version": "ignores its arguments and regenerates the locales (removes /usr/lib/locale/locale-archive)",
      "-h": "ignores its arguments and regenerates the locales (removes /usr/lib/locale/locale-archive)",
      "": "regenerates the locales (removes /usr/lib/locale/locale-archive)",
    },
  },
  "/usr/sbin/pam_namespace_helper": {
    run: [],
    skip: {
      "--help": "ignores its arguments and creates the polyinstantiation directories of /etc/security/namespace.conf",
      "--version": "ignores its arguments and creates the polyinstantiation directories of /etc/security/namespace.conf",
      "-h": "ignores its arguments and creates the polyinstantiation directories of /etc/security/namespace.conf",
      "": "creates the polyinstantiation directories of /etc/security/namespace.conf",
    },
  },
  "/usr/sbin/policy-rc.d": { run: ALL, note: "`exit 101`, nothing else" },
  "/usr/sbin/remove-shell": {
    run: [""],
    skip: {
      "--help": "every argument is a shell to remove from /etc/shells",
      "--version": "every argument is a shell to remove from /etc/shells",
      "-h": "every argument is a shell to remove from /etc/shells",
    },
  },
  "/usr/sbin/service": { run: ALL, note: "-h/--help/--version answered first; none is a usage error" },
  "/usr/sbin/shadowconfig": { run: ALL, note: "only `on` and `off` act; anything else prints usage" },
  "/usr/sbin/tarcat": { run: ALL, note: "reads (dd, cat) the named volumes only" },
  "/usr/sbin/update-ca-certificates": { run: HVH, skip: { "": "rebuilds /etc/ssl/certs" }, note: "--help|-h|* prints usage and exits" },
  "/usr/sbin/update-icon-caches": {
    run: ["--help", "-h", ""],
    skip: { "--version": "takes --version as an icon directory to regenerate" },
  },
  "/usr/sbin/update-shells": { run: HVH, skip: { "": "rewrites /etc/shells" }, note: "--help answered, other options rejected, before acting" },
  "/usr/share/maven/bin/mvn": { run: HVH, skip: { "": "would start a Maven build in the cwd" } },
  "/usr/share/maven/bin/mvnDebug": {
    run: [],
    skip: {
      "--help": "starts the JVM with a JDWP debug listener and waits for a debugger",
      "--version": "starts the JVM with a JDWP debug listener and waits for a debugger",
      "-h": "starts the JVM with a JDWP debug listener and waits for a debugger",
      "": "starts the JVM with a JDWP debug listener and waits for a debugger",
    },
  },
};

const SEARCH_DIRS = ["/usr/bin", "/usr/sbin", "/bin", "/sbin"];
const SHEBANG = /^#!\s*(?:\/bin\/sh|\/bin\/dash|\/usr\/bin\/env\s+sh)(?:\s+(\S.*?))?\s*$/;
const DASH = "/usr/bin/dash";
const TIMEOUT_MS = 5000;
const PARALLEL = 2; // the machine has 2 cores; the slowest scripts (gcloud, gsutil) take 3–4 s of the 5
const ROOT = resolve(import.meta.dir, "..");
const WORK = "/tmp/rwc";

// ---------------------------------------------------------------- discovery

interface Script {
  path: string; // what is run: the real path (the first, for hard links)
  names: string[]; // every name it was found under
  shebang: string; // the first line
  shebangArgs: string[]; // e.g. ["-e"] for "#!/bin/sh -e"
}

function firstLine(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(256);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString("latin1");
    return text.split("\n")[0];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function discover(): Script[] {
  const byInode = new Map<string, Script & { reals: string[] }>();
  for (const dir of SEARCH_DIRS) {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      let real: string;
      let key: string;
      try {
        const st = statSync(path);
        if (!st.isFile()) continue;
        real = realpathSync(path);
        key = `${st.dev}:${st.ino}`;
      } catch {
        continue;
      }
      const line = firstLine(path);
      if (line === undefined) continue;
      const match = SHEBANG.exec(line);
      if (match === null) continue;
      const found = byInode.get(key);
      if (found === undefined) {
        byInode.set(key, { path: real, names: [path], reals: [real], shebang: line, shebangArgs: match[1] === undefined ? [] : match[1].split(/\s+/) });
      } else {
        if (!found.names.includes(path)) found.names.push(path);
        if (!found.reals.includes(real)) found.reals.push(real);
      }
    }
  }
  const scripts: Script[] = [];
  for (const s of byInode.values()) {
    const reals = [...s.reals].sort();
    const path = reals[0] ?? s.path;
    const names = [...new Set([...s.names, ...reals])].filter((n) => n !== path).sort();
    scripts.push({ path, names, shebang: s.shebang, shebangArgs: s.shebangArgs });
  }
  return scripts.sort((a, b) => a.path.localeCompare(b.path));
}

// ---------------------------------------------------------------- running

interface Outcome {
  stdout: string; // base64 of the bytes
  stderr: string; // base64 of the bytes
  status: number | "timeout" | string; // exit code, "timeout", or "signal N"
  ms: number; // until the process exited (or was killed)
  pipesHeld?: true; // a process outside the group kept stdout/stderr open after the run
}

function fixedEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", HOME: dir, LC_ALL: "C", TERM: "dumb", ...extra };
}

const DRAIN_MS = 1000;

/** Read a pipe to its end, keeping what has come so far if it is given up. */
function collect(stream: ReadableStream<Uint8Array>): { bytes: () => Buffer; done: Promise<void>; cancel: () => void } {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  const done = (async (): Promise<void> => {
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      chunks.push(value);
    }
  })().catch(() => undefined);
  return { bytes: () => Buffer.concat(chunks), done, cancel: () => void reader.cancel().catch(() => undefined) };
}

async function runOnce(argv: string[], dir: string, env: Record<string, string>): Promise<Outcome> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const child = Bun.spawn(argv, { cwd: dir, env, stdin: "ignore", stdout: "pipe", stderr: "pipe", detached: true });
  const started = performance.now();
  const killGroup = (): void => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout("timeout"), TIMEOUT_MS);
  });
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  const exited = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  const ms = Math.round(performance.now() - started);
  killGroup(); // leftovers of a finished script must not hold the pipes open
  if (exited === "timeout") await child.exited;
  // A process that left the group (setsid) may still hold the pipes: give it a moment, then stop reading.
  let drainTimer: ReturnType<typeof setTimeout> | undefined;
  const drained = await Promise.race([
    Promise.all([out.done, err.done]).then(() => true),
    new Promise<false>((r) => {
      drainTimer = setTimeout(() => r(false), DRAIN_MS);
    }),
  ]);
  clearTimeout(drainTimer);
  if (!drained) {
    out.cancel();
    err.cancel();
  }
  let status: Outcome["status"];
  if (exited === "timeout") status = "timeout";
  else if (child.signalCode) status = `signal ${child.signalCode}`;
  else status = exited;
  const result: Outcome = { stdout: out.bytes().toString("base64"), stderr: err.bytes().toString("base64"), status, ms };
  if (!drained) result.pipesHeld = true;
  return result;
}

// ---------------------------------------------------------------- comparing

type Verdict = "same" | "same (stderr normalised)" | "differs" | "inconclusive";

interface Comparison {
  verdict: Verdict;
  what: string[]; // human-readable differences
}

const decode = (b64: string): string => Buffer.from(b64, "base64").toString("utf8");

function normaliseStderr(text: string): string {
  return text.replace(/^(?:dash|rushd): /gm, "SH: ");
}

function firstDifference(a: string, b: string): string {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      const show = (s: string | undefined): string => (s === undefined ? "(no line)" : JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s));
      return `line ${i + 1}: dash ${show(la[i])} vs ${show(lb[i])}`;
    }
  }
  return "(identical lines; bytes differ)";
}

function compare(dash: Outcome, other: Outcome): Comparison {
  const what: string[] = [];
  if (dash.status === "timeout") return { verdict: "inconclusive", what: ["dash itself timed out"] };
  if (other.status === "timeout" && dash.ms > TIMEOUT_MS / 2) return { verdict: "inconclusive", what: [`rushd timed out, but dash itself took ${dash.ms} ms of the ${TIMEOUT_MS}`] };
  if (dash.status !== other.status) what.push(`status: dash ${dash.status}, rushd ${other.status}`);
  if (dash.stdout !== other.stdout) what.push(`stdout ${firstDifference(decode(dash.stdout), decode(other.stdout))}`);
  let normalised = false;
  if (dash.stderr !== other.stderr) {
    const a = decode(dash.stderr);
    const b = decode(other.stderr);
    if (normaliseStderr(a) === normaliseStderr(b)) normalised = true;
    else what.push(`stderr ${firstDifference(normaliseStderr(a), normaliseStderr(b))}`);
  }
  if (what.length > 0) return { verdict: "differs", what };
  return { verdict: normalised ? "same (stderr normalised)" : "same", what };
}

// ---------------------------------------------------------------- the inner run (in the sandbox)

interface CaseResult {
  args: ArgSet;
  skipped?: string;
  dash?: Outcome;
  rushd?: Outcome;
  daemon?: Outcome;
  inProcess?: Comparison;
  viaDaemon?: Comparison;
  daemonSkipped?: string;
  retried?: string;
}

interface ScriptResult {
  path: string;
  names: string[];
  shebang: string;
  note?: string;
  cases: CaseResult[];
}

interface RunResult {
  sandbox: string;
  dashVersion: string;
  daemon: string;
  scripts: ScriptResult[];
}

function probeReadOnly(): string[] {
  const writable: string[] = [];
  for (const dir of ["/etc", "/usr", "/var", "/var/lib", "/root", "/boot", ROOT]) {
    if (!existsSync(dir)) continue;
    const probe = join(dir, `.rwc-probe-${process.pid}`);
    try {
      writeFileSync(probe, "");
      writable.push(dir);
      unlinkSync(probe);
    } catch {
      // read-only, as wanted
    }
  }
  return writable;
}

async function inner(options: Options, sandbox: string): Promise<RunResult> {
  if (sandbox !== "none") {
    const writable = probeReadOnly();
    if (writable.length > 0) throw new Error(`sandbox is not read-only: could write in ${writable.join(", ")}`);
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, "bin"), { recursive: true, mode: 0o700 });
  // A private copy: others may rebuild dist/rushd while this runs.
  const rushd = join(WORK, "bin", "rushd");
  copyFileSync(options.rushd, rushd);
  chmodSync(rushd, 0o755);

  let scripts = discover();
  if (options.only.length > 0) scripts = scripts.filter((s) => options.only.some((o) => s.path.endsWith(`/${o}`) || s.names.some((n) => n.endsWith(`/${o}`))));

  // The daemon for the third variant.
  let socket: string | undefined;
  let daemonNote = "not run (--no-daemon-variant)";
  if (options.daemon) {
    const sockDir = join(WORK, "sock");
    mkdirSync(sockDir, { recursive: true, mode: 0o700 });
    chmodSync(sockDir, 0o700);
    socket = join(sockDir, "d.sock");
    const home = join(WORK, "daemon-home");
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const start = Bun.spawnSync([rushd, "start", "--socket", socket], { cwd: home, env: fixedEnv(home), stdin: "ignore" });
    if (start.exitCode !== 0) {
      daemonNote = `could not start: ${start.stderr.toString().trim()}`;
      socket = undefined;
    }
  }

  const results: ScriptResult[] = scripts.map((s) => ({ path: s.path, names: s.names, shebang: s.shebang, cases: [] }));
  const jobs: Array<{ script: Script; result: ScriptResult; args: ArgSet; index: number }> = [];
  let index = 0;
  for (const [i, script] of scripts.entries()) {
    const result = results[i];
    if (result === undefined) continue;
    const review = REVIEWED[script.path];
    if (review?.note !== undefined) result.note = review.note;
    for (const args of ARG_SETS) {
      if (review === undefined) {
        result.cases.push({ args, skipped: "not reviewed: this script was not read, so nothing is run" });
      } else if (!review.run.includes(args)) {
        result.cases.push({ args, skipped: review.skip?.[args] ?? SKIP_DEFAULT });
      } else if (review.precondition !== undefined && !review.precondition.holds()) {
        result.cases.push({ args, skipped: review.precondition.otherwise });
      } else {
        const c: CaseResult = { args };
        result.cases.push(c);
        jobs.push({ script, result, args, index: index++ });
      }
    }
  }

  const runCase = async (job: (typeof jobs)[number], c: CaseResult): Promise<void> => {
    const dir = join(WORK, "run", String(job.index));
    const argv = job.args === "" ? [] : [job.args];
    c.dash = await runOnce([DASH, ...job.script.shebangArgs, job.script.path, ...argv], dir, fixedEnv(dir));
    c.rushd = await runOnce([rushd, "--no-daemon", ...job.script.shebangArgs, job.script.path, ...argv], dir, fixedEnv(dir));
    c.inProcess = compare(c.dash, c.rushd);
    if (socket !== undefined) {
      const bytes = readFileSync(job.script.path);
      const text = bytes.toString("utf8");
      if (bytes.length >= 120_000) c.daemonSkipped = "script too long for one argument";
      else if (bytes.includes(0) || !Buffer.from(text, "utf8").equals(bytes)) c.daemonSkipped = "script is not NUL-free UTF-8 text, so it cannot be passed intact as a -c argument";
      else {
        // "#!/bin/sh -" only ends the options of a script file; with -c there is nothing to end.
        const opts = job.script.shebangArgs.filter((o) => o !== "-");
        c.daemon = await runOnce([rushd, ...opts, "-c", text, job.script.path, ...argv], dir, fixedEnv(dir, { RUSHD_SOCKET: socket, RUSHD_AUTOSTART: "0" }));
        c.viaDaemon = compare(c.dash, c.daemon);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const anyTimeout = (c: CaseResult): boolean => [c.dash, c.rushd, c.daemon].some((o) => o?.status === "timeout");

  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (job === undefined) break;
      const c = job.result.cases.find((x) => x.args === job.args);
      if (c === undefined) continue;
      await runCase(job, c);
      done++;
      process.stderr.write(`\r${done}/${jobs.length} ${basename(job.script.path)} ${label(job.args)}            `);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  process.stderr.write("\n");

  // A timeout may be the machine's load rather than the shell: run those cases once more, alone.
  for (const job of jobs) {
    const c = job.result.cases.find((x) => x.args === job.args);
    if (c === undefined || !anyTimeout(c)) continue;
    process.stderr.write(`retrying after a timeout: ${basename(job.script.path)} ${label(job.args)}\n`);
    const first = [c.dash, c.rushd, c.daemon].map((o) => (o === undefined ? "-" : `${o.status}`)).join("/");
    delete c.daemon;
    delete c.viaDaemon;
    await runCase(job, c);
    c.retried = `first try (dash/in process/daemon): ${first}`;
  }

  if (socket !== undefined) {
    const status = Bun.spawnSync([rushd, "status", "--json", "--socket", socket], { env: fixedEnv(WORK), stdin: "ignore" });
    let requests = "?";
    try {
      const parsed = JSON.parse(status.stdout.toString()) as { requests_total?: number };
      requests = String(parsed.requests_total ?? "?");
    } catch {
      // keep "?"
    }
    const withDaemon = results.flatMap((r) => r.cases).filter((c) => c.daemon !== undefined);
    const expected = withDaemon.length + withDaemon.filter((c) => c.retried !== undefined).length; // a retry runs again
    daemonNote = `private daemon (pool mode, defaults) on a socket in the sandbox; it answered ${requests} requests for ${expected} daemon runs`;
    Bun.spawnSync([rushd, "stop", "--socket", socket], { env: fixedEnv(WORK), stdin: "ignore" });
  }

  const dashVersion = Bun.spawnSync(["dpkg-query", "-W", "-f", "${Version}", "dash"]).stdout.toString().trim() || "unknown";
  return { sandbox, dashVersion, daemon: daemonNote, scripts: results };
}

// ---------------------------------------------------------------- the outer run and the report

interface Options {
  only: string[];
  rushd: string;
  buildHead: boolean;
  daemon: boolean;
  report: string;
  json?: string;
  sandbox: boolean;
  inner: boolean;
  sandboxDescription: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { only: [], rushd: join(ROOT, "dist", "rushd"), buildHead: false, daemon: true, report: join(ROOT, "docs", "REAL-WORLD.md"), sandbox: true, inner: false, sandboxDescription: "none" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--only") {
      while (i + 1 < argv.length && !(argv[i + 1] ?? "").startsWith("--")) options.only.push(argv[++i] ?? "");
    } else if (a === "--no-daemon-variant") options.daemon = false;
    else if (a === "--report") options.report = resolve(argv[++i] ?? "");
    else if (a === "--json") options.json = resolve(argv[++i] ?? "");
    else if (a === "--no-sandbox") options.sandbox = false;
    else if (a === "--rushd") options.rushd = resolve(argv[++i] ?? "");
    else if (a === "--build-head") options.buildHead = true;
    else if (a === "--inner") options.inner = true;
    else if (a === "--sandbox-description") options.sandboxDescription = argv[++i] ?? "none";
    else throw new Error(`unknown option ${a}`);
  }
  return options;
}

const SANDBOX_SETUP = `
set -e
mount --make-rprivate /
awk '{print $2}' /proc/self/mounts | sort -u | while read -r m; do
  case "$m" in *\\\\*) echo "real-world-check: cannot remount $m (escaped name)" >&2; continue;; esac
  mount -o remount,bind,ro "$m" 2>/dev/null || echo "real-world-check: could not make $m read-only" >&2
done
mount -t tmpfs -o mode=1777 rwc-tmp /tmp
if [ -d /var/tmp ]; then mount -t tmpfs -o mode=1777 rwc-vartmp /var/tmp; fi
if command -v setpriv >/dev/null 2>&1; then
  exec setpriv --bounding-set=-all --inh-caps=-all "$@"
fi
exec "$@"
`;

function which(command: string): boolean {
  return Bun.spawnSync(["sh", "-c", `command -v ${command}`], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
}

async function outer(options: Options, passThrough: string[]): Promise<RunResult> {
  const isRoot = process.getuid?.() === 0;
  let argv: string[];
  let description: string;
  if (!options.sandbox) {
    description = "none (--no-sandbox)";
    argv = [process.execPath, import.meta.path, "--inner", ...passThrough];
  } else if (isRoot) {
    if (!which("unshare")) throw new Error("running as root without unshare: refusing (pass --no-sandbox to run without a sandbox)");
    description =
      "unshare --mount --net --ipc --pid --fork: every mount remounted read-only, fresh tmpfs on /tmp and /var/tmp, no network, " +
      (which("setpriv") ? "all capabilities dropped (setpriv)" : "capabilities kept (no setpriv)") +
      "; /etc, /usr, /var, /root, /boot and the repository probed unwritable before any run";
    argv = ["unshare", "--mount", "--net", "--ipc", "--pid", "--fork", "--mount-proc", "--kill-child", "sh", "-c", SANDBOX_SETUP, "sh", process.execPath, import.meta.path, "--inner", ...passThrough];
  } else {
    description = "none (not root: the scripts run as an ordinary user)";
    argv = [process.execPath, import.meta.path, "--inner", ...passThrough];
  }
  argv.push("--sandbox-description", description);
  const child = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "inherit", env: process.env });
  const text = await new Response(child.stdout).text();
  const code = await child.exited;
  if (code !== 0) throw new Error(`the sandboxed run failed with status ${code}`);
  return JSON.parse(text) as RunResult;
}

function scriptVerdict(r: ScriptResult): "same" | "differs" | "skipped" | "inconclusive" {
  const ran = r.cases.filter((c) => c.skipped === undefined);
  if (ran.length === 0) return "skipped";
  if (ran.some((c) => c.inProcess?.verdict === "differs" || c.viaDaemon?.verdict === "differs")) return "differs";
  if (ran.some((c) => c.inProcess?.verdict === "inconclusive" || c.viaDaemon?.verdict === "inconclusive")) return "inconclusive";
  return "same";
}

function caseCell(c: CaseResult): string {
  if (c.skipped !== undefined) return `skipped: ${c.skipped}`;
  const parts: string[] = [];
  const ip = c.inProcess;
  if (ip !== undefined) {
    if (ip.verdict === "differs") parts.push(`**differs** (in process): ${ip.what.join("; ")}`);
    else parts.push(ip.verdict);
  }
  const vd = c.viaDaemon;
  if (vd !== undefined && vd.verdict !== ip?.verdict) {
    parts.push(vd.verdict === "differs" ? `**differs** (daemon): ${vd.what.join("; ")}` : `daemon: ${vd.verdict}`);
  } else if (vd !== undefined && vd.verdict === "differs" && ip?.verdict === "differs" && vd.what.join() !== ip.what.join()) {
    parts.push(`daemon: ${vd.what.join("; ")}`);
  }
  if (ip?.verdict === "inconclusive") parts.push(ip.what.join("; "));
  else if (vd?.verdict === "inconclusive") parts.push(`daemon: ${vd.what.join("; ")}`);
  if (c.daemonSkipped !== undefined) parts.push(`daemon run skipped: ${c.daemonSkipped}`);
  if (c.retried !== undefined) parts.push(`(retried after a timeout; ${c.retried})`);
  if ([c.dash, c.rushd, c.daemon].some((o) => o?.pipesHeld)) parts.push("(a leftover process held the output pipes open after the run)");
  return parts.join("; ");
}

const escapeCell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

const MANUAL_BEGIN = "<!-- BEGIN HAND-WRITTEN: kept when the report is regenerated -->";
const MANUAL_END = "<!-- END HAND-WRITTEN -->";

function renderReport(run: RunResult, commit: string, previous: string | undefined): string {
  const scripts = run.scripts;
  const verdicts = scripts.map(scriptVerdict);
  const count = (v: string): number => verdicts.filter((x) => x === v).length;
  const cases = scripts.flatMap((s) => s.cases);
  const ran = cases.filter((c) => c.skipped === undefined);
  const countCases = (f: (c: CaseResult) => boolean): number => ran.filter(f).length;
  const date = new Date().toISOString().slice(0, 10);
  const lines: string[] = [];
  lines.push("# Real-world scripts: dash vs rushd");
  lines.push("");
  lines.push(`Date: ${date}. rushd: ${commit}. dash: ${run.dashVersion} (Debian). Generated by \`scripts/real-world-check.ts\`; the section between the hand-written markers is kept when it is regenerated.`);
  lines.push("");
  lines.push("The `#!/bin/sh` scripts already installed on this Debian machine (in /usr/bin, /usr/sbin, /bin, /sbin; first line `#!/bin/sh`, `#! /bin/sh`, `#!/usr/bin/env sh` or `#!/bin/dash`, options such as `-e` kept) are run in place, never copied, under dash and under rushd with harmless arguments, and their stdout, stderr and exit status compared.");
  lines.push("");
  lines.push("## How to run it");
  lines.push("");
  lines.push("```sh");
  lines.push("npm run build && node_modules/.bin/bun scripts/real-world-check.ts   # checks dist/rushd, rewrites docs/REAL-WORLD.md");
  lines.push("node_modules/.bin/bun scripts/real-world-check.ts --build-head       # checks a rushd built from the committed HEAD alone (how this report was made)");
  lines.push("node_modules/.bin/bun scripts/real-world-check.ts --only zgrep service --report /tmp/r.md --json /tmp/r.json   # a few scripts, raw results");
  lines.push("```");
  lines.push("");
  lines.push("- Each script is run with each argument set judged harmless for it when it was read (the `REVIEWED` table in the script): `--help`, `--version`, `-h`, and no arguments (`(none)`). Anything else is skipped, with the reason below; a script nobody has read is never run.");
  lines.push("- Runs: `dash [shebang option] SCRIPT ARGS`; `rushd --no-daemon [shebang option] SCRIPT ARGS` (in process); and `rushd [shebang option] -c \"$(cat SCRIPT)\" SCRIPT ARGS` through a private daemon (`rushd start --socket …`) with `RUSHD_AUTOSTART=0`. Both rushd variants are compared with the dash run.");
  lines.push("- Each run: the same fresh empty directory as cwd and `$HOME`, stdin `/dev/null`, 5 s limit, own process group (killed afterwards), environment `PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=<dir> LC_ALL=C TERM=dumb` (daemon run: plus `RUSHD_SOCKET`, `RUSHD_AUTOSTART=0`).");
  lines.push("- Compared: stdout byte for byte; exit status; stderr byte for byte, or else after one normalisation: a line starting `dash: ` or `rushd: ` (the shell naming itself) starts `SH: ` instead. Nothing else is rewritten: both shells get the script path as `$0`, so `SCRIPT: LINE: …` prefixes must match exactly. \"same (stderr normalised)\" marks a case that needed it.");
  lines.push(`- Timeouts: a case in which any run timed out is run once more, alone, after all the others, and the second result is kept (the first is noted). A case still counts as \"inconclusive\" rather than \"differs\" when dash itself timed out, or when rushd timed out but dash took more than half the limit (the slow Google Cloud SDK wrappers, on a loaded machine). A process that escapes the group and holds the pipes gets 1 s after the run before its output is cut.`);
  lines.push(`- Sandbox: ${run.sandbox}.`);
  lines.push(`- Daemon: ${run.daemon}.`);
  lines.push("");
  lines.push("## Summary");
  lines.push("");
  lines.push(`Scripts found: ${scripts.length} distinct files (${scripts.reduce((n, s) => n + 1 + s.names.length, 0)} names).`);
  lines.push("");
  lines.push(`| scripts | count |`);
  lines.push(`| --- | --- |`);
  lines.push(`| same under rushd (every argument set run) | ${count("same")} |`);
  lines.push(`| differ (at least one argument set) | ${count("differs")} |`);
  if (count("inconclusive") > 0) lines.push(`| inconclusive (a timeout where dash itself was slow; no difference otherwise) | ${count("inconclusive")} |`);
  lines.push(`| skipped entirely | ${count("skipped")} |`);
  lines.push("");
  lines.push(`Runs (script × argument set): ${cases.length} in all, ${cases.length - ran.length} skipped, ${ran.length} run. In process: ${countCases((c) => c.inProcess?.verdict === "same")} same, ${countCases((c) => c.inProcess?.verdict === "same (stderr normalised)")} same after normalising stderr, ${countCases((c) => c.inProcess?.verdict === "differs")} differ, ${countCases((c) => c.inProcess?.verdict === "inconclusive")} inconclusive. Through the daemon: ${countCases((c) => c.viaDaemon?.verdict === "same")} same, ${countCases((c) => c.viaDaemon?.verdict === "same (stderr normalised)")} same after normalising stderr, ${countCases((c) => c.viaDaemon?.verdict === "differs")} differ, ${countCases((c) => c.viaDaemon?.verdict === "inconclusive")} inconclusive, ${countCases((c) => c.viaDaemon === undefined)} not run.`);
  lines.push("");
  const same = scripts.filter((_, i) => verdicts[i] === "same");
  lines.push("### Scripts that agree");
  lines.push("");
  lines.push(same.length === 0 ? "(none)" : same.map((s) => `\`${s.path}\`${s.names.length > 0 ? ` (also ${s.names.map((n) => `\`${n}\``).join(", ")})` : ""}`).join(", "));
  lines.push("");
  const differ = scripts.filter((_, i) => verdicts[i] === "differs");
  lines.push("### Scripts that differ");
  lines.push("");
  lines.push(differ.length === 0 ? "(none)" : differ.map((s) => `\`${s.path}\``).join(", "));
  lines.push("");
  const skippedScripts = scripts.filter((_, i) => verdicts[i] === "skipped");
  lines.push("### Scripts skipped entirely");
  lines.push("");
  if (skippedScripts.length === 0) lines.push("(none)");
  for (const s of skippedScripts) {
    const byReason = new Map<string, string[]>();
    for (const c of s.cases) byReason.set(c.skipped ?? "", [...(byReason.get(c.skipped ?? "") ?? []), label(c.args)]);
    lines.push(`- \`${s.path}\`: ${[...byReason].map(([reason, sets]) => `${reason} (${sets.join(", ")})`).join("; ")}`);
  }
  lines.push("");
  lines.push(MANUAL_BEGIN);
  const kept = previous !== undefined && previous.includes(MANUAL_BEGIN) && previous.includes(MANUAL_END) ? previous.slice(previous.indexOf(MANUAL_BEGIN) + MANUAL_BEGIN.length, previous.indexOf(MANUAL_END)) : "\n\n";
  lines.push(kept.replace(/^\n+|\n+$/g, "") === "" ? "" : kept.replace(/^\n+|\n+$/g, ""));
  lines.push(MANUAL_END);
  lines.push("");
  lines.push("## Every script and argument set");
  lines.push("");
  lines.push("| script | shebang | `--help` | `--version` | `-h` | (none) |");
  lines.push("| --- | --- | --- | --- | --- | --- |");
  for (const s of scripts) {
    const cell = (a: ArgSet): string => {
      const c = s.cases.find((x) => x.args === a);
      return c === undefined ? "" : escapeCell(caseCell(c));
    };
    const name = `\`${s.path}\`${s.names.length > 0 ? `<br>also: ${s.names.map((n) => `\`${n}\``).join(", ")}` : ""}`;
    lines.push(`| ${name} | \`${escapeCell(s.shebang)}\` | ${cell("--help")} | ${cell("--version")} | ${cell("-h")} | ${cell("")} |`);
  }
  lines.push("");
  const notes = scripts.filter((s) => s.note !== undefined);
  if (notes.length > 0) {
    lines.push("### Why the runs above are harmless (notes from reading the scripts)");
    lines.push("");
    for (const s of notes) lines.push(`- \`${s.path}\`: ${s.note}`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const options = parseOptions(args);
  if (options.inner) {
    const result = await inner(options, options.sandboxDescription);
    process.stdout.write(JSON.stringify(result));
    return;
  }
  // What the sandboxed run needs: everything but the options that only the outer run uses.
  const passThrough: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--report" || a === "--json" || a === "--rushd") i++;
    else if (a !== "--build-head") passThrough.push(a);
  }
  const head = Bun.spawnSync(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.toString().trim() || "unknown";
  let commit: string;
  if (options.buildHead) {
    options.rushd = buildHead(ROOT, "rushd-real-world-build").rushd;
    commit = `built from commit ${head} alone (\`git archive HEAD\`, so work in progress in the tree is left out)`;
  } else {
    const dirty = Bun.spawnSync(["git", "-C", ROOT, "status", "--porcelain", "--", "src"]).stdout.toString().trim() !== "";
    commit = `${options.rushd === join(ROOT, "dist", "rushd") ? "dist/rushd" : options.rushd}, tree at ${head}${dirty ? " with uncommitted changes in src/" : ""}`;
  }
  if (!existsSync(options.rushd)) throw new Error(`${options.rushd} is missing: run \`npm run build\` first`);
  passThrough.push("--rushd", options.rushd);
  const run = await outer(options, passThrough);
  if (options.json !== undefined) writeFileSync(options.json, JSON.stringify(run, null, 1));
  const previous = existsSync(options.report) ? readFileSync(options.report, "utf8") : undefined;
  mkdirSync(dirname(options.report), { recursive: true });
  writeFileSync(options.report, renderReport(run, commit, previous));
  const verdicts = run.scripts.map(scriptVerdict);
  const n = (v: string): number => verdicts.filter((x) => x === v).length;
  console.log(`scripts: ${n("same")} same, ${n("differs")} differ, ${n("inconclusive")} inconclusive, ${n("skipped")} skipped; report: ${options.report}`);
}

await main();

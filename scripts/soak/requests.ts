// The soak's request catalogue: each request is a `rushd -c` invocation
// with the exact stdout, stderr and status it must produce. Expected output
// is computed here, never taken from a shell, so the daemon cannot agree
// with itself by mistake. Pure: imports nothing, starts nothing.

export interface SoakRequest {
  /** The catalogue entry, for failure reports. */
  readonly kind: string;
  /** After `rushd`: `-c SCRIPT [name args…]`. */
  readonly argv: readonly string[];
  /** Bytes for the client's stdin (none: stdin is closed). */
  readonly stdin: Uint8Array | undefined;
  readonly expected: {
    readonly status: number;
    readonly stdout: Uint8Array;
    readonly stderr: string;
  };
}

export type Random = () => number;

/** mulberry32: a tiny seeded generator, so a failing run can be repeated with --seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const encoder = new TextEncoder();

function integer(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function seqText(last: number): string {
  let text = "";
  for (let n = 1; n <= last; n++) text += `${n}\n`;
  return text;
}

interface Context {
  readonly token: string;
  readonly random: Random;
  /** The client's working directory, which the session must start in. */
  readonly cwd: string;
}

type Builder = (context: Context) => Omit<SoakRequest, "kind">;

function plain(script: string, stdout: string, status = 0, stderr = "", extraArgs: readonly string[] = []): Omit<SoakRequest, "kind"> {
  return { argv: ["-c", script, ...extraArgs], stdin: undefined, expected: { status, stdout: encoder.encode(stdout), stderr } };
}

const BUILDERS: Readonly<Record<string, Builder>> = {
  echo: ({ token }) => plain(`echo ${token}`, `${token}\n`),
  seq: ({ random }) => {
    const last = integer(random, 1000, 5000);
    return plain(`seq 1 ${last}`, seqText(last));
  },
  // Every byte as an octal escape: NUL, high bytes and '%' reach printf untouched by quoting.
  binary: ({ random }) => {
    const bytes = Uint8Array.from({ length: integer(random, 1, 64) }, () => integer(random, 0, 255));
    const escaped = [...bytes].map((byte) => `\\${byte.toString(8).padStart(3, "0")}`).join("");
    return { argv: ["-c", `printf '${escaped}'`], stdin: undefined, expected: { status: 0, stdout: bytes, stderr: "" } };
  },
  status: ({ token, random }) => {
    const status = integer(random, 1, 125);
    return plain(`echo ${token}; exit ${status}`, `${token}\n`, status);
  },
  stderr: ({ token }) => plain(`echo ${token}-out; echo ${token}-err >&2`, `${token}-out\n`, 0, `${token}-err\n`),
  stdin: ({ random }) => {
    // Mostly small, sometimes a few hundred KiB (several pipe buffers).
    const size = Math.floor(random() ** 3 * 300_000);
    const bytes = Uint8Array.from({ length: size }, () => integer(random, 0, 255));
    return { argv: ["-c", "cat"], stdin: bytes, expected: { status: 0, stdout: bytes, stderr: "" } };
  },
  pipeline: ({ random }) => {
    const last = integer(random, 100, 3000);
    const digit = String(integer(random, 0, 9));
    const count = seqText(last).split("\n").filter((line) => line.includes(digit)).length;
    return plain(`seq 1 ${last} | grep ${digit} | wc -l`, `${count}\n`);
  },
  args: ({ token }) => plain(`printf '%s:%s:%s\\n' "$0" "$1" "$#"`, `soak:${token}:2\n`, 0, "", ["soak", token, "second"]),
  // A pooled worker must come back reset: no variable, cwd or umask from the session before.
  isolation: ({ token, cwd }) => plain(`printf '[%s][%s][%s]\\n' "\${SOAK_LEAK-unset}" "$(pwd)" "$(umask)"; export SOAK_LEAK=${token}; cd /; umask 077`, `[unset][${cwd}][0022]\n`),
};

export const REQUEST_KINDS: readonly string[] = Object.keys(BUILDERS);

/** Request number `index` of client `client`; its token is unique in the run. */
export function makeRequest(client: number, index: number, random: Random, cwd: string): SoakRequest {
  const kind = REQUEST_KINDS[integer(random, 0, REQUEST_KINDS.length - 1)] as string;
  const builder = BUILDERS[kind] as Builder;
  const token = `soak-${client}-${index}-${Math.floor(random() * 0xffffff).toString(16)}`;
  return { kind, ...builder({ token, random, cwd }) };
}

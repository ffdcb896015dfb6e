// The environment the daemon and its workers run with. A daemon started by a
// client's auto-start would otherwise keep that client's whole environment
// (tokens, passwords) for life, readable by every later session in
// /proc/<worker>/environ. Sessions bring their own environment in
// SessionInit, so the processes themselves need almost nothing.

const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

/** Variables a daemon or worker process keeps: where to find programs, home and temp directories. */
const KEPT = ["HOME", "TMPDIR"] as const;

export function daemonEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const minimal: Record<string, string> = { PATH: env.PATH || DEFAULT_PATH };
  for (const name of KEPT) {
    const value = env[name];
    if (value !== undefined && value !== "") minimal[name] = value;
  }
  return minimal;
}

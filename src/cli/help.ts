import packageJson from "../../package.json" with { type: "json" };

export const VERSION: string = packageJson.version;

export const HELP_TEXT = `rushd ${VERSION}: a POSIX shell that answers in microseconds because it is already running.

Usage:
  rushd -c 'command' [name [args...]]   run a command like sh -c (through the daemon; starts one if needed)
  rushd FILE [args...]                   run a script file (in process)
  rushd -s [args...]                     read the script from stdin (in process)
  rushd --no-daemon -c 'command' ...     run in this process, no daemon
  rushd [daemon] [options]               run the daemon in the foreground
  rushd start|stop|restart [options]     control a background daemon
  rushd status [--json]                  show the daemon's pid, mode, workers, counters, reset times
  rushd --help | --version

Shell options (as sh): -e -u -x -f -v -C -a -n, -o NAME (e.g. -o pipefail), + to turn off.

Daemon options (or the RUSHD_* variable in parentheses):
  --socket PATH                  (RUSHD_SOCKET) default $XDG_RUNTIME_DIR/rushd/rushd.sock or ~/.rush/daemon.sock
  --mode pool|fork               (RUSHD_MODE) pool: reuse workers, reset between sessions (default); fork: fresh worker per session
  --workers N                    (RUSHD_WORKERS) pool size, default 4
  --max-workers M                (RUSHD_MAX_WORKERS) default 2×N
  --max-requests-per-worker K    (RUSHD_MAX_REQUESTS_PER_WORKER) retire a worker after K sessions, default 1000000 (a backstop)
  --max-worker-growth-mb MB      (RUSHD_MAX_WORKER_GROWTH_MB) retire a pooled worker whose RSS grew MB past its fresh size,
                                 default 64; 0 = never
  --idle-timeout S               (RUSHD_IDLE_TIMEOUT) stop workers above N idle for S s (the pool shrinks back to N), default 60
  --idle-exit S                  (RUSHD_IDLE_EXIT) stop the daemon (socket and pid file removed) after S s with no session,
                                 queued lease, worker running background jobs, or connection; 0 = never: the default for
                                 rushd start / rushd daemon; a daemon a client auto-starts gets 900 (15 min) unless given
  --request-timeout S            (RUSHD_REQUEST_TIMEOUT) 0 = none (default)
  --max-queue Q                  (RUSHD_MAX_QUEUE) default 100
  --max-connections C            (RUSHD_MAX_CONNECTIONS) default 100; at the limit idle connections are shed
  --connection-timeout S         (RUSHD_CONNECTION_TIMEOUT) close a connection with no request in flight after S s, default 10
  --verify-reset                 (RUSHD_VERIFY_RESET=1) compare the whole worker state after each reset
  --profile-stages               (RUSHD_PROFILE_STAGES=1) workers report each session's stage times (bench breakdown)

Client: RUSHD_AUTOSTART=0 turns off starting a daemon; then, or if none can start, the command runs in process.
rushd -c never queues for a worker: when none is free and the pool is at --max-workers, it runs the command in process
(counted as leases_refused_no_wait in rushd status); the library waits in the queue (--max-queue).
A command whose stdin, stdout or stderr is the caller's controlling terminal runs in process too: only a process
of the caller's own session can give it the terminal as /dev/tty (prompts of ssh, sudo, git).
Exit status: the command's (127 not found, 126 not executable, 2 usage/syntax, 128+N signal N);
124 when the daemon killed it for running past --request-timeout;
255 when the connection to the daemon is lost mid-command.
`;

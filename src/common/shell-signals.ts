// The signals a shell is sent by others and acts on itself: a terminal's
// (INT, QUIT, HUP), kill's (TERM), and those scripts use to talk to a shell
// (USR1, USR2, ALRM: `trap … USR1` with `kill -USR1 $$` from a child). A
// process that stands for a session's shell (the `rushd -c` client, the
// in-process shell, the worker whose pid is `$$`) takes these and gives them
// to the shell, so its trap runs or it dies of them, as dash would. Their
// numbers are Linux's (sigaction needs them, to leave alone one the caller
// ignored). Imports nothing.

export const SHELL_SIGNALS = [
  ["SIGHUP", 1],
  ["SIGINT", 2],
  ["SIGQUIT", 3],
  ["SIGUSR1", 10],
  ["SIGUSR2", 12],
  ["SIGALRM", 14],
  ["SIGTERM", 15],
] as const;

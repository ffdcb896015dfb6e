// The process's open-files limit (RLIMIT_NOFILE, soft), read from
// /proc/self/limits: no FFI needed to read it.

import { readFileSync } from "node:fs";

/** Soft limit on open fds; `fallback` where /proc is not readable. */
export function openFilesLimit(fallback = 1024): number {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((row) => row.startsWith("Max open files"));
    const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
    if (soft === "unlimited") return Number.MAX_SAFE_INTEGER;
    const value = Number(soft);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) return fallback;
    throw error;
  }
}

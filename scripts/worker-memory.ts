// `bun scripts/worker-memory.ts SOCKET [RUSHD]`: what the resident memory of
// a running daemon and each of its workers is made of (docs/ARCHITECTURE.md,
// "Memory of a worker"): VmRSS, its anonymous and file parts, PSS, private
// pages, and RSS by mapping. Reads `rushd status --json` and /proc only.

import { join } from "node:path";
import { readMappingMemory, readProcessMemory } from "./bench/process-memory.ts";

const [socket, rushd = join(import.meta.dir, "..", "dist", "rushd")] = process.argv.slice(2);
if (socket === undefined) {
  process.stderr.write("usage: bun scripts/worker-memory.ts SOCKET [RUSHD]\n");
  process.exit(2);
}

const status = Bun.spawnSync([rushd, "status", "--json", "--socket", socket], { stderr: "pipe" });
if (status.exitCode !== 0) {
  process.stderr.write(`rushd status failed (status ${status.exitCode}): ${status.stderr.toString().trim()}\n`);
  process.exit(1);
}
const processes = listProcesses(JSON.parse(status.stdout.toString()));
const mb = (value: number): string => value.toFixed(1).padStart(7);
process.stdout.write(`${"process".padEnd(24)}  VmRSS  RssAnon RssFile    PSS private |   code  rodata    data   heaps    JIT (MB)\n`);
for (const { pid, role } of processes) {
  const memory = readProcessMemory(pid);
  const mappings = readMappingMemory(pid);
  if (memory === undefined || mappings === undefined) {
    process.stdout.write(`${`${role} ${pid}`.padEnd(24)} gone\n`);
    continue;
  }
  process.stdout.write(`${`${role} ${pid}`.padEnd(24)}${mb(memory.rssMb)}${mb(memory.anonMb)}${mb(memory.fileMb)}${mb(memory.pssMb)}${mb(memory.privateMb)} |`
    + `${mb(mappings.textMb)}${mb(mappings.rodataMb)}${mb(mappings.dataMb)}${mb(mappings.heapMb)}${mb(mappings.jitMb)}\n`);
}

function listProcesses(json: unknown): { pid: number; role: string }[] {
  if (typeof json !== "object" || json === null || !("pid" in json) || typeof json.pid !== "number") throw new Error("rushd status --json: no daemon pid");
  const found = [{ pid: json.pid, role: "daemon" }];
  const workers = "workers" in json && Array.isArray(json.workers) ? json.workers : [];
  for (const worker of workers) {
    if (typeof worker !== "object" || worker === null || !("pid" in worker) || typeof worker.pid !== "number") continue;
    const state = "state" in worker && typeof worker.state === "string" ? worker.state : "?";
    found.push({ pid: worker.pid, role: `worker (${state})` });
  }
  return found;
}

// /proc memory figures for the bench (scripts/bench/process-memory.ts):
// parsed from fixed text, and read from this process.

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { parseMappingMemory, parseProcessMemory, readMappingMemory, readProcessMemory } from "../../scripts/bench/process-memory.ts";

const STATUS = "Name:\trushd\nVmRSS:\t   58504 kB\nRssAnon:\t   14696 kB\nRssFile:\t   43808 kB\nRssShmem:\t       0 kB\n";
const ROLLUP = "00200000-7ffc0b6d9000 ---p 00000000 00:00 0  [rollup]\nRss:               58504 kB\nPss:               37588 kB\nShared_Clean:      39900 kB\nShared_Dirty:          0 kB\nPrivate_Clean:      3908 kB\nPrivate_Dirty:     14696 kB\n";

const EXE = "/work/dist/rushd";
const SMAPS = [
  `00200000-01a39000 r--p 00000000 fe:00 5326081                            ${EXE}`,
  "Size:              24804 kB",
  "Rss:                5508 kB",
  `01a40000-0684a000 r-xp 01838000 fe:00 5326081                            ${EXE}`,
  "Rss:               33320 kB",
  `06867000-06d66000 rw-p 0665e000 fe:00 5326081                            ${EXE}`,
  "Rss:                3052 kB",
  "2fe15400000-2fe55400000 rw-p 00000000 00:00 0 ",
  "Rss:               12848 kB",
  "3409c000-340bd000 rw-p 00000000 00:00 0                                  [heap]",
  "Rss:                   8 kB",
  "7fa84af0c000-7fa88af0c000 rwxp 00000000 00:00 0 ",
  "Rss:                1568 kB",
  "7fa88b277000-7fa88b3cd000 r-xp 00026000 fe:00 339380                     /usr/lib/x86_64-linux-gnu/libc.so.6",
  "Rss:                1112 kB",
  "7ffc0b6b8000-7ffc0b6d9000 rw-p 00000000 00:00 0                          [stack]",
  "Rss:                 132 kB",
  "VmFlags: rd wr mr mw me gd ac",
].join("\n");

describe("process memory", () => {
  test("status and smaps_rollup give RSS, its anonymous and file parts, PSS and private pages", () => {
    expect(parseProcessMemory(STATUS, ROLLUP)).toEqual({
      rssMb: 58504 / 1024, anonMb: 14696 / 1024, fileMb: 43808 / 1024, pssMb: 37588 / 1024, privateMb: (3908 + 14696) / 1024,
    });
  });

  test("a missing line is an error, not a zero", () => {
    expect(() => parseProcessMemory("VmRSS:\t1 kB\n", ROLLUP)).toThrow("RssAnon");
  });

  test("smaps splits the executable's mappings from the anonymous heaps and JIT code", () => {
    expect(parseMappingMemory(SMAPS, EXE)).toEqual({
      textMb: 33320 / 1024, rodataMb: 5508 / 1024, dataMb: 3052 / 1024, heapMb: (12848 + 8) / 1024, jitMb: 1568 / 1024,
    });
  });

  test("this process: the parts are consistent", () => {
    expect(readProcessMemory(process.pid)).toBeDefined();
    const mappings = readMappingMemory(process.pid);
    expect(mappings?.textMb).toBeGreaterThan(0);
    // Each file is one snapshot, but this process allocates between two reads: compare a part
    // only with the whole read from the same file (status's VmRSS, smaps_rollup's Rss).
    const status = readFileSync("/proc/self/status", "utf8");
    const rollup = readFileSync("/proc/self/smaps_rollup", "utf8");
    const memory = parseProcessMemory(status, rollup);
    const rollupRssMb = Number(/^Rss:\s+(\d+) kB$/m.exec(rollup)?.[1]) / 1024;
    expect(memory.rssMb).toBeGreaterThan(0);
    expect(memory.anonMb + memory.fileMb).toBeLessThanOrEqual(memory.rssMb + 0.01);
    expect(memory.pssMb).toBeLessThanOrEqual(rollupRssMb + 0.01);
    expect(memory.privateMb).toBeLessThanOrEqual(rollupRssMb + 0.01);
  });

  test("a process that is gone gives undefined", () => {
    const child = Bun.spawnSync(["true"]);
    expect(readProcessMemory(child.pid)).toBeUndefined();
    expect(readMappingMemory(child.pid)).toBeUndefined();
  });
});

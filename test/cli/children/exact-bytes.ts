// Run by exact-bytes.test.ts through /bin/sh (only a shell can give a child
// bytes that are not UTF-8): prints one JSON line with what exact-bytes.ts
// recovers of this process's operands, environment and cwd, each string as
// its bytes in hex. Before that it changes one variable the caller gave it
// bad bytes in, as if the runtime (or a .env file) had set it.

import { exactArguments, exactCwd, exactEnvironment, isLossy, isLossyEnvironment } from "../../../src/cli/exact-bytes.ts";
import { encodeText } from "../../../src/shell/bytes.ts";

const hex = (text: string): string => Buffer.from(encodeText(text)).toString("hex");

process.env.CHANGED = "new \uFFFD";
const argv = process.argv.slice(2);
const runtimeEnv: Record<string, string> = {};
for (const [name, value] of Object.entries(process.env)) if (value !== undefined) runtimeEnv[name] = value;
const env = isLossyEnvironment(runtimeEnv) ? await exactEnvironment(runtimeEnv) : runtimeEnv;
const args = isLossy(argv) ? await exactArguments(argv) : argv;
const wanted = Object.keys(env).filter((name) => name.startsWith("CHANGED") || name.startsWith("X") || name.includes("Z")).sort();
console.log(JSON.stringify({
  args: args.map(hex),
  env: Object.fromEntries(wanted.map((name) => [hex(name), hex(env[name] ?? "")])),
  cwd: hex(exactCwd(process.cwd())).split("2f").at(-1),
}));

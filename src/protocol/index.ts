// The wire protocol: framing, messages, codec. Imported by daemon, worker and
// client; imports nothing of theirs.
export * from "./errors.ts";
export * from "./frame.ts";
export * from "./messages.ts";
export * from "./codec.ts";
export * from "./connection.ts";
export * from "./control.ts";
export * from "./paths.ts";
export * from "./listen.ts";

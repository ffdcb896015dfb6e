// A persistent session's checkpoint on the wire: the shell's own
// checkpoint (shell/checkpoint.ts) as JSON text. JSON escapes the lone
// surrogates that stand for bytes that are not UTF-8 (shell/bytes.ts), which
// msgpack strings would turn into U+FFFD.

import { ProtocolError } from "../protocol/index.ts";
import { CheckpointError, parseCheckpoint, type Shell, type ShellCheckpoint } from "../shell/index.ts";

export function exportSessionState(shell: Shell): string {
  return JSON.stringify(shell.checkpoint());
}

/** SessionInit's `state`, checked; a malformed one is the client's error (BAD_FIELD), with what is wrong in it. */
export function parseSessionState(text: string): ShellCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProtocolError("BAD_FIELD", `SessionInit: state is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return parseCheckpoint(value);
  } catch (error) {
    if (error instanceof CheckpointError) throw new ProtocolError("BAD_FIELD", `SessionInit: state: ${error.message}`);
    throw error;
  }
}

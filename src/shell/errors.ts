// Errors raised while reading shell source. Imports nothing: the parser throws
// these and the executor, CLI and worker catch them by type.

/**
 * A syntax error at a source position. `detail` is what went wrong in dash's
 * words (`"fi" unexpected (expecting "then")`, `Unterminated quoted string`);
 * the shell reports it as `Syntax error: <detail>`. `message` is
 * `line N: <detail>`.
 */
export class ShellSyntaxError extends Error {
  override readonly name = "ShellSyntaxError";
  readonly detail: string;

  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** True when more input could complete the command (an interactive shell shows PS2). */
    readonly incomplete = false,
    /**
     * The line dash's message names, when not the error's own: an unclosed
     * quote or `$((` is reported where dash's reader gave up, at the end of
     * the input, while `line`/`column` still point at the opening.
     */
    readonly reportLine = line,
  ) {
    super(`line ${line}: ${message}`);
    this.detail = message;
  }
}

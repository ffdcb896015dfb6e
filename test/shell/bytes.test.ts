// Raw bytes in shell strings (src/shell/bytes.ts): every byte sequence
// decodes to a string that encodes back to the same bytes.

import { describe, expect, test } from "bun:test";
import { byteChar, decodeBytes, encodeText, fsPath, hasRawBytes } from "../../src/shell/bytes.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("bytes", () => {
  test.each([
    ["plain ASCII", [0x61, 0x62, 0x0a]],
    ["valid UTF-8", [0x63, 0x61, 0x66, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]],
    ["a lone high byte", [0xff]],
    ["latin-1 text", [0x63, 0x61, 0x66, 0xe9]],
    ["a truncated sequence", [0xe2, 0x82]],
    ["an overlong slash", [0xc0, 0xaf]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ["past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["valid and invalid mixed", [0x61, 0xff, 0xc3, 0xa9, 0x80, 0x62]],
    ["NUL and controls", [0x00, 0x01, 0x7f]],
    ["a leading byte-order mark", [0xef, 0xbb, 0xbf, 0x61]],
    ["a leading byte-order mark, then a high byte", [0xef, 0xbb, 0xbf, 0xff]],
    ["a high byte, then a byte-order mark", [0xff, 0xef, 0xbb, 0xbf]],
  ])("%s round-trips", (_name, list) => {
    const bytes = Uint8Array.from(list);
    expect(hex(encodeText(decodeBytes(bytes)))).toBe(hex(bytes));
  });

  test("valid UTF-8 decodes to ordinary characters; other bytes to escapes", () => {
    expect(decodeBytes(Uint8Array.from([0xc3, 0xa9]))).toBe("é");
    expect(decodeBytes(Uint8Array.from([0x61, 0xff]))).toBe(`a${byteChar(0xff)}`);
    expect(byteChar(0x41)).toBe("A");
  });

  test("escapes next to real text encode as their bytes", () => {
    expect(hex(encodeText(`é${byteChar(0x80)}😀`))).toBe("c3a980f09f9880");
  });

  test("a lone surrogate that is not an escape encodes as U+FFFD, as TextEncoder does", () => {
    expect(hex(encodeText(`a\ud800b${byteChar(0xff)}`))).toBe("61efbfbd62ff");
  });

  test("a file name reaches node:fs as the string when it is UTF-8, else as its exact bytes", () => {
    expect(fsPath("/tmp/café")).toBe("/tmp/café");
    expect(hasRawBytes("/tmp/café")).toBe(false);
    const raw = `/tmp/bad${byteChar(0xff)}`;
    expect(hasRawBytes(raw)).toBe(true);
    expect(fsPath(raw)).toEqual(Buffer.from("/tmp/bad\xff", "latin1"));
  });
});

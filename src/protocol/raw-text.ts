// Strings that are not UTF-8, carried losslessly. The shell holds bytes that
// are not UTF-8 as lone surrogates U+DC80…U+DCFF (src/shell/bytes.ts), but
// a msgpack str is UTF-8: such a string would reach the peer with U+FFFD in
// their place. So a string that is not well-formed is sent as ext type 1
// instead, whose payload is the bytes it stands for (encodeText), and read
// back as the same string (decodeBytes); old peers see an ext where a string
// belongs and answer BAD_FIELD rather than run something else.
//
// Every string of a message is looked at (one native isWellFormed() each)
// by the encoder (encode.ts), which writes ext 1 itself; a message without
// such a string is the same bytes on the wire as before. Map keys stay str: a
// key that is not well-formed goes with U+FFFD (no message has one: the
// client leaves out environment names that are not UTF-8, which no shell
// variable can have). This module is the decoding side.
//
// Imports only the leaf bytes module of the shell (it imports nothing).

import { ExtensionCodec } from "@msgpack/msgpack";
import { decodeBytes } from "../shell/bytes.ts";

/** The msgpack ext type of a string sent as its exact bytes (docs/PROTOCOL.md). */
export const RAW_TEXT_EXT_TYPE = 1;

/** Decodes ext 1 to the shell's string for those bytes (encode.ts writes it). */
export const rawTextCodec = new ExtensionCodec();
rawTextCodec.register({
  type: RAW_TEXT_EXT_TYPE,
  encode: () => null, // never asked: encode.ts writes the ext itself
  decode: (data) => decodeBytes(data),
});

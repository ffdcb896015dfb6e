// Strings that are not UTF-8, carried losslessly. The shell holds bytes that
// are not UTF-8 as lone surrogates U+DC80…U+DCFF (src/shell/bytes.ts), but
// a msgpack str is UTF-8: such a string would reach the peer with U+FFFD in
// their place. So a string that is not well-formed is sent as ext type 1
// instead, whose payload is the bytes it stands for (encodeText), and read
// back as the same string (decodeBytes); old peers see an ext where a string
// belongs and answer BAD_FIELD rather than run something else.
//
// Every string of a message is looked at (one native isWellFormed() each)
// by the encoder (encode.ts), which writes ext 1, and the decoder
// (decode.ts) reads it back; a message without such a string is the same
// bytes on the wire as before. Map keys stay str: a key that is not
// well-formed goes with U+FFFD (no message has one: the client leaves out
// environment names that are not UTF-8, which no shell variable can have).
//
// Imports nothing.

/** The msgpack ext type of a string sent as its exact bytes (docs/PROTOCOL.md). */
export const RAW_TEXT_EXT_TYPE = 1;

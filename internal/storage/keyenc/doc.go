// Package keyenc builds order-preserving storage keys: each Append function
// writes one component so that bytes.Compare on the concatenated encodings
// orders keys component by component, exactly as DynamoDB orders key values.
//
// Three encodings are provided:
//
//   - Bytes and strings ([AppendBytes], [AppendString]): the raw bytes with
//     every 0x00 escaped as 0x00 0xFF and a 0x00 0x01 terminator. Byte order
//     of the encodings is the unsigned byte order of the values (DynamoDB
//     compares S as UTF-8 bytes and B as unsigned bytes), and a value sorts
//     before every longer value it is a prefix of, whatever follows it in
//     the key.
//   - Numbers ([AppendNumber]): a DynamoDB number (up to 38 significant
//     digits, magnitude 1E-130 to 9.99...E+125) as a sign byte, an exponent
//     byte and the digits packed two to a byte, with negative numbers
//     inverted. Equal values ("1", "1.0", "10E-1") encode identically, and
//     byte order is numeric order.
//   - Unsigned integers ([AppendUint64]): 8 bytes, big-endian.
//
// Every encoding is self-delimiting, so components can be concatenated
// (partition key, then sort key) and read back in turn with the matching
// Decode function, which returns the remaining bytes.
//
// The package has no notion of which type a component holds; the caller
// (a service's key schema) knows the order and types of its components.
package keyenc

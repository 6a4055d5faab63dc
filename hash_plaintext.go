package oauthreg

// Plaintexts that other systems keep where a hash would be, which
// ImportSecret hashes with argon2id on the way in (as AddSecret does) and
// never stores:
//
//	{noop}<secret>        Spring Security's NoOpPasswordEncoder
//	$plaintext$<secret>   Authelia (go-crypt's algorithm/plaintext)
//	$base64$<secret>      Authelia, the secret in go-crypt's adapted base64
//	                      (standard alphabet with '.' for '+', unpadded)
//
// Both systems compare the secret exactly, so it is taken as written but
// for ASCII whitespace before the prefix and a final line ending.

import "strings"

// foreignPlaintext reports whether encoded is one of the plaintext
// "encodings" above and, if so, returns the secret it holds. A $base64$
// that does not decode is an error wrapping ErrUnsupportedHash.
func foreignPlaintext(encoded string) (secret string, ok bool, err error) {
	s := strings.TrimLeft(encoded, importSpace)
	for _, prefix := range []string{springNoop, "$plaintext$", "$base64$"} {
		rest, found := strings.CutPrefix(s, prefix)
		if !found {
			continue
		}
		rest = strings.TrimRight(rest, "\r\n")
		if prefix != "$base64$" {
			return rest, true, nil
		}
		if len(rest) > 2*MaxSuppliedSecretLen {
			return "", true, unsupportedf("$base64$: %d characters; a secret is at most %d bytes", len(rest), MaxSuppliedSecretLen)
		}
		b, err := passlibBase64.DecodeString(rest)
		if err != nil {
			return "", true, unsupportedf("$base64$: not unpadded adapted base64 (A-Za-z0-9./), as Authelia writes it")
		}
		return string(b), true, nil
	}
	return "", false, nil
}

package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// maxKeyEntries bounds a pepper or key ring list.
const maxKeyEntries = 100

// KeyEntry is one "ID[:ALGORITHM]:BASE64" entry of a pepper list or key
// ring.
type KeyEntry struct {
	ID        string
	Algorithm oauthreg.KeyAlgorithm // key rings only; AES256GCM when not given
	// Key is the key's bytes: KeyMaterial, which prints, logs and
	// marshals as "[REDACTED]". It converts to and from []byte.
	Key oauthreg.KeyMaterial
}

// ParseKeyList parses a pepper list (withAlgorithm false) or a key ring
// (withAlgorithm true):
//
//	ID:BASE64KEY[,ID:BASE64KEY...]
//	ID:ALG:BASE64KEY   (key rings: ALG is A256GCM or XC20P)
//
// Entries are separated by commas or new lines; blank lines and lines that
// start with '#' are ignored. A key is standard or URL-safe base64, padded
// or not. Errors name an entry by its position and ID, never its key.
func ParseKeyList(text string, withAlgorithm bool) ([]KeyEntry, error) {
	var out []KeyEntry
	n := 0
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for field := range strings.SplitSeq(line, ",") {
			field = strings.TrimSpace(field)
			if field == "" {
				continue
			}
			n++
			if n > maxKeyEntries {
				return nil, fmt.Errorf("more than %d keys", maxKeyEntries)
			}
			e, err := parseKeyEntry(field, withAlgorithm)
			if err != nil {
				return nil, fmt.Errorf("entry %d: %w", n, err)
			}
			for _, prev := range out {
				if prev.ID == e.ID {
					return nil, fmt.Errorf("entry %d: key ID %q given twice", n, oauthreg.SanitizeInput(e.ID))
				}
			}
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil, errors.New(`no keys; the format is "ID:BASE64KEY[,ID:BASE64KEY...]"`)
	}
	return out, nil
}

func parseKeyEntry(field string, withAlgorithm bool) (KeyEntry, error) {
	parts := strings.Split(field, ":")
	var e KeyEntry
	var encoded string
	switch {
	case len(parts) == 2:
		e.ID, encoded = parts[0], parts[1]
		e.Algorithm = oauthreg.AES256GCM
	case len(parts) == 3 && withAlgorithm:
		e.ID, e.Algorithm, encoded = parts[0], oauthreg.KeyAlgorithm(parts[1]), parts[2]
		if e.Algorithm != oauthreg.AES256GCM && e.Algorithm != oauthreg.XChaCha20Poly1305 {
			return KeyEntry{}, fmt.Errorf("key %q: unknown algorithm %q; use %s or %s",
				oauthreg.SanitizeInput(e.ID), oauthreg.SanitizeInput(parts[1]), oauthreg.AES256GCM, oauthreg.XChaCha20Poly1305)
		}
	default:
		if withAlgorithm {
			return KeyEntry{}, errors.New(`want "ID:BASE64KEY" or "ID:ALGORITHM:BASE64KEY"`)
		}
		return KeyEntry{}, errors.New(`want "ID:BASE64KEY"`)
	}
	if e.ID == "" {
		return KeyEntry{}, errors.New("empty key ID")
	}
	key, err := decodeBase64(encoded)
	if err != nil || len(key) == 0 {
		return KeyEntry{}, fmt.Errorf("key %q: not valid base64", oauthreg.SanitizeInput(e.ID))
	}
	e.Key = key
	return e, nil
}

// decodeBase64 accepts standard and URL-safe base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

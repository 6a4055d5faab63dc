package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// maxSize bounds ParseSize: 4 TiB, the most an argon2 memory parameter
// (a count of KiB in 32 bits) can name.
const maxSize = 4 << 40

// sizeUnits are the units ParseSize accepts, compared case-insensitively.
var sizeUnits = []struct {
	name  string
	bytes int64
}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// ParseSize parses an amount of memory: a whole number of bytes, or a
// whole number followed by KiB, MiB, GiB or TiB (powers of 1024, any case,
// a space allowed before the unit): "64MiB", "512 MiB", "1GiB", "1048576".
// Decimal units (kB, MB) are refused rather than guessed at. At most 4 TiB.
func ParseSize(s string) (int64, error) {
	orig := s
	s = strings.ToLower(strings.TrimSpace(s))
	unit := int64(1)
	for _, u := range sizeUnits {
		if name := strings.ToLower(u.name); strings.HasSuffix(s, name) {
			s, unit = strings.TrimSpace(strings.TrimSuffix(s, name)), u.bytes
			break
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > maxSize/uint64(unit) {
		return 0, fmt.Errorf("invalid size %q: use bytes or KiB, MiB, GiB (e.g. 64MiB), at most 4TiB", oauthreg.SanitizeInput(orig))
	}
	return int64(n) * unit, nil
}

// FormatSize formats n bytes as ParseSize reads it, in the largest unit
// that divides it: 67108864 is "64MiB".
func FormatSize(n int64) string {
	for _, u := range sizeUnits {
		if n != 0 && n%u.bytes == 0 && u.bytes > 1 {
			return strconv.FormatInt(n/u.bytes, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}

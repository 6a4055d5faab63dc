package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
)

// maxDays bounds the days of a duration, far above any lifetime (about 180
// years) and far below time.Duration's range.
const maxDays = 65535

// ParseDuration parses a Go duration with an optional leading number of
// days, the unit secret lifetimes and retention are counted in: "720h",
// "30d", "1d12h", "0". Negative durations are refused.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	orig := s
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.ParseUint(s[:i], 10, 64)
		if err != nil || n > maxDays {
			return 0, fmt.Errorf("invalid duration %q: use e.g. 720h, 30d or 1d12h", oauthreg.SanitizeInput(orig))
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: use e.g. 720h, 30d or 1d12h", oauthreg.SanitizeInput(orig))
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: must not be negative", oauthreg.SanitizeInput(orig))
	}
	if days > 0 && d > time.Duration(1<<62)-days {
		return 0, fmt.Errorf("invalid duration %q: too long", oauthreg.SanitizeInput(orig))
	}
	return days + d, nil
}

// FormatDuration prints a duration the way ParseDuration reads it: whole
// days of two or more as "30d", others the Go way without trailing zero
// units ("24h", "1h30m").
func FormatDuration(d time.Duration) string {
	if d >= 48*time.Hour && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

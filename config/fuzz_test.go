package config_test

import (
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg/config"
)

func FuzzParseDatabase(f *testing.F) {
	for _, s := range []string{"postgres://u:pw@h/db", "mysql://u:pw@tcp(h:1)/d", "u:p@tcp(h)/d", "sqlite:x.db", "file:x.db?mode=ro", "x.db", "mysql://u:p@h/d", "::", "file://h/%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := config.ParseDatabase(s)
		if err != nil {
			return
		}
		if d.Driver == "" || d.DataSource == "" {
			t.Errorf("%q: accepted without a driver or source: %+v", s, d)
		}
		// Whatever was accepted has a one-line description.
		if strings.ContainsAny(d.String(), "\n\r\x00") {
			t.Errorf("%q: description %q", s, d.String())
		}
	})
}

func FuzzParseKeyList(f *testing.F) {
	for _, s := range []string{"a:AAAA", "a:A256GCM:AAAA,b:XC20P:BBBB", "#x\n\na:-_-_", ":", "a:b:c:d"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, alg bool) {
		entries, err := config.ParseKeyList(s, alg)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.ID == "" || len(e.Key) == 0 {
				t.Errorf("%q: entry %+v", s, e)
			}
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30d", "1d12h", "720h", "0", "-1h", "d", "65536d", "1d-1h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := config.ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Errorf("%q parsed to a negative %v", s, d)
		}
		if back, err := config.ParseDuration(config.FormatDuration(d)); err != nil || back != d {
			t.Errorf("%q: %v formats as %q, which parses to %v, %v", s, d, config.FormatDuration(d), back, err)
		}
	})
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"64MiB", "512 MiB", "0", "1b", "4TiB", "4097GiB", "kib", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := config.ParseSize(s)
		if err != nil {
			return
		}
		if n < 0 || n > 4<<40 {
			t.Errorf("%q parsed to %d, outside 0..4TiB", s, n)
		}
		if back, err := config.ParseSize(config.FormatSize(n)); err != nil || back != n {
			t.Errorf("%q: %d formats as %q, which parses to %d, %v", s, n, config.FormatSize(n), back, err)
		}
	})
}

package main

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
)

// Environment variables the tool reads. Flags given on the command line win
// over them.
const (
	envDB               = "OAUTHREG_DB"
	envKeyRing          = "OAUTHREG_KEYRING"
	envPepper           = "OAUTHREG_PEPPER"
	envSecretPrefix     = "OAUTHREG_SECRET_PREFIX"
	envGracePeriod      = "OAUTHREG_GRACE_PERIOD"
	envSecretLifetime   = "OAUTHREG_SECRET_LIFETIME"
	envMaxActiveSecrets = "OAUTHREG_MAX_ACTIVE_SECRETS"

	defaultDB = "./oauthreg.db"
)

// options are the global flags: where the clients are, and the parts of the
// Registry's configuration that must match the auth server's (the key ring,
// the pepper, the secret prefix, the rotation policy).
type options struct {
	db          string
	output      string
	keyringFile string
	pepperFile  string
	prefix      string
	grace       duration
	lifetime    duration
	maxActive   int

	env func(string) string
}

// defaultOptions reads the environment.
func defaultOptions(env func(string) string) (*options, error) {
	o := &options{
		db:        defaultDB,
		output:    "table",
		prefix:    env(envSecretPrefix),
		grace:     duration(oauthreg.DefaultRotationPolicy.GracePeriod),
		lifetime:  duration(oauthreg.DefaultRotationPolicy.SecretLifetime),
		maxActive: oauthreg.DefaultRotationPolicy.MaxActiveSecrets,
		env:       env,
	}
	if v := env(envDB); v != "" {
		o.db = v
	}
	for _, e := range []struct {
		name string
		dst  *duration
	}{{envGracePeriod, &o.grace}, {envSecretLifetime, &o.lifetime}} {
		if v := env(e.name); v != "" {
			if err := e.dst.Set(v); err != nil {
				return nil, usagef("$%s: %v", e.name, err)
			}
		}
	}
	if v := env(envMaxActiveSecrets); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, usagef("$%s: %q is not a whole number", envMaxActiveSecrets, oauthreg.SanitizeInput(v))
		}
		o.maxActive = n
	}
	return o, nil
}

// register adds the global flags to fs, with the current values as
// defaults, so that they may be given before or after the command name.
func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.db, "db", o.db, "database: a SQLite file `path`, a postgres:// URL or a mysql:// DSN")
	fs.StringVar(&o.db, "dsn", o.db, "same as --db")
	fs.StringVar(&o.output, "o", o.output, "output `format`: table or json")
	fs.StringVar(&o.output, "output", o.output, "same as -o")
	fs.StringVar(&o.keyringFile, "keyring-file", o.keyringFile, "read the key ring from this `file` instead of $"+envKeyRing)
	fs.StringVar(&o.pepperFile, "pepper-file", o.pepperFile, "read the pepper from this `file` instead of $"+envPepper)
	fs.StringVar(&o.prefix, "secret-prefix", o.prefix, "`prefix` of generated secrets (the auth server's WithSecretPrefix)")
	fs.Var(&o.grace, "grace-period", "`duration` older secrets keep working after a rotation")
	fs.Var(&o.lifetime, "secret-lifetime", "`duration` new secrets live (0: they do not expire)")
	fs.IntVar(&o.maxActive, "max-active-secrets", o.maxActive, "at most this many active secrets per client (0: no cap)")
}

// check validates the global flags after parsing.
func (o *options) check() error {
	switch o.output {
	case "table", "json":
	default:
		return usagef("-o %q: use table or json", oauthreg.SanitizeInput(o.output))
	}
	if o.db == "" {
		return usagef("--db is empty: give a SQLite file path, a postgres:// URL or a mysql:// DSN")
	}
	return nil
}

func (o *options) json() bool { return o.output == "json" }

// policy is the rotation policy for clients that carry none of their own.
func (o *options) policy() oauthreg.RotationPolicy {
	return oauthreg.RotationPolicy{
		GracePeriod:      time.Duration(o.grace),
		SecretLifetime:   time.Duration(o.lifetime),
		MaxActiveSecrets: o.maxActive,
	}
}

// keyRing returns the key ring from --keyring-file or $OAUTHREG_KEYRING, or
// nil when neither is set.
func (o *options) keyRing() (*oauthreg.KeyRing, error) {
	text, source, err := o.secretSetting(o.keyringFile, "--keyring-file", envKeyRing)
	if err != nil || text == "" {
		return nil, err
	}
	entries, err := parseKeyList(text, true)
	if err != nil {
		return nil, usagef("%s: %v", source, err)
	}
	keys := make([]oauthreg.Key, len(entries))
	for i, e := range entries {
		keys[i] = oauthreg.Key{ID: e.id, Algorithm: e.alg, Secret: e.key}
	}
	ring, err := oauthreg.NewKeyRing(keys[0], keys[1:]...)
	if err != nil {
		return nil, usagef("%s: %s", source, strings.TrimPrefix(err.Error(), oauthreg.ErrInvalidConfig.Error()+": "))
	}
	return ring, nil
}

// pepperOptions returns WithPepper for the first entry of --pepper-file or
// $OAUTHREG_PEPPER and WithRetiredPepper for the others.
func (o *options) pepperOptions() ([]oauthreg.Option, error) {
	text, source, err := o.secretSetting(o.pepperFile, "--pepper-file", envPepper)
	if err != nil || text == "" {
		return nil, err
	}
	entries, err := parseKeyList(text, false)
	if err != nil {
		return nil, usagef("%s: %v", source, err)
	}
	opts := []oauthreg.Option{oauthreg.WithPepper(entries[0].id, entries[0].key)}
	for _, e := range entries[1:] {
		opts = append(opts, oauthreg.WithRetiredPepper(e.id, e.key))
	}
	return opts, nil
}

// secretSetting reads a setting that holds key material: from the file
// when one is named, else from the environment variable. It never reports
// the contents.
func (o *options) secretSetting(file, flagName, envName string) (text, source string, err error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", "", usagef("%s: %v", flagName, err)
		}
		if strings.TrimSpace(string(b)) == "" {
			return "", "", usagef("%s: %s is empty", flagName, file)
		}
		return string(b), flagName + " " + file, nil
	}
	return o.env(envName), "$" + envName, nil
}

// keyEntry is one "ID[:ALGORITHM]:BASE64" entry of a key ring or pepper
// list.
type keyEntry struct {
	id  string
	alg oauthreg.KeyAlgorithm
	key []byte
}

// parseKeyList parses the key ring (and pepper) format:
//
//	ID:BASE64KEY[,ID:BASE64KEY...]
//
// Entries are separated by commas or newlines; blank lines and lines that
// start with '#' are ignored. A key ring entry may name its algorithm,
// ID:XC20P:BASE64KEY or ID:A256GCM:BASE64KEY (the default). The key is
// standard or URL-safe base64, padded or not. Errors name the entry by its
// position and ID, never its key.
func parseKeyList(text string, withAlg bool) ([]keyEntry, error) {
	var out []keyEntry
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
			e, err := parseKeyEntry(field, withAlg)
			if err != nil {
				return nil, fmt.Errorf("entry %d: %w", n, err)
			}
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil, errors.New(`no keys; the format is "ID:BASE64KEY[,ID:BASE64KEY...]"`)
	}
	return out, nil
}

func parseKeyEntry(field string, withAlg bool) (keyEntry, error) {
	parts := strings.Split(field, ":")
	var e keyEntry
	var encoded string
	switch {
	case len(parts) == 2:
		e.id, encoded = parts[0], parts[1]
		e.alg = oauthreg.AES256GCM
	case len(parts) == 3 && withAlg:
		e.id, e.alg, encoded = parts[0], oauthreg.KeyAlgorithm(parts[1]), parts[2]
		if e.alg != oauthreg.AES256GCM && e.alg != oauthreg.XChaCha20Poly1305 {
			return keyEntry{}, fmt.Errorf("key %q: unknown algorithm %q; use %s or %s",
				oauthreg.SanitizeInput(e.id), oauthreg.SanitizeInput(parts[1]), oauthreg.AES256GCM, oauthreg.XChaCha20Poly1305)
		}
	default:
		if withAlg {
			return keyEntry{}, errors.New(`want "ID:BASE64KEY" or "ID:ALGORITHM:BASE64KEY"`)
		}
		return keyEntry{}, errors.New(`want "ID:BASE64KEY"`)
	}
	if e.id == "" {
		return keyEntry{}, errors.New("empty key ID")
	}
	key, err := decodeBase64(encoded)
	if err != nil {
		return keyEntry{}, fmt.Errorf("key %q: not valid base64", oauthreg.SanitizeInput(e.id))
	}
	e.key = key
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

// duration is a flag.Value for durations that also accepts days ("30d",
// "1d12h"), since secret lifetimes and retention are counted in days.
type duration time.Duration

func (d *duration) String() string {
	if d == nil {
		return "0s"
	}
	return formatDuration(time.Duration(*d))
}

func (d *duration) Set(s string) error {
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = duration(v)
	return nil
}

// parseDuration parses a Go duration with an optional leading number of
// days: "720h", "30d", "1d12h", "0".
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.ParseUint(s[:i], 10, 16)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q: use e.g. 720h, 30d or 1d12h", oauthreg.SanitizeInput(s))
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: use e.g. 720h, 30d or 1d12h", oauthreg.SanitizeInput(s))
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: must not be negative", oauthreg.SanitizeInput(s))
	}
	return days + d, nil
}

// formatDuration prints whole days as "10d" and other durations the Go way
// without trailing zero units ("24h", "1h30m").
func formatDuration(d time.Duration) string {
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

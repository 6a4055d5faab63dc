package config

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
)

// Names of the settings, in the file and in the environment.
const (
	EnvConfigFile           = "OAUTHREG_CONFIG" // a program's default for its -config flag
	EnvDatabase             = "OAUTHREG_DATABASE"
	EnvDatabaseAlias        = "OAUTHREG_DB"
	EnvSecretPrefix         = "OAUTHREG_SECRET_PREFIX"
	EnvGracePeriod          = "OAUTHREG_GRACE_PERIOD"
	EnvSecretLifetime       = "OAUTHREG_SECRET_LIFETIME"
	EnvMaxActiveSecrets     = "OAUTHREG_MAX_ACTIVE_SECRETS"
	EnvOwnerOnlyRotation    = "OAUTHREG_OWNER_ONLY_ROTATION"
	EnvAccessTokenLifetime  = "OAUTHREG_ACCESS_TOKEN_LIFETIME"
	EnvRefreshTokenLifetime = "OAUTHREG_REFRESH_TOKEN_LIFETIME"
	EnvPepper               = "OAUTHREG_PEPPER"
	EnvPepperFile           = "OAUTHREG_PEPPER_FILE"
	EnvKeyRing              = "OAUTHREG_KEYRING"
	EnvKeyRingFile          = "OAUTHREG_KEYRING_FILE"
	EnvMaxConcurrentArgon2  = "OAUTHREG_MAX_CONCURRENT_ARGON2"
	EnvLastUsedInterval     = "OAUTHREG_LAST_USED_INTERVAL"
	EnvMaxUpdateAttempts    = "OAUTHREG_MAX_UPDATE_ATTEMPTS"
	EnvGeneratedSecretsOnly = "OAUTHREG_GENERATED_SECRETS_ONLY"
	// EnvPepperHMAC (oauthreg.WithHMACPepperHashes): keep writing peppered
	// hashes as $hmac-sha256$ while servers of an older release share the
	// store.
	EnvPepperHMAC = "OAUTHREG_PEPPER_HMAC"

	EnvIDTokenLifetime           = "OAUTHREG_ID_TOKEN_LIFETIME"
	EnvAuthorizationCodeLifetime = "OAUTHREG_AUTHORIZATION_CODE_LIFETIME"

	// HashCostLimits (oauthreg.WithHashCostLimits): how expensive an
	// imported hash may be to verify.
	EnvHashMaxPBKDF2Iterations = "OAUTHREG_HASH_MAX_PBKDF2_ITERATIONS"
	EnvHashMaxBcryptCost       = "OAUTHREG_HASH_MAX_BCRYPT_COST"
	EnvHashMaxArgon2Memory     = "OAUTHREG_HASH_MAX_ARGON2_MEMORY"
	EnvHashMaxArgon2Time       = "OAUTHREG_HASH_MAX_ARGON2_TIME"
	EnvHashMaxArgon2Threads    = "OAUTHREG_HASH_MAX_ARGON2_THREADS"

	EnvSlowHashShare  = "OAUTHREG_SLOW_HASH_SHARE"  // oauthreg.WithSlowHashShare
	EnvSlowHashMemory = "OAUTHREG_SLOW_HASH_MEMORY" // oauthreg.WithSlowHashMemory

	EnvCursorKey     = "OAUTHREG_CURSOR_KEY"      // oauthreg.WithCursorKey; environment only
	EnvCursorKeyFile = "OAUTHREG_CURSOR_KEY_FILE" // a file holding it

	// EnvSpringPBKDF2Secrets (oauthreg.WithSpringPBKDF2Secret, environment
	// only): the secrets of Spring Pbkdf2PasswordEncoders whose hashes were
	// imported with oauthreg.WithSpringPBKDF2, as a key list.
	EnvSpringPBKDF2Secrets     = "OAUTHREG_SPRING_PBKDF2_SECRETS"
	EnvSpringPBKDF2SecretsFile = "OAUTHREG_SPRING_PBKDF2_SECRETS_FILE" // a file holding them
)

// fileSettings are the names a configuration file may set. Key material
// itself (EnvPepper, EnvKeyRing) is not among them: a file names key files.
var fileSettings = []string{
	EnvDatabase, EnvDatabaseAlias, EnvSecretPrefix, EnvGracePeriod, EnvSecretLifetime, EnvMaxActiveSecrets,
	EnvOwnerOnlyRotation, EnvAccessTokenLifetime, EnvRefreshTokenLifetime, EnvPepperFile, EnvKeyRingFile,
	EnvMaxConcurrentArgon2, EnvLastUsedInterval, EnvMaxUpdateAttempts, EnvGeneratedSecretsOnly, EnvPepperHMAC,
	EnvIDTokenLifetime, EnvAuthorizationCodeLifetime,
	EnvHashMaxPBKDF2Iterations, EnvHashMaxBcryptCost, EnvHashMaxArgon2Memory, EnvHashMaxArgon2Time, EnvHashMaxArgon2Threads,
	EnvSlowHashShare, EnvSlowHashMemory, EnvCursorKeyFile, EnvSpringPBKDF2SecretsFile,
}

// keySettings hold key material themselves: the environment may set them,
// a configuration file names a file instead (NAME_FILE).
var keySettings = []string{EnvPepper, EnvKeyRing, EnvCursorKey, EnvSpringPBKDF2Secrets}

// Limits of the inputs Load reads.
const (
	maxFileBytes = 1 << 20  // a configuration file
	maxKeyBytes  = 64 << 10 // a pepper or key ring file or variable
	maxLines     = 10_000
)

// Config is everything a Registry (and the database it keeps its clients
// in) needs. Load fills it; Options turns it into oauthreg.New's options.
// Its String, Format, LogValue and MarshalJSON never show key material or
// the database password, whether c is printed by pointer or by value.
type Config struct {
	// Database is the database address (ParseDatabase), "" when none is
	// configured.
	Database string
	// SecretPrefix is the prefix of generated secrets, "" for the
	// library's default.
	SecretPrefix string
	// Rotation is the Registry's rotation policy; it starts as
	// oauthreg.DefaultRotationPolicy and each setting overrides one field.
	Rotation oauthreg.RotationPolicy
	// AccessTokenLifetime, RefreshTokenLifetime, IDTokenLifetime and
	// AuthorizationCodeLifetime are the default token lifetimes; zero
	// keeps the library's.
	AccessTokenLifetime, RefreshTokenLifetime  time.Duration
	IDTokenLifetime, AuthorizationCodeLifetime time.Duration
	// MaxConcurrentArgon2 and MaxUpdateAttempts are limits; zero keeps the
	// library's.
	MaxConcurrentArgon2, MaxUpdateAttempts int
	// LastUsedInterval is set when LastUsedIntervalSet is true (zero
	// writes on every authentication, negative turns recording off).
	LastUsedInterval    time.Duration
	LastUsedIntervalSet bool
	// GeneratedSecretsOnly turns on oauthreg.WithGeneratedSecretsOnly.
	GeneratedSecretsOnly bool
	// PepperHMAC turns on oauthreg.WithHMACPepperHashes (with a pepper),
	// for a rolling upgrade from a release that wrote $hmac-sha256$.
	PepperHMAC bool
	// HashCostLimits bounds what verifying an imported hash may cost
	// (oauthreg.WithHashCostLimits); zero fields keep
	// oauthreg.DefaultHashCostLimits.
	HashCostLimits oauthreg.HashCostLimits
	// SlowHashShare (oauthreg.WithSlowHashShare, slots) and SlowHashMemory
	// (oauthreg.WithSlowHashMemory, bytes); zero keeps the library's.
	SlowHashShare  int
	SlowHashMemory int64

	peppers, keyRing            []KeyEntry
	pepperSource, keyRingSource string               // where they came from, for messages
	cursorKey                   oauthreg.KeyMaterial // oauthreg.WithCursorKey; nil when not configured
	springSecrets               []KeyEntry           // oauthreg.WithSpringPBKDF2Secret
	file                        string
}

// Load reads the configuration file at path (none when path is "") and the
// environment through getenv (os.Getenv; nil reads nothing), the
// environment winning. Every error names the setting and its source, never
// a key.
func Load(path string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	file := map[string]string{}
	if path != "" {
		var err error
		if file, err = readFile(path); err != nil {
			return nil, err
		}
	}
	c := &Config{Rotation: oauthreg.DefaultRotationPolicy, file: path}
	// get returns a setting's value, its source, and the directory that
	// relative file names in it are relative to.
	get := func(name string) (value, source, dir string) {
		if v := getenv(name); v != "" {
			return v, "$" + name, ""
		}
		if v, ok := file[name]; ok {
			return v, path + ": " + name, filepath.Dir(path)
		}
		return "", "", ""
	}
	var errs []error
	fail := func(source string, err error) { errs = append(errs, fmt.Errorf("config: %s: %w", source, err)) }

	if v, _, _ := get(EnvDatabase); v != "" {
		c.Database = v
	} else if v, _, _ := get(EnvDatabaseAlias); v != "" {
		c.Database = v
	}
	c.SecretPrefix, _, _ = get(EnvSecretPrefix)
	durations := []struct {
		name string
		dst  *time.Duration
	}{
		{EnvGracePeriod, &c.Rotation.GracePeriod}, {EnvSecretLifetime, &c.Rotation.SecretLifetime},
		{EnvAccessTokenLifetime, &c.AccessTokenLifetime}, {EnvRefreshTokenLifetime, &c.RefreshTokenLifetime},
		{EnvIDTokenLifetime, &c.IDTokenLifetime}, {EnvAuthorizationCodeLifetime, &c.AuthorizationCodeLifetime},
	}
	for _, d := range durations {
		if v, src, _ := get(d.name); v != "" {
			parsed, err := ParseDuration(v)
			if err != nil {
				fail(src, err)
				continue
			}
			*d.dst = parsed
		}
	}
	if v, src, _ := get(EnvLastUsedInterval); v != "" {
		if v == "off" {
			c.LastUsedInterval, c.LastUsedIntervalSet = -1, true
		} else if d, err := ParseDuration(v); err != nil {
			fail(src, fmt.Errorf("%w (or \"off\")", err))
		} else {
			c.LastUsedInterval, c.LastUsedIntervalSet = d, true
		}
	}
	var argon2Time, argon2Threads int
	ints := []struct {
		name string
		dst  *int
		max  int
	}{
		{EnvMaxActiveSecrets, &c.Rotation.MaxActiveSecrets, 1_000_000}, {EnvMaxConcurrentArgon2, &c.MaxConcurrentArgon2, 1_000_000},
		{EnvMaxUpdateAttempts, &c.MaxUpdateAttempts, 1_000_000}, {EnvSlowHashShare, &c.SlowHashShare, 1_000_000},
		{EnvHashMaxPBKDF2Iterations, &c.HashCostLimits.PBKDF2SHA256Iterations, 1_000_000_000},
		{EnvHashMaxBcryptCost, &c.HashCostLimits.BcryptCost, 31},
		{EnvHashMaxArgon2Time, &argon2Time, 1_000_000}, {EnvHashMaxArgon2Threads, &argon2Threads, 255},
	}
	for _, i := range ints {
		if v, src, _ := get(i.name); v != "" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > i.max {
				fail(src, fmt.Errorf("%q is not a whole number from 0 to %d", oauthreg.SanitizeInput(v), i.max))
				continue
			}
			*i.dst = n
		}
	}
	c.HashCostLimits.Argon2Time, c.HashCostLimits.Argon2Threads = uint32(argon2Time), uint8(argon2Threads)
	if v, src, _ := get(EnvHashMaxArgon2Memory); v != "" {
		if n, err := ParseSize(v); err != nil {
			fail(src, err)
		} else if n%1024 != 0 || n>>10 > math.MaxUint32 {
			fail(src, fmt.Errorf("%q: argon2 memory is counted in whole KiB, at most 4 TiB", oauthreg.SanitizeInput(v)))
		} else {
			c.HashCostLimits.Argon2MemoryKiB = uint32(n >> 10)
		}
	}
	if v, src, _ := get(EnvSlowHashMemory); v != "" {
		if n, err := ParseSize(v); err != nil {
			fail(src, err)
		} else {
			c.SlowHashMemory = n
		}
	}
	bools := []struct {
		name string
		dst  *bool
	}{{EnvOwnerOnlyRotation, &c.Rotation.OwnerOnlyRotation}, {EnvGeneratedSecretsOnly, &c.GeneratedSecretsOnly}, {EnvPepperHMAC, &c.PepperHMAC}}
	for _, b := range bools {
		if v, src, _ := get(b.name); v != "" {
			parsed, err := parseBool(v)
			if err != nil {
				fail(src, err)
				continue
			}
			*b.dst = parsed
		}
	}

	var err error
	if c.peppers, c.pepperSource, err = loadKeys(getenv, get, EnvPepper, EnvPepperFile, false); err != nil {
		errs = append(errs, err)
	}
	if c.keyRing, c.keyRingSource, err = loadKeys(getenv, get, EnvKeyRing, EnvKeyRingFile, true); err != nil {
		errs = append(errs, err)
	}
	if c.cursorKey, err = loadCursorKey(getenv, get); err != nil {
		errs = append(errs, err)
	}
	if c.springSecrets, _, err = loadKeys(getenv, get, EnvSpringPBKDF2Secrets, EnvSpringPBKDF2SecretsFile, false); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// loadKeyText reads key material from the variable name itself
// (environment only) or from the file named by fileName (environment or
// configuration file); "" when neither is set.
func loadKeyText(getenv func(string) string, get func(string) (string, string, string), name, fileName string) (text, source string, err error) {
	text, source = getenv(name), "$"+name
	if f, src, dir := get(fileName); f != "" {
		if text != "" {
			return "", "", fmt.Errorf("config: both $%s and %s are set: keep one", name, src)
		}
		if dir != "" && !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		b, err := readLimited(f, maxKeyBytes)
		if err != nil {
			return "", "", fmt.Errorf("config: %s: %w", src, err)
		}
		text, source = string(b), f
		if strings.TrimSpace(text) == "" {
			return "", "", fmt.Errorf("config: %s: %s is empty", src, f)
		}
	}
	if len(text) > maxKeyBytes {
		return "", "", fmt.Errorf("config: %s: longer than %d bytes", source, maxKeyBytes)
	}
	return text, source, nil
}

// loadKeys reads a pepper list or key ring (see loadKeyText).
func loadKeys(getenv func(string) string, get func(string) (string, string, string), name, fileName string, withAlg bool) ([]KeyEntry, string, error) {
	text, source, err := loadKeyText(getenv, get, name, fileName)
	if err != nil || text == "" {
		return nil, "", err
	}
	entries, err := ParseKeyList(text, withAlg)
	if err != nil {
		return nil, "", fmt.Errorf("config: %s: %w", source, err)
	}
	return entries, source, nil
}

// cursorKeyBytes is the length of oauthreg.WithCursorKey's key.
const cursorKeyBytes = 32

// loadCursorKey reads the key that seals scoped listings' cursors: 32
// bytes in base64, from $OAUTHREG_CURSOR_KEY or the file
// OAUTHREG_CURSOR_KEY_FILE names.
func loadCursorKey(getenv func(string) string, get func(string) (string, string, string)) ([]byte, error) {
	text, source, err := loadKeyText(getenv, get, EnvCursorKey, EnvCursorKeyFile)
	if err != nil || text == "" {
		return nil, err
	}
	key, err := decodeBase64(strings.TrimSpace(text))
	if err != nil || len(key) != cursorKeyBytes {
		return nil, fmt.Errorf("config: %s: want %d random bytes in base64 (e.g. from `head -c %d /dev/urandom | base64`)",
			source, cursorKeyBytes, cursorKeyBytes)
	}
	return key, nil
}

// readFile parses a configuration file.
func readFile(path string) (map[string]string, error) {
	b, err := readLimited(path, maxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	sc.Buffer(make([]byte, 0, 4096), maxFileBytes)
	n := 0
	for sc.Scan() {
		n++
		if n > maxLines {
			return nil, fmt.Errorf("config: %s: more than %d lines", path, maxLines)
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name = strings.TrimSpace(strings.TrimPrefix(name, "export "))
		if !ok || name == "" {
			return nil, fmt.Errorf("config: %s:%d: want NAME=VALUE", path, n)
		}
		switch {
		case slices.Contains(keySettings, name):
			return nil, fmt.Errorf("config: %s:%d: %s cannot be set in a configuration file: put the keys in a file of their own and set %s_FILE, or set $%s", path, n, name, name, name)
		case !slices.Contains(fileSettings, name):
			return nil, fmt.Errorf("config: %s:%d: unknown setting %q", path, n, oauthreg.SanitizeInput(name))
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("config: %s:%d: %s is set twice", path, n, name)
		}
		out[name] = unquote(strings.TrimSpace(value))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	return out, nil
}

// unquote removes one pair of matching quotes.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// readLimited reads a file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", oauthreg.SanitizeInput(v))
}

// KeyRing returns the configured key ring, or nil when none is configured.
func (c *Config) KeyRing() (*oauthreg.KeyRing, error) {
	if len(c.keyRing) == 0 {
		return nil, nil
	}
	keys := make([]oauthreg.Key, len(c.keyRing))
	for i, e := range c.keyRing {
		keys[i] = oauthreg.Key{ID: e.ID, Algorithm: e.Algorithm, Secret: e.Key}
	}
	ring, err := oauthreg.NewKeyRing(keys[0], keys[1:]...)
	if err != nil {
		return nil, fmt.Errorf("config: %s: %w", c.keyRingSource, err)
	}
	return ring, nil
}

// PepperOptions returns oauthreg.WithPepper for the primary pepper and
// oauthreg.WithRetiredPepper for the others, and
// oauthreg.WithHMACPepperHashes when PepperHMAC is set; none when no
// pepper is configured.
func (c *Config) PepperOptions() []oauthreg.Option {
	if len(c.peppers) == 0 {
		return nil
	}
	opts := []oauthreg.Option{oauthreg.WithPepper(c.peppers[0].ID, c.peppers[0].Key)}
	for _, p := range c.peppers[1:] {
		opts = append(opts, oauthreg.WithRetiredPepper(p.ID, p.Key))
	}
	if c.PepperHMAC {
		opts = append(opts, oauthreg.WithHMACPepperHashes())
	}
	return opts
}

// Options returns the oauthreg.New options of c: prefix, rotation policy,
// token lifetimes, peppers, key ring and limits. Pass them before a
// program's own options (a later option wins).
func (c *Config) Options() ([]oauthreg.Option, error) {
	opts := []oauthreg.Option{oauthreg.WithRotationPolicy(c.Rotation)}
	if c.SecretPrefix != "" {
		opts = append(opts, oauthreg.WithSecretPrefix(c.SecretPrefix))
	}
	if c.AccessTokenLifetime != 0 || c.RefreshTokenLifetime != 0 || c.IDTokenLifetime != 0 || c.AuthorizationCodeLifetime != 0 {
		opts = append(opts, oauthreg.WithTokenLifetimes(oauthreg.TokenLifetimes{AccessToken: c.AccessTokenLifetime,
			RefreshToken: c.RefreshTokenLifetime, IDToken: c.IDTokenLifetime, AuthorizationCode: c.AuthorizationCodeLifetime}))
	}
	opts = append(opts, c.PepperOptions()...)
	for _, s := range c.springSecrets {
		opts = append(opts, oauthreg.WithSpringPBKDF2Secret(s.ID, s.Key))
	}
	ring, err := c.KeyRing()
	if err != nil {
		return nil, err
	}
	if ring != nil {
		opts = append(opts, oauthreg.WithKeyRing(ring))
	}
	if c.MaxConcurrentArgon2 > 0 {
		opts = append(opts, oauthreg.WithMaxConcurrentArgon2(c.MaxConcurrentArgon2))
	}
	if c.MaxUpdateAttempts > 0 {
		opts = append(opts, oauthreg.WithMaxUpdateAttempts(c.MaxUpdateAttempts))
	}
	if c.LastUsedIntervalSet {
		opts = append(opts, oauthreg.WithLastUsedInterval(c.LastUsedInterval))
	}
	if c.GeneratedSecretsOnly {
		opts = append(opts, oauthreg.WithGeneratedSecretsOnly())
	}
	if c.HashCostLimits != (oauthreg.HashCostLimits{}) {
		opts = append(opts, oauthreg.WithHashCostLimits(c.HashCostLimits))
	}
	if c.SlowHashShare > 0 {
		opts = append(opts, oauthreg.WithSlowHashShare(c.SlowHashShare))
	}
	if c.SlowHashMemory > 0 {
		opts = append(opts, oauthreg.WithSlowHashMemory(c.SlowHashMemory))
	}
	if c.cursorKey != nil {
		opts = append(opts, oauthreg.WithCursorKey(c.cursorKey))
	}
	return opts, nil
}

// ParsedDatabase parses c.Database (ParseDatabase).
func (c *Config) ParsedDatabase() (Database, error) {
	if c.Database == "" {
		return Database{}, fmt.Errorf("config: no database: set %s (in the environment or the configuration file)", EnvDatabase)
	}
	return ParseDatabase(c.Database)
}

// PepperIDs and KeyIDs return the IDs of the configured peppers and keys,
// primary first.
func (c *Config) PepperIDs() []string { return ids(c.peppers) }

// KeyIDs returns the IDs of the key ring's keys, primary first.
func (c *Config) KeyIDs() []string { return ids(c.keyRing) }

func ids(es []KeyEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = oauthreg.SanitizeInput(e.ID)
	}
	return out
}

// String describes c for a startup line: every setting, keys by ID only,
// the database without its password.
//
// String, Format, LogValue and MarshalJSON have value receivers so that a
// Config printed, logged or marshalled by value (*cfg, a field of another
// struct) is described the same way, rather than dumped field by field
// with its keys and the database password.
func (c Config) String() string {
	db := "(none)"
	if c.Database != "" {
		if d, err := ParseDatabase(c.Database); err == nil {
			db = d.String()
		} else {
			db = "(invalid)"
		}
	}
	s := fmt.Sprintf("database=%s prefix=%q grace=%s lifetime=%s max_active=%d owner_only=%t peppers=%v keys=%v cursor_key=%t",
		db, oauthreg.SanitizeInput(c.SecretPrefix), FormatDuration(c.Rotation.GracePeriod), FormatDuration(c.Rotation.SecretLifetime),
		c.Rotation.MaxActiveSecrets, c.Rotation.OwnerOnlyRotation, c.PepperIDs(), c.KeyIDs(), c.cursorKey != nil)
	if len(c.springSecrets) > 0 {
		s += fmt.Sprintf(" spring_pbkdf2_secrets=%v", ids(c.springSecrets))
	}
	return s
}

// Format prints String under every verb, so %v, %+v and %#v never show
// key material.
func (c Config) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue logs String.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON encodes String as a JSON string, so that encoding/json (an
// admin API dumping its settings) never shows key material or the
// database password either.
func (c Config) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

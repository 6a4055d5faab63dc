package main

import (
	"flag"
	"os"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/config"
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
	// cfg is the shared configuration the defaults came from; it also
	// holds the peppers and key ring when no --*-file flag names others.
	cfg *config.Config
}

// defaultOptions reads the shared configuration (package config): the file
// named by --config or $OAUTHREG_CONFIG, and the environment. Flags given on
// the command line win over it.
func defaultOptions(configFile string, env func(string) string) (*options, error) {
	cfg, err := config.Load(configFile, env)
	if err != nil {
		return nil, usagef("%v", err)
	}
	o := &options{
		db:        defaultDB,
		output:    "table",
		prefix:    cfg.SecretPrefix,
		grace:     duration(cfg.Rotation.GracePeriod),
		lifetime:  duration(cfg.Rotation.SecretLifetime),
		maxActive: cfg.Rotation.MaxActiveSecrets,
		env:       env,
		cfg:       cfg,
	}
	if cfg.Database != "" {
		o.db = cfg.Database
	}
	return o, nil
}

// configFileArg returns the value of a --config flag in args (given before
// or after the command name), or $OAUTHREG_CONFIG.
func configFileArg(args []string, env func(string) string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return env(config.EnvConfigFile)
}

// register adds the global flags to fs, with the current values as
// defaults, so that they may be given before or after the command name.
func (o *options) register(fs *flag.FlagSet) {
	fs.String("config", "", "shared configuration `file` (package config; default $"+config.EnvConfigFile+")")
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

// keyRing returns the key ring from --keyring-file, else the shared
// configuration's (OAUTHREG_KEYRING_FILE or $OAUTHREG_KEYRING), or nil.
func (o *options) keyRing() (*oauthreg.KeyRing, error) {
	if o.keyringFile == "" {
		ring, err := o.cfg.KeyRing()
		if err != nil {
			return nil, usagef("%v", err)
		}
		return ring, nil
	}
	text, source, err := o.secretSetting(o.keyringFile, "--keyring-file")
	if err != nil {
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

// pepperOptions returns WithPepper for the first entry of --pepper-file
// and WithRetiredPepper for the others, else the shared configuration's.
func (o *options) pepperOptions() ([]oauthreg.Option, error) {
	if o.pepperFile == "" {
		return o.cfg.PepperOptions(), nil
	}
	text, source, err := o.secretSetting(o.pepperFile, "--pepper-file")
	if err != nil {
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
	if o.cfg.PepperHMAC {
		opts = append(opts, oauthreg.WithHMACPepperHashes())
	}
	return opts, nil
}

// secretSetting reads key material from the file a flag names. It never
// reports the contents.
func (o *options) secretSetting(file, flagName string) (text, source string, err error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", "", usagef("%s: %v", flagName, err)
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", "", usagef("%s: %s is empty", flagName, file)
	}
	return string(b), flagName + " " + file, nil
}

// keyEntry is one "ID[:ALGORITHM]:BASE64" entry of a key ring or pepper
// list.
type keyEntry struct {
	id  string
	alg oauthreg.KeyAlgorithm
	key []byte
}

// parseKeyList parses the key ring (and pepper) format of package config
// (config.ParseKeyList).
func parseKeyList(text string, withAlg bool) ([]keyEntry, error) {
	entries, err := config.ParseKeyList(text, withAlg)
	if err != nil {
		return nil, err
	}
	out := make([]keyEntry, len(entries))
	for i, e := range entries {
		out[i] = keyEntry{id: e.ID, alg: e.Algorithm, key: e.Key}
	}
	return out, nil
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

// parseDuration and formatDuration are package config's, so that every
// program reads "30d" alike.
func parseDuration(s string) (time.Duration, error) { return config.ParseDuration(s) }

func formatDuration(d time.Duration) string { return config.FormatDuration(d) }

package main

import (
	"flag"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// springPBKDF2Flags are the settings of a Spring Security
// Pbkdf2PasswordEncoder that wrote the hashes being imported, one flag per
// field of oauthreg.SpringPBKDF2Settings. import and import-secret both
// register them and read them with settings, so the two commands cannot
// read the same flags differently.
type springPBKDF2Flags struct {
	algorithm  string
	iterations int
	saltLength int
	hashWidth  int
	base64     bool
	secretID   string
}

// springPBKDF2Help closes the details of import and import-secret.
const springPBKDF2Help = `A Spring Pbkdf2PasswordEncoder built with its own settings (salt length,
iterations, algorithm, hash width, base64 output, or a secret) writes {pbkdf2}
hashes nothing in them describes; without the --spring-pbkdf2-* flags such a
hash is taken as one of Spring's two defaults, and is refused for its length
or, at a default's length, imported and then never verified. Give the
encoder's settings, as its constructor and setters were given them:
  --spring-pbkdf2-algorithm sha256 --spring-pbkdf2-iterations 600000 \
  --spring-pbkdf2-salt-length 16 [--spring-pbkdf2-hash-width 256] \
  [--spring-pbkdf2-base64] [--spring-pbkdf2-secret-id ID]
The encoder's secret itself never comes from the command line: it is the
entry ID of the list $OAUTHREG_SPRING_PBKDF2_SECRETS_FILE names
(ID:BASE64 of the secret's UTF-8 bytes), which the auth server must be given
too, at every start.`

func (f *springPBKDF2Flags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.algorithm, "spring-pbkdf2-algorithm", "", "Spring Pbkdf2PasswordEncoder's `algorithm`: sha1, sha256, sha512 (or PBKDF2WithHmacSHA1, ...SHA256, ...SHA512)")
	fs.IntVar(&f.iterations, "spring-pbkdf2-iterations", 0, "the encoder's iteration `count` (with --spring-pbkdf2-algorithm)")
	fs.IntVar(&f.saltLength, "spring-pbkdf2-salt-length", 0, "the encoder's salt length in `bytes` (with --spring-pbkdf2-algorithm)")
	fs.IntVar(&f.hashWidth, "spring-pbkdf2-hash-width", 0, "the encoder's hash width in `bits` (default: the algorithm's output, 160, 256 or 512)")
	fs.BoolVar(&f.base64, "spring-pbkdf2-base64", false, "the encoder was told setEncodeHashAsBase64(true) (default: hex)")
	fs.StringVar(&f.secretID, "spring-pbkdf2-secret-id", "", "`ID` of the encoder's secret in $OAUTHREG_SPRING_PBKDF2_SECRETS_FILE (default: an encoder without a secret)")
}

// settings returns the settings the flags give, nil when none was given,
// or a usage error.
func (f *springPBKDF2Flags) settings() (*oauthreg.SpringPBKDF2Settings, error) {
	if *f == (springPBKDF2Flags{}) {
		return nil, nil
	}
	if f.algorithm == "" || f.iterations == 0 || f.saltLength == 0 {
		return nil, usagef("--spring-pbkdf2-*: give at least --spring-pbkdf2-algorithm, --spring-pbkdf2-iterations and --spring-pbkdf2-salt-length")
	}
	s := &oauthreg.SpringPBKDF2Settings{Algorithm: f.algorithm, Iterations: f.iterations, SaltLength: f.saltLength,
		HashWidth: f.hashWidth, Base64: f.base64, SecretID: f.secretID}
	switch strings.ToLower(f.algorithm) {
	case "sha1", "sha256", "sha512":
		s.Algorithm = "PBKDF2WithHmac" + strings.ToUpper(f.algorithm)
	}
	if err := s.Check(); err != nil {
		return nil, usagef("--spring-pbkdf2-*: %s", strings.TrimPrefix(err.Error(), oauthreg.ErrUnsupportedHash.Error()+": "))
	}
	return s, nil
}

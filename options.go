package oauthreg

import (
	"fmt"
	"maps"
	"time"
)

// Option configures a Registry in New.
type Option func(*config)

// config is what the options build; New validates it once.
type config struct {
	now              func() time.Time
	policy           RotationPolicy
	lifetimes        TokenLifetimes
	prefix           string
	hash             hasherConfig
	lastUsedInterval time.Duration
	maxUpdateTries   int
	observers        []Observer
	orgs             OrgTree
	access           AccessPolicy
	keys             *KeyRing
	generatedOnly    bool
	keySets          KeySetValidator
	cursorKey        []byte
	errs             []error
}

func defaultConfig() config {
	return config{
		now:    time.Now,
		policy: DefaultRotationPolicy,
		lifetimes: TokenLifetimes{
			AccessToken:       DefaultAccessTokenTTL,
			RefreshToken:      DefaultRefreshTokenTTL,
			IDToken:           DefaultIDTokenTTL,
			AuthorizationCode: DefaultAuthorizationCodeTTL,
		},
		prefix:           DefaultSecretPrefix,
		lastUsedInterval: DefaultLastUsedInterval,
		maxUpdateTries:   DefaultMaxUpdateAttempts,
		orgs:             FlatOrgs{},
		access:           DefaultAccessPolicy{},
	}
}

// DefaultLastUsedInterval is how often, at most, the last-used time of a
// client's secret is written: authentication stays a read in the common case.
const DefaultLastUsedInterval = time.Minute

// DefaultMaxUpdateAttempts is how many times a Registry change is attempted
// when concurrent writers keep changing the same client (ErrConflict).
const DefaultMaxUpdateAttempts = 50

// WithClock sets the clock the Registry evaluates expiry, grace periods and
// timestamps against. Tests pass a fake clock (see package oauthregtest).
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.errs = append(c.errs, fmt.Errorf("%w: WithClock(nil)", ErrInvalidConfig))
			return
		}
		c.now = now
	}
}

// WithRotationPolicy sets the rotation policy for clients that do not carry
// their own (Client.RotationPolicy). The default is DefaultRotationPolicy.
func WithRotationPolicy(p RotationPolicy) Option {
	return func(c *config) {
		if err := p.Validate(); err != nil {
			c.errs = append(c.errs, err)
			return
		}
		c.policy = p
	}
}

// WithTokenTTLs sets the default access and refresh token lifetimes, in
// force for clients that do not set their own (defaults: 24 hours and 10
// days). It is WithTokenLifetimes for those two.
func WithTokenTTLs(access, refresh time.Duration) Option {
	return func(c *config) {
		if access <= 0 || refresh <= 0 {
			c.errs = append(c.errs, fmt.Errorf("%w: WithTokenTTLs(%v, %v): lifetimes must be positive", ErrInvalidConfig, access, refresh))
			return
		}
		c.lifetimes.AccessToken, c.lifetimes.RefreshToken = access, refresh
	}
}

// WithTokenLifetimes sets the Registry's default token lifetimes, in force
// for clients that leave theirs zero (see Registry.EffectiveTokenLifetime).
// A zero client-wide member keeps the built-in default
// (DefaultAccessTokenTTL, DefaultRefreshTokenTTL, DefaultIDTokenTTL,
// DefaultAuthorizationCodeTTL); Grants sets registry-wide per-grant
// defaults, which a client's client-wide value still overrides. Negative
// values, and values above the client limits, are refused.
func WithTokenLifetimes(l TokenLifetimes) Option {
	return func(c *config) {
		if err := checkTokenLifetimes("WithTokenLifetimes", l); err != nil {
			c.errs = append(c.errs, fmt.Errorf("%w: %s", ErrInvalidConfig, err.Reason))
			return
		}
		for _, tt := range []TokenType{TokenAccess, TokenRefresh, TokenID, TokenAuthorizationCode} {
			if d := l.clientWide(tt); d > 0 {
				c.lifetimes.set(tt, d)
			}
		}
		c.lifetimes.Grants = maps.Clone(l.Grants)
	}
}

// WithSecretPrefix sets the prefix of generated secrets (default
// "oauthreg_"), so that secret scanners can recognise your secrets: use
// something specific to your service, such as "acme_cs_". At most 32 RFC 3986
// unreserved characters; it may be empty. Changing it does not invalidate
// secrets issued under an older prefix.
func WithSecretPrefix(prefix string) Option {
	return func(c *config) {
		if err := validSecretPrefix(prefix); err != nil {
			c.errs = append(c.errs, err)
			return
		}
		c.prefix = prefix
	}
}

// WithPepper keys the hashes of generated secrets with a server-side secret,
// so that a stolen database alone does not allow even an offline check of a
// guessed secret. New hashes are "$sha256-keyed$k=<id>$…": SHA-256 over a
// 64-byte block derived from the key followed by the secret, which costs
// what a plain SHA-256 costs (the state after the key block is computed
// once); hashes written as "$hmac-sha256$k=<id>$…" before it still verify
// and are re-hashed on their next successful use. The id is stored in each
// hash, so the pepper can be changed later: pass the old one to
// WithRetiredPepper, and each secret is re-hashed under the new pepper on
// its next successful use. The key must be at least 16 bytes; keep it out
// of the database.
func WithPepper(id string, key []byte) Option {
	return func(c *config) {
		if err := checkPepper(id, key); err != nil {
			c.errs = append(c.errs, err)
			return
		}
		c.hash.PepperID, c.hash.Pepper = id, append([]byte(nil), key...)
	}
}

// WithRetiredPepper adds a pepper that still verifies existing hashes but is
// no longer used for new ones. A secret verified with it is re-hashed under
// the current pepper.
func WithRetiredPepper(id string, key []byte) Option {
	return func(c *config) {
		if err := checkPepper(id, key); err != nil {
			c.errs = append(c.errs, err)
			return
		}
		if c.hash.RetiredPeppers == nil {
			c.hash.RetiredPeppers = map[string][]byte{}
		}
		c.hash.RetiredPeppers[id] = append([]byte(nil), key...)
	}
}

// WithHMACPepperHashes keeps peppered hashes in the encoding releases
// before "$sha256-keyed$" wrote, "$hmac-sha256$k=<id>$…" (HMAC-SHA-256
// keyed with the pepper), for a rolling upgrade of several servers that
// share one store. A server of such a release cannot verify
// "$sha256-keyed$" hashes, and a server of this release re-hashes every
// peppered hash it verifies into "$sha256-keyed$" on its first successful
// use, so without this option a client another server has just
// authenticated fails on the older ones. With it, new secrets, tokens and
// re-hashed ones are written as "$hmac-sha256$" (a "$sha256-keyed$" one is
// re-hashed back on use), and "$hmac-sha256$" hashes are not outdated.
// Remove it once every server runs this release: hashes then move to
// "$sha256-keyed$" on use. Meanwhile a verification costs one SHA-256
// block more. Without WithPepper it changes nothing.
func WithHMACPepperHashes() Option {
	return func(c *config) { c.hash.HMACPepper = true }
}

func checkPepper(id string, key []byte) error {
	if id == "" || len(id) > 32 {
		return fmt.Errorf("%w: pepper id must be 1 to 32 characters", ErrInvalidConfig)
	}
	for i := 0; i < len(id); i++ {
		if !isUnreserved(id[i]) || id[i] == '$' {
			return fmt.Errorf("%w: pepper id %q: use letters, digits, '-', '.', '_' or '~'", ErrInvalidConfig, id)
		}
	}
	if len(key) < 16 {
		return fmt.Errorf("%w: pepper %q is %d bytes; use at least 16 random bytes", ErrInvalidConfig, id, len(key))
	}
	return nil
}

// WithMaxConcurrentArgon2 caps how many argon2 hash computations (secrets
// supplied by a person, each ~19 MiB of memory) run at once; further ones
// wait, honouring their context. The default is 2 × GOMAXPROCS.
func WithMaxConcurrentArgon2(n int) Option {
	return func(c *config) {
		if n <= 0 {
			c.errs = append(c.errs, fmt.Errorf("%w: WithMaxConcurrentArgon2(%d): must be positive", ErrInvalidConfig, n))
			return
		}
		c.hash.MaxArgon2 = n
	}
}

// WithHashCostLimits sets how expensive an imported hash may be to verify
// (see HashCostLimits; zero fields keep DefaultHashCostLimits). ImportSecret
// refuses a hash over them with an error matching ErrHashTooExpensive, and a
// stored hash over them is not run at authentication.
func WithHashCostLimits(l HashCostLimits) Option {
	return func(c *config) {
		l = l.withDefaults()
		if err := l.validate(); err != nil {
			c.errs = append(c.errs, err)
			return
		}
		c.hash.CostLimits = l
	}
}

// WithSlowHashShare caps how many slow hash runs (argon2, bcrypt, PBKDF2)
// one client, and one owner, may hold at once; the rest of the
// WithMaxConcurrentArgon2 slots stay free for everyone else, so a flood of
// wrong guesses against one client's expensive hash cannot delay other
// clients' authentications. Unknown client IDs share one such share. The
// default is half the slots (at least 1).
func WithSlowHashShare(n int) Option {
	return func(c *config) {
		if n <= 0 {
			c.errs = append(c.errs, fmt.Errorf("%w: WithSlowHashShare(%d): must be positive", ErrInvalidConfig, n))
			return
		}
		c.hash.SlotShare = n
	}
}

// WithSlowHashMemory caps the memory, in bytes, that slow hash runs hold at
// once, each counted at what it needs (an argon2 hash's m): runs wait for
// room as they wait for a slot. The default leaves room for every slot at
// the library's argon2 parameters (19 MiB) plus, for the runs one client's
// share allows, imported argon2 at HashCostLimits.Argon2MemoryKiB.
func WithSlowHashMemory(bytes int64) Option {
	return func(c *config) {
		if bytes < argon2Memory<<10 {
			c.errs = append(c.errs, fmt.Errorf("%w: WithSlowHashMemory(%d): must hold at least one argon2 run (%d bytes)", ErrInvalidConfig, bytes, argon2Memory<<10))
			return
		}
		c.hash.SlotMemoryKiB = uint64(bytes >> 10)
	}
}

// WithLastUsedInterval sets how often, at most, a successful authentication
// writes the last-used time of the client and of the secret used (default
// one minute; per secret, so an old secret still in use shows up while the
// new one is busy). A negative value
// turns last-used recording off; zero writes on every authentication.
func WithLastUsedInterval(d time.Duration) Option {
	return func(c *config) { c.lastUsedInterval = d }
}

// WithMaxUpdateAttempts sets how many times a change is re-applied when
// concurrent writers keep changing the same client (default 50). After that
// the change fails with an error matching ErrConflict.
func WithMaxUpdateAttempts(n int) Option {
	return func(c *config) {
		if n <= 0 {
			c.errs = append(c.errs, fmt.Errorf("%w: WithMaxUpdateAttempts(%d): must be positive", ErrInvalidConfig, n))
			return
		}
		c.maxUpdateTries = n
	}
}

// WithOrgTree tells the Registry how organizations nest, for the
// organization rule of Scoped calls (a principal reaches the clients of its
// organization and of its descendants). The default, FlatOrgs, has no
// nesting.
//
// On a store that implements ClientModifier (sqlstore on SQLite and MySQL,
// memstore), the Registry asks it during an update's transaction, while the
// store holds the client's write lock: it may read anything, but must not
// write to the same database (on SQLite such a write waits for the lock
// until busy_timeout and fails).
func WithOrgTree(t OrgTree) Option {
	return func(c *config) {
		if t == nil {
			c.errs = append(c.errs, fmt.Errorf("%w: WithOrgTree(nil)", ErrInvalidConfig))
			return
		}
		c.orgs = t
	}
}

// WithAccessPolicy sets the policy that decides what a principal may do
// through a Scoped registry. The default is DefaultAccessPolicy{} (VMware
// CSP's table; nobody may reveal secrets).
//
// On a store that implements ClientModifier (sqlstore on SQLite and MySQL,
// memstore), the Registry asks it during an update's transaction, while the
// store holds the client's write lock: it may read anything, but must not
// write to the same database (on SQLite such a write waits for the lock
// until busy_timeout and fails).
func WithAccessPolicy(p AccessPolicy) Option {
	return func(c *config) {
		if p == nil {
			c.errs = append(c.errs, fmt.Errorf("%w: WithAccessPolicy(nil)", ErrInvalidConfig))
			return
		}
		c.access = p
	}
}

// WithGeneratedSecretsOnly is for deployments whose clients all use
// secrets generated by the library. Authenticate then rejects anything that
// is not a well-formed generated secret at once, without the decoy argon2
// run that otherwise keeps unknown clients and clients with supplied secrets
// indistinguishable: garbage sent to the token endpoint costs almost
// nothing. AddSecret and ImportSecret are refused, and secrets supplied or
// imported earlier no longer authenticate (rotate those clients first).
func WithGeneratedSecretsOnly() Option {
	return func(c *config) { c.generatedOnly = true }
}

package oauthreg

import "time"

// TokenType names a kind of token whose lifetime a client or a Registry
// sets (TokenLifetimes).
type TokenType string

// Token types with a configurable lifetime.
const (
	TokenAccess            TokenType = "access_token"
	TokenRefresh           TokenType = "refresh_token"
	TokenID                TokenType = "id_token"
	TokenAuthorizationCode TokenType = "authorization_code"
)

// Default token lifetimes: what a Registry gives a client that does not set
// its own. Change them per Registry with WithTokenTTLs or
// WithTokenLifetimes.
const (
	DefaultAccessTokenTTL       = 24 * time.Hour
	DefaultRefreshTokenTTL      = 10 * 24 * time.Hour
	DefaultIDTokenTTL           = time.Hour
	DefaultAuthorizationCodeTTL = 10 * time.Minute
)

// TokenLifetimes are token lifetimes, client-wide and per grant type (as
// Hydra and fosite keep them). On a Client, a zero member means "inherit":
// a per-grant zero inherits the client-wide value, a client-wide zero the
// Registry's. On a Registry (WithTokenLifetimes) they are the defaults.
//
// In JSON ("token_lifetimes") the values are seconds and zero members are
// left out: {"access_token": 3600, "grants": {"client_credentials":
// {"access_token": 600}}}.
type TokenLifetimes struct {
	// AccessToken, RefreshToken, IDToken and AuthorizationCode are the
	// client-wide lifetimes; zero inherits the Registry's default.
	AccessToken       time.Duration
	RefreshToken      time.Duration
	IDToken           time.Duration
	AuthorizationCode time.Duration
	// Grants overrides the lifetimes of the tokens issued by one grant
	// type; a zero member inherits the client-wide value. nil when there
	// is no override.
	Grants map[GrantType]GrantLifetimes
}

// GrantLifetimes are the lifetimes of the tokens one grant type issues. Zero
// inherits.
type GrantLifetimes struct {
	AccessToken  time.Duration
	RefreshToken time.Duration
	IDToken      time.Duration
}

// IsZero reports whether every lifetime inherits.
func (l TokenLifetimes) IsZero() bool {
	return l.AccessToken == 0 && l.RefreshToken == 0 && l.IDToken == 0 && l.AuthorizationCode == 0 && len(l.Grants) == 0
}

// clientWide returns the client-wide lifetime of tt (zero: inherit).
func (l TokenLifetimes) clientWide(tt TokenType) time.Duration {
	switch tt {
	case TokenAccess:
		return l.AccessToken
	case TokenRefresh:
		return l.RefreshToken
	case TokenID:
		return l.IDToken
	case TokenAuthorizationCode:
		return l.AuthorizationCode
	}
	return 0
}

// forGrant returns the per-grant lifetime of tt for grant (zero: inherit).
// Authorization codes have no per-grant value.
func (l TokenLifetimes) forGrant(grant GrantType, tt TokenType) time.Duration {
	return l.Grants[grant].lifetime(tt)
}

// lifetime returns the lifetime of tt (zero: inherit); authorization codes
// have none per grant.
func (g GrantLifetimes) lifetime(tt TokenType) time.Duration {
	switch tt {
	case TokenAccess:
		return g.AccessToken
	case TokenRefresh:
		return g.RefreshToken
	case TokenID:
		return g.IDToken
	}
	return 0
}

// lookup resolves tt for grant in l alone: the per-grant value, else the
// client-wide one.
func (l TokenLifetimes) lookup(grant GrantType, tt TokenType) time.Duration {
	if d := l.forGrant(grant, tt); d > 0 {
		return d
	}
	return l.clientWide(tt)
}

// TokenLifetime returns the client's own lifetime for tokens of type tt
// issued through grant: the per-grant override in Lifetimes.Grants, else the
// client-wide value in Lifetimes (or, when that is zero, the deprecated
// AccessTokenTTL or RefreshTokenTTL). set is false when the client has no
// value of its own and inherits the Registry's: ask
// Registry.EffectiveTokenLifetime for the value in force.
func (c *Client) TokenLifetime(grant GrantType, tt TokenType) (d time.Duration, set bool) {
	if d := c.Lifetimes.lookup(grant, tt); d > 0 {
		return d, true
	}
	switch {
	case tt == TokenAccess && c.AccessTokenTTL > 0:
		return c.AccessTokenTTL, true
	case tt == TokenRefresh && c.RefreshTokenTTL > 0:
		return c.RefreshTokenTTL, true
	}
	return 0, false
}

// EffectiveTokenLifetime returns the lifetime in force for tokens of type
// tt that grant issues to c: the client's own value (Client.TokenLifetime),
// else the Registry's default for that grant, else its default for the
// token type (WithTokenLifetimes, WithTokenTTLs; DefaultAccessTokenTTL and
// its siblings unless changed). It returns zero only for an unknown token
// type.
func (r *Registry) EffectiveTokenLifetime(c *Client, grant GrantType, tt TokenType) time.Duration {
	if c != nil {
		if d, ok := c.TokenLifetime(grant, tt); ok {
			return d
		}
	}
	return r.cfg.lifetimes.lookup(grant, tt)
}

// EffectiveTokenLifetimes returns every lifetime in force for c, for an
// admin API to show: the client-wide values resolved against the
// Registry's defaults, and in Grants one entry per grant type of the client
// (and per grant the Registry has defaults for) with each value resolved.
func (r *Registry) EffectiveTokenLifetimes(c *Client) TokenLifetimes {
	out := TokenLifetimes{
		AccessToken:       r.EffectiveTokenLifetime(c, "", TokenAccess),
		RefreshToken:      r.EffectiveTokenLifetime(c, "", TokenRefresh),
		IDToken:           r.EffectiveTokenLifetime(c, "", TokenID),
		AuthorizationCode: r.EffectiveTokenLifetime(c, "", TokenAuthorizationCode),
	}
	var grants []GrantType
	if c != nil {
		grants = append(grants, c.GrantTypes...)
		for g := range c.Lifetimes.Grants {
			grants = append(grants, g)
		}
	}
	for g := range r.cfg.lifetimes.Grants {
		grants = append(grants, g)
	}
	for _, g := range grants {
		if out.Grants == nil {
			out.Grants = make(map[GrantType]GrantLifetimes)
		}
		out.Grants[g] = GrantLifetimes{
			AccessToken:  r.EffectiveTokenLifetime(c, g, TokenAccess),
			RefreshToken: r.EffectiveTokenLifetime(c, g, TokenRefresh),
			IDToken:      r.EffectiveTokenLifetime(c, g, TokenID),
		}
	}
	return out
}

// EffectiveRotationPolicy returns the rotation policy in force for c: its
// own (Client.RotationPolicy) when set, else the Registry's. An admin API
// shows it, for example its GracePeriod as the
// secretRotationExpirationInSeconds of VMware CPN (VMware's partner portal)
// for a client that follows the registry-wide policy.
func (r *Registry) EffectiveRotationPolicy(c *Client) RotationPolicy {
	if c == nil {
		return r.cfg.policy
	}
	return r.policyFor(c)
}

// set sets the client-wide lifetime of tt.
func (l *TokenLifetimes) set(tt TokenType, d time.Duration) {
	switch tt {
	case TokenAccess:
		l.AccessToken = d
	case TokenRefresh:
		l.RefreshToken = d
	case TokenID:
		l.IDToken = d
	case TokenAuthorizationCode:
		l.AuthorizationCode = d
	}
}

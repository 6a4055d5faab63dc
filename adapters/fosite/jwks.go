package oauthregfosite

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-jose/go-jose/v3"
)

// ErrUnreadableJWKS is returned (together with fosite.ErrServerError) by
// ClientManager.GetClient for a client whose stored JWK Set go-jose cannot
// read. oauthreg validates a JWK Set when it is registered, so this means
// the store holds something no validation let through.
var ErrUnreadableJWKS = errors.New("oauthregfosite: the client's jwks cannot be read")

// parseJWKS reads a client's JWK Set (oauthreg.Client.JWKS, RFC 7517
// section 5) into the go-jose type fosite v0.49 uses. It returns nil for an
// empty raw value. Only public keys are kept: a private key is reduced to
// its public part, and a key without one (a symmetric "oct" key) is
// dropped, so no private key material reaches fosite.
func parseJWKS(raw json.RawMessage) (*jose.JSONWebKeySet, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadableJWKS, err)
	}
	keys := make([]jose.JSONWebKey, 0, len(set.Keys))
	for _, k := range set.Keys {
		if !k.IsPublic() {
			k = k.Public()
			if !k.Valid() {
				continue
			}
		}
		keys = append(keys, k)
	}
	return &jose.JSONWebKeySet{Keys: keys}, nil
}

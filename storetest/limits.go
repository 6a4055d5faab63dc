package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

// ClientAtLimits returns a valid confidential client with every field and
// count at its limit at once (see oauthreg's limits.go): a client ID of
// MaxClientIDBytes starting with id, MaxRedirectURIs redirect URIs of
// MaxURIBytes, MaxScopes scopes of MaxScopeBytes, MaxTags tags of
// MaxTagBytes in each list, MaxMetadataEntries metadata entries with keys
// and values at their limits, and MaxStoredSecrets secret records whose ID,
// hint, description, hash and sealed value are at their limits (the newest
// MaxActiveSecretsCeiling active, the others revoked).
//
// Its strings are chosen to be as large as possible once a store encodes
// them: '<', '>', '&' and '"' (six or two bytes each in JSON with HTML
// escaping), two-byte UTF-8 letters and line breaks, so a column sized for
// the raw limit but not for its encoding is caught. Validate accepts it, and
// its JSON stays below MaxClientJSONBytes. Every call returns a fresh
// client.
func ClientAtLimits(id string) *oauthreg.Client {
	t0 := BaseTime()
	c := &oauthreg.Client{
		ID:                      pad(id+"-", "~", oauthreg.MaxClientIDBytes),
		Owner:                   pad("org-", "ö", oauthreg.MaxOwnerBytes),
		Name:                    pad("name ", `"<&>`, oauthreg.MaxClientNameBytes),
		Description:             pad("description\n", "é\n\"<", oauthreg.MaxDescriptionBytes),
		GrantTypes:              []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantClientCredentials, oauthreg.GrantRefreshToken},
		ResponseTypes:           []oauthreg.ResponseType{oauthreg.ResponseCode},
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic,
		AccessTokenTTL:          time.Hour,
		RefreshTokenTTL:         24 * time.Hour,
		Metadata:                make(map[string]string, oauthreg.MaxMetadataEntries),
		RotationPolicy: &oauthreg.RotationPolicy{
			GracePeriod:      time.Hour,
			MaxActiveSecrets: oauthreg.MaxActiveSecretsCeiling,
		},
		CreatedAt: t0,
		UpdatedAt: t0,
	}
	for i := range oauthreg.MaxRedirectURIs {
		c.RedirectURIs = append(c.RedirectURIs, pad(fmt.Sprintf("https://app.example.com/cb/%03d?q=", i), "&", oauthreg.MaxURIBytes))
	}
	for i := range oauthreg.MaxScopes {
		c.Scopes = append(c.Scopes, pad(fmt.Sprintf("scope:%04d:", i), "<&>", oauthreg.MaxScopeBytes))
	}
	for i := range oauthreg.MaxTags {
		c.SystemTags = append(c.SystemTags, pad(fmt.Sprintf("sys-%03d ", i), `<&>"`, oauthreg.MaxTagBytes))
		c.UserTags = append(c.UserTags, pad(fmt.Sprintf("user-%03d ", i), "ü<", oauthreg.MaxTagBytes))
	}
	for i := range oauthreg.MaxMetadataEntries {
		key := pad(fmt.Sprintf("key-%03d-", i), "<&>", oauthreg.MaxMetadataKeyBytes)
		c.Metadata[key] = pad(fmt.Sprintf("value-%03d\n", i), `<&>"`, oauthreg.MaxMetadataValueBytes)
	}
	for i := range oauthreg.MaxStoredSecrets {
		s := oauthreg.Secret{
			ID:          pad(fmt.Sprintf("s%03d-", i), "_", oauthreg.MaxSecretIDBytes),
			Kind:        oauthreg.SecretSupplied,
			Hash:        pad(fmt.Sprintf("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ%03d$", i), "h", oauthreg.MaxSecretHashBytes),
			Sealed:      pad(fmt.Sprintf("v1.key-2025.%03d.", i), "S", oauthreg.MaxSealedSecretBytes),
			Hint:        pad(fmt.Sprintf("%03d", i), "é", oauthreg.MaxSecretHintBytes),
			Description: pad(fmt.Sprintf("secret %03d\n", i), `"<&>`, oauthreg.MaxSecretDescriptionBytes),
			CreatedAt:   t0.Add(time.Duration(i) * time.Millisecond),
		}
		if i < oauthreg.MaxStoredSecrets-oauthreg.MaxActiveSecretsCeiling {
			s.RevokedAt = t0.Add(time.Second)
		}
		c.Secrets = append(c.Secrets, s)
	}
	return c
}

// pad returns prefix followed by as many copies of filler (then single
// bytes of "x") as make it exactly n bytes long.
func pad(prefix, filler string, n int) string {
	var b strings.Builder
	b.WriteString(prefix)
	for b.Len()+len(filler) <= n {
		b.WriteString(filler)
	}
	for b.Len() < n {
		b.WriteByte('x')
	}
	return b.String()
}

// LimitViolation is one way to take a client just over one limit.
type LimitViolation struct {
	// Name describes the violation for a test's name.
	Name string
	// Field is the ValidationError.Field validation must report.
	Field string
	// Code is the ValidationError.Code validation must report.
	Code string
	// Apply takes a client made by ClientAtLimits one step over the limit.
	Apply func(c *oauthreg.Client)
	// ViaUpdate is true when Registry.Update can attempt the change (it
	// touches neither the ID nor the secrets).
	ViaUpdate bool
}

// LimitViolations returns, for each limit of limits.go, a change that takes
// a client made by ClientAtLimits one byte or one element over it. Validate
// must refuse each with a *ValidationError naming Field.
func LimitViolations() []LimitViolation {
	meta, redirect := oauthreg.CodeInvalidClientMetadata, oauthreg.CodeInvalidRedirectURI
	// The key ClientAtLimits gives its first metadata entry.
	firstKey := func(*oauthreg.Client) string { return pad("key-000-", "<&>", oauthreg.MaxMetadataKeyBytes) }
	return []LimitViolation{
		{"ClientIDBytes", "client_id", meta, func(c *oauthreg.Client) { c.ID += "x" }, false},
		{"OwnerBytes", "owner", meta, func(c *oauthreg.Client) { c.Owner += "x" }, true},
		{"ClientNameBytes", "client_name", meta, func(c *oauthreg.Client) { c.Name += "x" }, true},
		{"DescriptionBytes", "description", meta, func(c *oauthreg.Client) { c.Description += "x" }, true},
		{"RedirectURIs", "redirect_uris", redirect, func(c *oauthreg.Client) {
			c.RedirectURIs = append(c.RedirectURIs, "https://app.example.com/one-too-many")
		}, true},
		{"URIBytes", "redirect_uris[0]", redirect, func(c *oauthreg.Client) { c.RedirectURIs[0] += "x" }, true},
		{"Scopes", "scope", meta, func(c *oauthreg.Client) { c.Scopes = append(c.Scopes, "one-too-many") }, true},
		{"ScopeBytes", "scope", meta, func(c *oauthreg.Client) { c.Scopes[0] += "x" }, true},
		{"SystemTags", "system_tags", meta, func(c *oauthreg.Client) { c.SystemTags = append(c.SystemTags, "one-too-many") }, true},
		{"SystemTagBytes", "system_tags[0]", meta, func(c *oauthreg.Client) { c.SystemTags[0] += "x" }, true},
		{"UserTags", "user_tags", meta, func(c *oauthreg.Client) { c.UserTags = append(c.UserTags, "one-too-many") }, true},
		{"UserTagBytes", "user_tags[0]", meta, func(c *oauthreg.Client) { c.UserTags[0] += "x" }, true},
		{"MetadataEntries", "metadata", meta, func(c *oauthreg.Client) { c.Metadata["one-too-many"] = "" }, true},
		{"MetadataKeyBytes", "metadata", meta, func(c *oauthreg.Client) {
			k := firstKey(c)
			c.Metadata[k+"x"] = c.Metadata[k]
			delete(c.Metadata, k)
		}, true},
		{"MetadataValueBytes", "metadata", meta, func(c *oauthreg.Client) { k := firstKey(c); c.Metadata[k] += "x" }, true},
		{"ActiveSecretsCeiling", "rotation_policy", meta, func(c *oauthreg.Client) {
			c.RotationPolicy.MaxActiveSecrets = oauthreg.MaxActiveSecretsCeiling + 1
		}, true},
		{"StoredSecrets", "secrets", meta, func(c *oauthreg.Client) {
			s := c.Secrets[0]
			s.ID = "one-too-many"
			c.Secrets = append(c.Secrets, s)
		}, false},
		{"SecretIDBytes", "secrets[0].id", meta, func(c *oauthreg.Client) { c.Secrets[0].ID += "x" }, false},
		{"SecretHintBytes", "secrets[0].hint", meta, func(c *oauthreg.Client) { c.Secrets[0].Hint += "x" }, false},
		{"SecretDescriptionBytes", "secrets[0].description", meta, func(c *oauthreg.Client) { c.Secrets[0].Description += "x" }, false},
		{"SecretHashBytes", "secrets[0].hash", meta, func(c *oauthreg.Client) { c.Secrets[0].Hash += "x" }, false},
		{"SealedSecretBytes", "secrets[0].sealed", meta, func(c *oauthreg.Client) { c.Secrets[0].Sealed += "x" }, false},
		{"ClientJSONBytes", "", meta, func(c *oauthreg.Client) {
			// Every field within its own limit, but control characters
			// take six bytes each in JSON.
			for k := range c.Metadata {
				c.Metadata[k] = strings.Repeat("\x01", oauthreg.MaxMetadataValueBytes)
			}
		}, true},
	}
}

// testLimits checks that a client at every limit round-trips, and that the
// Registry refuses one just over any limit without changing the store.
func (s suite) testLimits(t *testing.T) {
	s.run(t, "ClientAtEveryLimitRoundTrips", func(t *testing.T, st oauthreg.Store) {
		c := ClientAtLimits("limits")
		if err := c.Validate(); err != nil {
			t.Fatalf("the fixture is invalid: %v", err)
		}
		want := c.Clone()
		if err := st.CreateClient(t.Context(), c); err != nil {
			t.Fatalf("CreateClient of a client at every limit: %v", err)
		}
		checkStored(t, st, withVersion(want, 1), "a client at every limit")
		page, err := st.ListClients(t.Context(), oauthreg.ListQuery{})
		if err != nil {
			t.Fatalf("ListClients with a client at every limit: %v", err)
		}
		if len(page.Clients) != 1 {
			t.Fatalf("ListClients returned %d clients, want the one at every limit", len(page.Clients))
		}
		if d := Diff(withVersion(want, 1), page.Clients[0]); len(d) > 0 {
			t.Errorf("ListClients returned the client at every limit changed:\n\t%s", joinLines(d))
		}
		c.Name = strings.Repeat("N", oauthreg.MaxClientNameBytes)
		want = c.Clone()
		if err := st.UpdateClient(t.Context(), c); err != nil {
			t.Fatalf("UpdateClient of a client at every limit: %v", err)
		}
		checkStored(t, st, withVersion(want, 2), "a client at every limit after UpdateClient")
		if err := st.DeleteClient(t.Context(), c.ID); err != nil {
			t.Fatalf("DeleteClient of a client at every limit: %v", err)
		}
	})

	s.run(t, "OverAnyLimitIsRefused", func(t *testing.T, st oauthreg.Store) {
		reg, _ := newRegistry(t, st)
		base := ClientAtLimits("over")
		base.Secrets = nil
		registered, _ := mustRegister(t, reg, *base)
		for _, v := range LimitViolations() {
			c := ClientAtLimits("over-" + v.Name)
			v.Apply(c)
			if v.ViaUpdate || v.Field == "client_id" {
				c.Secrets = nil
				_, _, err := reg.Register(t.Context(), *c)
				checkLimitError(t, err, v, "Register")
				if got, err := st.GetClient(t.Context(), c.ID); err == nil {
					t.Errorf("%s: Register refused the client but stored %q", v.Name, got.ID)
				}
			}
			if !v.ViaUpdate {
				continue
			}
			before := mustGet(t, st, registered.ID)
			_, err := reg.Update(t.Context(), registered.ID, func(u *oauthreg.Client) error {
				v.Apply(u)
				return nil
			})
			checkLimitError(t, err, v, "Update")
			checkStored(t, st, before, v.Name+": the client after a refused Update")
		}
	})
}

// checkLimitError requires err to be a *ValidationError for v.
func checkLimitError(t *testing.T, err error, v LimitViolation, call string) {
	t.Helper()
	var ve *oauthreg.ValidationError
	switch {
	case err == nil:
		t.Errorf("%s: %s accepted a client over the limit", v.Name, call)
	case !errors.As(err, &ve):
		t.Errorf("%s: %s returned %T %v, want a *oauthreg.ValidationError", v.Name, call, err, err)
	case ve.Field != v.Field || ve.Code != v.Code:
		t.Errorf("%s: %s returned Field %q Code %q, want Field %q Code %q (%v)", v.Name, call, ve.Field, ve.Code, v.Field, v.Code, err)
	}
}

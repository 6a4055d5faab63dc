package clientimport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
)

// hydraLifespans maps Hydra's per-grant lifespan columns (and admin API
// members) to the grant and token they set.
var hydraLifespans = map[string]struct {
	grant oauthreg.GrantType
	token oauthreg.TokenType
}{
	"authorization_code_grant_access_token_lifespan":    {oauthreg.GrantAuthorizationCode, oauthreg.TokenAccess},
	"authorization_code_grant_id_token_lifespan":        {oauthreg.GrantAuthorizationCode, oauthreg.TokenID},
	"authorization_code_grant_refresh_token_lifespan":   {oauthreg.GrantAuthorizationCode, oauthreg.TokenRefresh},
	"client_credentials_grant_access_token_lifespan":    {oauthreg.GrantClientCredentials, oauthreg.TokenAccess},
	"implicit_grant_access_token_lifespan":              {oauthreg.GrantImplicit, oauthreg.TokenAccess},
	"implicit_grant_id_token_lifespan":                  {oauthreg.GrantImplicit, oauthreg.TokenID},
	"jwt_bearer_grant_access_token_lifespan":            {oauthreg.GrantJWTBearer, oauthreg.TokenAccess},
	"password_grant_access_token_lifespan":              {oauthreg.GrantPassword, oauthreg.TokenAccess},
	"password_grant_refresh_token_lifespan":             {oauthreg.GrantPassword, oauthreg.TokenRefresh},
	"refresh_token_grant_access_token_lifespan":         {oauthreg.GrantRefreshToken, oauthreg.TokenAccess},
	"refresh_token_grant_id_token_lifespan":             {oauthreg.GrantRefreshToken, oauthreg.TokenID},
	"refresh_token_grant_refresh_token_lifespan":        {oauthreg.GrantRefreshToken, oauthreg.TokenRefresh},
	"device_authorization_grant_access_token_lifespan":  {oauthreg.GrantDeviceCode, oauthreg.TokenAccess},
	"device_authorization_grant_id_token_lifespan":      {oauthreg.GrantDeviceCode, oauthreg.TokenID},
	"device_authorization_grant_refresh_token_lifespan": {oauthreg.GrantDeviceCode, oauthreg.TokenRefresh},
}

// hydraIgnored are the members dropped without a warning: bookkeeping of
// Hydra's own (network, primary keys, timestamps, the registration
// endpoint's URL), or settings at their default.
var hydraIgnored = []string{"nid", "pk", "pk_deprecated", "created_at", "updated_at", "registration_client_uri", "client_secret_expires_at"}

// parseHydra reads rows of Hydra's hydra_client table as a JSON array (the
// output of psql -At -c "select json_agg(t) from hydra_client t"), or the
// JSON array of Hydra's admin API GET /admin/clients.
func parseHydra(buf []byte, o Options) ([]Entry, error) {
	rows, err := jsonArray(buf, "Hydra export")
	if err != nil {
		return nil, err
	}
	entries := make([]Entry, len(rows))
	for i, m := range rows {
		entries[i] = hydraEntry(i, m, o)
		wipe(m)
	}
	return entries, nil
}

// jsonArray decodes an export that is a JSON array of objects ("null" or
// nothing is an empty export).
func jsonArray(buf []byte, what string) ([]map[string]json.RawMessage, error) {
	// bytes, not a string: a string copy of the export (and of the
	// plaintexts it may hold) could never be overwritten.
	if s := bytes.TrimSpace(buf); len(s) == 0 || string(s) == "null" {
		return nil, nil
	}
	if err := checkArrayLen(buf); err != nil {
		return nil, err
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(buf, &rows); err != nil {
		// A type error stops nothing: the rows before and after it were
		// decoded, secrets included. Overwrite them before refusing.
		wipeAll(rows)
		return nil, fmt.Errorf("%w: a %s is a JSON array of objects (with psql, use -At so that only the JSON is printed): %v", ErrExport, what, err)
	}
	return rows, nil
}

func hydraEntry(i int, m map[string]json.RawMessage, o Options) Entry {
	e := Entry{Index: i}
	r := newRecord(m, &e)
	id := r.str("id") // the table's column
	if apiID := r.str("client_id"); apiID != "" {
		id = apiID // the admin API's member
	}
	e.ClientID = id
	if id == "" {
		e.refuse(ReasonMissingID, "the client has no id")
	}
	c := &e.Import.Client
	c.ID = id
	c.Name = r.str("client_name")
	c.RedirectURIs = r.list("redirect_uris")
	for _, g := range r.list("grant_types") {
		c.GrantTypes = append(c.GrantTypes, oauthreg.GrantType(g))
	}
	for _, t := range r.list("response_types") {
		c.ResponseTypes = append(c.ResponseTypes, oauthreg.ResponseType(t))
	}
	c.Scopes = strings.Fields(r.str("scope"))
	c.Audience = r.list("audience")
	c.Owner = r.str("owner")
	if c.Owner == "" {
		c.Owner = o.Owner
	}
	c.PolicyURI, c.TOSURI, c.ClientURI, c.LogoURI = r.str("policy_uri"), r.str("tos_uri"), r.str("client_uri"), r.str("logo_uri")
	c.AllowedCORSOrigins = r.list("allowed_cors_origins")
	c.Contacts = r.list("contacts")
	c.SubjectType = r.str("subject_type")
	c.SectorIdentifierURI = r.str("sector_identifier_uri")
	c.JWKSURI = r.str("jwks_uri")
	if jwks := r.object("jwks"); len(jwks) > 0 {
		if keys := jwks["keys"]; isEmptyJSON(keys) {
			// Hydra stores {} or {"keys":[]} for "no keys".
		} else if b, err := json.Marshal(jwks); err == nil {
			c.JWKS = b
		}
	}
	c.TokenEndpointAuthMethod = oauthreg.AuthMethod(r.str("token_endpoint_auth_method"))
	if public, _ := r.boolean("public"); public { // Hydra 1.0's column
		c.TokenEndpointAuthMethod = oauthreg.AuthNone
	}
	if c.TokenEndpointAuthMethod == "" {
		c.TokenEndpointAuthMethod = oauthreg.AuthClientSecretBasic // Hydra's default
	}
	c.Public = c.TokenEndpointAuthMethod == oauthreg.AuthNone
	c.TokenEndpointAuthSigningAlg = r.str("token_endpoint_auth_signing_alg")
	c.RequestURIs = r.list("request_uris")
	c.RequestObjectSigningAlg = r.str("request_object_signing_alg")
	c.UserinfoSignedResponseAlg = r.str("userinfo_signed_response_alg")
	if c.UserinfoSignedResponseAlg == "none" {
		c.UserinfoSignedResponseAlg = "" // Hydra's "none" is oauthreg's default: plain JSON
	}
	c.FrontchannelLogoutURI = r.str("frontchannel_logout_uri")
	c.FrontchannelLogoutSessionRequired, _ = r.boolean("frontchannel_logout_session_required")
	c.PostLogoutRedirectURIs = r.list("post_logout_redirect_uris")
	c.BackchannelLogoutURI = r.str("backchannel_logout_uri")
	c.BackchannelLogoutSessionRequired, _ = r.boolean("backchannel_logout_session_required")
	hydraMetadata(r, c)
	hydraLifetimes(r, c)
	if secret := r.str("client_secret"); secret != "" {
		e.Import.Secrets = []oauthreg.SecretImport{{Hash: secret, Description: "imported from Ory Hydra"}}
	} else if c.TokenEndpointAuthMethod.UsesSecret() {
		e.warn("client_secret", "the export holds no secret (Hydra's admin API never returns it): the client is imported without one; issue one with RotateSecret and hand it over, or import from the hydra_client table instead")
	}
	if exp, ok := r.integer("client_secret_expires_at"); ok && exp > 0 && len(e.Import.Secrets) == 1 {
		at := time.Unix(exp, 0).UTC()
		if !at.After(o.now()) {
			e.refuse(ReasonSecretExpired, "the client's secret expired at %s", at.Format(time.RFC3339))
		}
		e.Import.Secrets[0].ExpiresAt = at
	}
	if skip, _ := r.boolean("skip_consent"); skip {
		e.warn("skip_consent", "Hydra skipped the consent screen for this client; oauthreg keeps no consent setting (add it to Metadata if your server needs it)")
	}
	if s := r.str("access_token_strategy"); s != "" {
		e.warn("access_token_strategy", "Hydra issued %s access tokens to this client; oauthreg issues no tokens and keeps no token format", q(s))
	}
	if r.str("registration_access_token_signature") != "" {
		e.warn("registration_access_token_signature", "the client's RFC 7592 registration access token is not carried over (its hash is Hydra's own); issue one with RotateRegistrationToken")
	}
	r.str("registration_access_token")
	r.get("skip_logout_consent")
	e.warnDropped("columns", r.unused(hydraIgnored...))
	return e
}

// hydraMetadata keeps Hydra's metadata object as Client.Metadata: string
// members as they are, others as their JSON text.
func hydraMetadata(r *record, c *oauthreg.Client) {
	meta := r.object("metadata")
	if len(meta) == 0 {
		return
	}
	c.Metadata = make(map[string]string, len(meta))
	var asText []string
	for k, v := range meta {
		var s string
		if json.Unmarshal(v, &s) == nil {
			c.Metadata[k] = s
		} else {
			c.Metadata[k] = string(v)
			asText = append(asText, q(k))
		}
	}
	if len(asText) > 0 {
		slices.Sort(asText)
		r.e.warn("metadata", "Client.Metadata holds strings: %s kept as JSON text", strings.Join(asText, ", "))
	}
}

// hydraLifetimes reads the per-grant lifespans: nanoseconds in the table,
// Go duration text ("1h0m0s") in the admin API.
func hydraLifetimes(r *record, c *oauthreg.Client) {
	for key, to := range hydraLifespans {
		v := r.get(key)
		if v == nil {
			continue
		}
		var d time.Duration
		var text string
		if json.Unmarshal(v, &text) == nil {
			var err error
			if d, err = time.ParseDuration(text); err != nil {
				r.bad(key, "a duration")
				continue
			}
		} else if n, ok := r.integer(key); ok {
			d = time.Duration(n)
		} else {
			continue
		}
		if d <= 0 {
			continue
		}
		if c.Lifetimes.Grants == nil {
			c.Lifetimes.Grants = map[oauthreg.GrantType]oauthreg.GrantLifetimes{}
		}
		gl := c.Lifetimes.Grants[to.grant]
		switch to.token {
		case oauthreg.TokenAccess:
			gl.AccessToken = d
		case oauthreg.TokenRefresh:
			gl.RefreshToken = d
		case oauthreg.TokenID:
			gl.IDToken = d
		}
		c.Lifetimes.Grants[to.grant] = gl
	}
}

package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/npmtest"
)

// callResult is one RFC 7592 call the driver made with fetch.
type callResult struct {
	Status          int            `json:"status"`
	Body            map[string]any `json:"body"`
	WWWAuthenticate string         `json:"www_authenticate"`
	CacheControl    string         `json:"cache_control"`
}

// registerResult is what testdata/register.mjs prints.
type registerResult struct {
	OK              bool           `json:"ok"`
	Error           string         `json:"error"`
	Status          int            `json:"status"`
	Message         string         `json:"message"`
	Registered      map[string]any `json:"registered"`
	TokenType       string         `json:"token_type"`
	Read            callResult     `json:"read"`
	ReadWrongToken  callResult     `json:"read_wrong_token"`
	Update          callResult     `json:"update"`
	ReadOldToken    callResult     `json:"read_old_token"`
	Delete          callResult     `json:"delete"`
	ReadAfterDelete callResult     `json:"read_after_delete"`
}

// TestOpenIDClient: the npm package openid-client discovers the server,
// registers a client dynamically (RFC 7591), gets a token with the
// credentials it was given, and the same script manages the registration
// (RFC 7592: read, update with token rotation, delete).
func TestOpenIDClient(t *testing.T) {
	dir := npmtest.OpenIDClientDir(t, filepath.Join("testdata", "register.mjs"))
	for _, initial := range []string{"", "initial-access-token"} {
		t.Run("initial token "+map[bool]string{true: "required", false: "none"}[initial != ""], func(t *testing.T) {
			ts, reg := serve(t, initial)
			var res registerResult
			npmtest.Run(t, dir, "register.mjs", map[string]any{
				"issuer": ts.URL, "initial_token": initial,
				"metadata": map[string]any{
					"client_name": "openid-client test", "grant_types": []string{"client_credentials"},
					"token_endpoint_auth_method": "client_secret_basic", "scope": "read",
					"owner": "org-victim", // not client metadata: ignored
				},
			}, &res)
			if !res.OK {
				t.Fatalf("openid-client: %+v", res)
			}
			id, _ := res.Registered["client_id"].(string)
			if id == "" || res.Registered["client_secret"] == nil || res.Registered["registration_access_token"] == nil {
				t.Fatalf("registered: %v", res.Registered)
			}
			if _, ok := res.Registered["owner"]; ok {
				t.Errorf("the registration response shows an owner: %v", res.Registered)
			}
			if !strings.EqualFold(res.TokenType, "Bearer") {
				t.Errorf("client_credentials grant with the registered secret: %+v", res)
			}
			if res.Read.Status != 200 || res.Read.Body["client_id"] != id || res.Read.CacheControl != "no-store" {
				t.Errorf("RFC 7592 read: %+v", res.Read)
			}
			if res.ReadWrongToken.Status != 401 || res.ReadWrongToken.Body["error"] != "invalid_token" || res.ReadWrongToken.WWWAuthenticate == "" {
				t.Errorf("read with a wrong token: %+v", res.ReadWrongToken)
			}
			if res.Update.Status != 200 || res.Update.Body["client_name"] != "renamed by openid-client test" || res.Update.Body["scope"] != nil {
				t.Errorf("RFC 7592 update (full replacement): %+v", res.Update)
			}
			if res.ReadOldToken.Status != 401 {
				t.Errorf("the token before the update's rotation still works: %+v", res.ReadOldToken)
			}
			if res.Delete.Status != 204 || res.ReadAfterDelete.Status != 401 {
				t.Errorf("RFC 7592 delete: %+v then %+v", res.Delete, res.ReadAfterDelete)
			}
			if _, err := reg.Get(t.Context(), id); !errors.Is(err, oauthreg.ErrNotFound) {
				t.Error("the client still exists after the delete")
			}
		})
	}
}

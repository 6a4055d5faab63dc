package clientauth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
	"github.com/oauthreg/oauthreg/memstore"
)

// downStore is a store whose database stopped answering.
type downStore struct {
	oauthreg.Store
	down bool
}

func (s *downStore) GetClient(ctx context.Context, id string) (*oauthreg.Client, error) {
	if s.down {
		return nil, fmt.Errorf("dial tcp 10.0.0.7:5432: %w", oauthreg.ErrUnavailable)
	}
	return s.Store.GetClient(ctx, id)
}

// failingReplay is a replay cache whose database connection was killed.
type failingReplay struct{}

func (failingReplay) UseOnce(context.Context, string, string, time.Time) (bool, error) {
	return false, errors.New("driver: bad connection")
}

// TestStoreOutage: a store outage is 503 temporarily_unavailable for every
// method, a broken replay cache is 500, and neither is a credentials error
// nor leaks the cause.
func TestStoreOutage(t *testing.T) {
	store := &downStore{Store: memstore.New()}
	reg, err := oauthreg.New(store)
	if err != nil {
		t.Fatal(err)
	}
	rs, _, _, _ := testKeys(t)
	basic, basicSecret, err := reg.Register(context.Background(), oauthreg.Client{Owner: "o", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})
	if err != nil {
		t.Fatal(err)
	}
	pk, _, err := reg.Register(context.Background(), oauthreg.Client{Owner: "o", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		TokenEndpointAuthMethod: oauthreg.AuthPrivateKeyJWT, JWKS: jwksOf(t, rs)})
	if err != nil {
		t.Fatal(err)
	}
	auth, err := clientauth.New(reg, clientauth.WithIssuer(testIssuer))
	if err != nil {
		t.Fatal(err)
	}
	assertion := func() *http.Request {
		return formRequest(assertionForm(sign(t, rs.alg, rs.private, rs.kid, validClaims(pk.ID, time.Now()))))
	}
	store.down = true
	for name, r := range map[string]*http.Request{
		"basic":           basicRequest(basic.ID, basicSecret.Reveal(), nil),
		"private_key_jwt": assertion(),
		"client_id only":  formRequest(url.Values{"client_id": {basic.ID}}),
	} {
		_, _, err := auth.Authenticate(r)
		ce := wantError(t, err, clientauth.CodeTemporarilyUnavailable, http.StatusServiceUnavailable)
		if errors.Is(err, oauthreg.ErrInvalidCredentials) || !errors.Is(err, oauthreg.ErrUnavailable) {
			t.Errorf("%s: %v matches the wrong sentinels", name, err)
		}
		w := httptest.NewRecorder()
		clientauth.WriteError(w, ce)
		if w.Code != 503 || strings.Contains(w.Body.String(), "10.0.0.7") {
			t.Errorf("%s: response %d %q", name, w.Code, w.Body.String())
		}
	}

	store.down = false
	broken, err := clientauth.New(reg, clientauth.WithIssuer(testIssuer), clientauth.WithReplayCache(failingReplay{}))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = broken.Authenticate(assertion())
	wantError(t, err, clientauth.CodeServerError, http.StatusInternalServerError)
}

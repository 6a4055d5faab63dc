package clientauth_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
)

// TestSecretMethods: client_secret_basic (with form-encoded halves) and
// client_secret_post authenticate a client registered for them, and only
// for them; the body stays readable for the caller.
func TestSecretMethods(t *testing.T) {
	e := newEnv(t)
	basicC, basicS := e.client(t, oauthreg.AuthClientSecretBasic, func(c *oauthreg.Client) { c.ID = "id with:colon&amp" })
	postC, postS := e.client(t, oauthreg.AuthClientSecretPost)
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"read"}}

	r := basicRequest(basicC.ID, basicS, form)
	c, m, err := e.auth.Authenticate(r)
	if err != nil || c.ID != basicC.ID || m != oauthreg.AuthClientSecretBasic {
		t.Fatalf("basic: %v, %q, %v", c, m, err)
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("scope") != "read" {
		t.Errorf("after Authenticate the caller's ParseForm got %v, %v; want the body intact", r.PostForm, err)
	}

	pf := url.Values{"grant_type": {"client_credentials"}, "client_id": {postC.ID}, "client_secret": {postS}}
	r = formRequest(pf)
	if c, m, err = e.auth.Authenticate(r); err != nil || c.ID != postC.ID || m != oauthreg.AuthClientSecretPost {
		t.Fatalf("post: %v, %q, %v", c, m, err)
	}
	body, _ := io.ReadAll(r.Body)
	if string(body) != pf.Encode() {
		t.Errorf("body after Authenticate = %q, want %q", body, pf.Encode())
	}

	// Right secrets, wrong method: refused.
	_, _, err = e.auth.Authenticate(basicRequest(postC.ID, postS, form))
	wantError(t, err, clientauth.CodeInvalidClient, http.StatusUnauthorized)
	_, _, err = e.auth.Authenticate(formRequest(url.Values{"client_id": {basicC.ID}, "client_secret": {basicS}}))
	wantError(t, err, clientauth.CodeInvalidClient, http.StatusUnauthorized)
	// Wrong secret.
	_, _, err = e.auth.Authenticate(basicRequest(basicC.ID, postS, form))
	wantError(t, err, clientauth.CodeInvalidClient, http.StatusUnauthorized)
	if !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("invalid_client does not match oauthreg.ErrInvalidCredentials: %v", err)
	}
}

// wantError checks an error's code and status.
func wantError(t *testing.T, err error, code string, status int) *clientauth.Error {
	t.Helper()
	var e *clientauth.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *clientauth.Error", err)
	}
	if e.Code != code || e.Status != status {
		t.Fatalf("error = %s/%d (%v), want %s/%d", e.Code, e.Status, e, code, status)
	}
	return e
}

// TestExtractionRefusals: malformed and multiple credentials are
// invalid_request 400; none at all is invalid_client 401.
func TestExtractionRefusals(t *testing.T) {
	e := newEnv(t)
	c, s := e.client(t, oauthreg.AuthClientSecretBasic)
	cases := []struct {
		name   string
		req    func() *http.Request
		code   string
		status int
	}{
		{"basic and post", func() *http.Request {
			return basicRequest(c.ID, s, url.Values{"client_id": {c.ID}, "client_secret": {s}})
		}, clientauth.CodeInvalidRequest, 400},
		{"basic and assertion", func() *http.Request {
			return basicRequest(c.ID, s, assertionForm("a.b.c"))
		}, clientauth.CodeInvalidRequest, 400},
		{"post and assertion", func() *http.Request {
			f := assertionForm("a.b.c")
			f.Set("client_id", c.ID)
			f.Set("client_secret", s)
			return formRequest(f)
		}, clientauth.CodeInvalidRequest, 400},
		{"basic client_id differs from body", func() *http.Request {
			return basicRequest(c.ID, s, url.Values{"client_id": {"other"}})
		}, clientauth.CodeInvalidRequest, 400},
		{"repeated client_id", func() *http.Request {
			return formRequest(url.Values{"client_id": {c.ID, c.ID}, "client_secret": {s}})
		}, clientauth.CodeInvalidRequest, 400},
		{"two Authorization headers", func() *http.Request {
			r := basicRequest(c.ID, s, nil)
			r.Header.Add("Authorization", r.Header.Get("Authorization"))
			return r
		}, clientauth.CodeInvalidRequest, 400},
		{"basic not base64", func() *http.Request {
			r := formRequest(nil)
			r.Header.Set("Authorization", "Basic %%%")
			return r
		}, clientauth.CodeInvalidRequest, 400},
		{"basic without colon", func() *http.Request {
			r := formRequest(nil)
			r.Header.Set("Authorization", "Basic Zm9v")
			return r
		}, clientauth.CodeInvalidRequest, 400},
		{"basic bad percent-encoding", func() *http.Request {
			r := formRequest(nil)
			r.Header.Set("Authorization", "Basic JXp6OnM=") // "%zz:s"
			return r
		}, clientauth.CodeInvalidRequest, 400},
		{"assertion without type", func() *http.Request {
			return formRequest(url.Values{"client_assertion": {"a.b.c"}})
		}, clientauth.CodeInvalidRequest, 400},
		{"assertion type without assertion", func() *http.Request {
			return formRequest(url.Values{"client_assertion_type": {clientauth.AssertionTypeJWTBearer}})
		}, clientauth.CodeInvalidRequest, 400},
		{"unknown assertion type", func() *http.Request {
			return formRequest(url.Values{"client_assertion_type": {"urn:x"}, "client_assertion": {"a.b.c"}})
		}, clientauth.CodeInvalidRequest, 400},
		{"secret without client_id", func() *http.Request {
			return formRequest(url.Values{"client_secret": {s}})
		}, clientauth.CodeInvalidRequest, 400},
		{"body over the limit", func() *http.Request {
			return formRequest(url.Values{"x": {strings.Repeat("a", clientauth.DefaultMaxBodyBytes)}})
		}, clientauth.CodeInvalidRequest, 400},
		{"no credentials", func() *http.Request {
			return formRequest(url.Values{"grant_type": {"client_credentials"}})
		}, clientauth.CodeInvalidClient, 401},
		{"bearer is not client authentication", func() *http.Request {
			r := formRequest(nil)
			r.Header.Set("Authorization", "Bearer x")
			return r
		}, clientauth.CodeInvalidClient, 401},
		{"client_id only, confidential client", func() *http.Request {
			return formRequest(url.Values{"client_id": {c.ID}})
		}, clientauth.CodeInvalidClient, 401},
		{"client_id only, unknown client", func() *http.Request {
			return formRequest(url.Values{"client_id": {"nobody"}})
		}, clientauth.CodeInvalidClient, 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.auth.Authenticate(tc.req())
			ce := wantError(t, err, tc.code, tc.status)
			if strings.Contains(ce.Description, s) || strings.Contains(err.Error(), s) {
				t.Errorf("the error shows the secret: %v", err)
			}
			w := httptest.NewRecorder()
			clientauth.WriteError(w, err)
			if w.Code != tc.status {
				t.Errorf("WriteError status %d, want %d", w.Code, tc.status)
			}
			if got := w.Header().Get("WWW-Authenticate"); (tc.status == 401) != (got != "") {
				t.Errorf("WWW-Authenticate = %q with status %d", got, tc.status)
			}
			if w.Header().Get("Cache-Control") != "no-store" || !strings.Contains(w.Body.String(), `"error":"`+tc.code+`"`) {
				t.Errorf("response %v %q", w.Header(), w.Body.String())
			}
		})
	}
}

// TestPublicClient: a public client authenticates with its client_id
// alone (method none).
func TestPublicClient(t *testing.T) {
	e := newEnv(t)
	pub := e.kit.PublicClient(t)
	c, m, err := e.auth.Authenticate(formRequest(url.Values{"client_id": {pub.ID}, "grant_type": {"authorization_code"}}))
	if err != nil || c.ID != pub.ID || m != oauthreg.AuthNone {
		t.Fatalf("public client: %v %q %v", c, m, err)
	}
	a2, err := clientauth.New(e.kit.Registry, clientauth.WithMethods(oauthreg.AuthClientSecretBasic))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = a2.Authenticate(formRequest(url.Values{"client_id": {pub.ID}}))
	wantError(t, err, clientauth.CodeInvalidClient, 401)
}

// TestWriteErrorServerFailures: store outages are 503, other errors 500,
// and their text is never sent.
func TestWriteErrorServerFailures(t *testing.T) {
	w := httptest.NewRecorder()
	clientauth.WriteError(w, errors.Join(oauthreg.ErrUnavailable, errors.New("db host 10.0.0.7 down")))
	if w.Code != 503 || strings.Contains(w.Body.String(), "10.0.0.7") || !strings.Contains(w.Body.String(), "temporarily_unavailable") {
		t.Errorf("503 case: %d %q", w.Code, w.Body.String())
	}
	w = httptest.NewRecorder()
	clientauth.WriteError(w, errors.New("boom"))
	if w.Code != 500 || strings.Contains(w.Body.String(), "boom") {
		t.Errorf("500 case: %d %q", w.Code, w.Body.String())
	}
}

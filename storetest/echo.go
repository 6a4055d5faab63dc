package storetest

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
)

// maxErrorLen is the longest error message the suite accepts from a store:
// enough for any sentence about a client, far below the megabytes an
// unbounded echo of the input produces.
const maxErrorLen = 2048

// testErrorEcho holds a store to oauthreg.SanitizeInput's rule: an error
// never echoes its input unbounded, and never repeats a secret that a caller
// sent where a client ID or a cursor belongs (a client that swapped its ID
// and its secret), whatever surrounds it.
func (s suite) testErrorEcho(t *testing.T) {
	secret := secretShaped()
	huge := strings.Repeat("x-", 1<<19) // 1 MiB
	inputs := map[string]string{
		"secret":              secret,
		"upper-cased secret":  strings.ToUpper(secret),
		"secret and newline":  secret + "\n",
		"quoted secret":       `"` + secret + `"`,
		"client: and secret":  "client:" + secret,
		"secret and NUL":      secret + "\x00",
		"1 MiB ID":            huge,
		"1 MiB ID and secret": huge + secret,
	}
	check := func(t *testing.T, call string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s returned no error", call)
			return
		}
		msg := err.Error()
		if len(msg) > maxErrorLen {
			t.Errorf("%s: the error is %d bytes long, more than %d: echo input through oauthreg.SanitizeInput", call, len(msg), maxErrorLen)
		}
		if leaksSecret(msg, secret) {
			t.Errorf("%s: the error repeats the secret given as input: %.300q", call, msg)
		}
	}
	s.run(t, "UnknownClient", func(t *testing.T, st oauthreg.Store) {
		ctx := t.Context()
		for name, id := range inputs {
			_, err := st.GetClient(ctx, id)
			check(t, "GetClient("+name+")", err)
			check(t, "DeleteClient("+name+")", st.DeleteClient(ctx, id))
			check(t, "TouchClient("+name+")", st.TouchClient(ctx, id, "s1", BaseTime()))
			c := NewClient("echo")
			c.ID, c.Version = id, 1
			check(t, "UpdateClient("+name+")", st.UpdateClient(ctx, c))
			// A store may read some of these as cursors; those it refuses
			// must be refused in a bounded, redacted message.
			if _, err = st.ListClients(ctx, oauthreg.ListQuery{Cursor: id}); err != nil {
				check(t, "ListClients(cursor: "+name+")", err)
			}
		}
	})
	s.run(t, "DuplicateClient", func(t *testing.T, st oauthreg.Store) {
		// A client ID that is secret-shaped but otherwise ordinary.
		c := NewClient(strings.TrimPrefix(secret, "oauthreg_"))
		mustCreate(t, st, c)
		dup := NewClient(c.ID)
		check(t, "CreateClient(secret-shaped ID, again)", st.CreateClient(t.Context(), dup))
	})
}

// secretShaped returns a string in the shape of a generated secret.
func secretShaped() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, 75)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return "oauthreg_" + string(b)
}

// leaksSecret reports whether msg holds oauthreg.SecretShapedRun
// consecutive characters of secret, in any case.
func leaksSecret(msg, secret string) bool {
	msg, secret = strings.ToLower(msg), strings.ToLower(secret)
	for i := 0; i+oauthreg.SecretShapedRun <= len(secret); i++ {
		if strings.Contains(msg, secret[i:i+oauthreg.SecretShapedRun]) {
			return true
		}
	}
	return false
}

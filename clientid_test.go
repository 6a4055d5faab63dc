package oauthreg_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// invalidClientIDs break ValidClientID in every way it checks.
var invalidClientIDs = map[string]string{
	"empty":         "",
	"NUL":           "client\x00id",
	"invalid UTF-8": "client\xff\xfe",
	"non-ASCII":     "clïent",
	"newline":       "client\n",
	"256 bytes":     strings.Repeat("a", 256),
	"2 MB":          strings.Repeat("a", 2<<20),
}

func TestValidClientID(t *testing.T) {
	for name, id := range invalidClientIDs {
		if oauthreg.ValidClientID(id) {
			t.Errorf("ValidClientID(%s) = true", name)
		}
		// Validation and ValidClientID are one rule.
		c := oauthreg.Client{ID: id, TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic, GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}}
		var ve *oauthreg.ValidationError
		if err := c.Validate(); !errors.As(err, &ve) || ve.Field != "client_id" {
			t.Errorf("Validate(ID %s) = %v, want a client_id ValidationError", name, err)
		}
	}
	for _, id := range []string{"a", " ", "~", strings.Repeat("z", 255), "urn:example:client/1?x=y"} {
		if !oauthreg.ValidClientID(id) {
			t.Errorf("ValidClientID(%q) = false", id)
		}
	}
}

// recordingStore records the IDs its GetClient is asked for.
type recordingStore struct {
	oauthreg.Store
	mu   sync.Mutex
	gets []string
}

func (s *recordingStore) GetClient(ctx context.Context, id string) (*oauthreg.Client, error) {
	s.mu.Lock()
	s.gets = append(s.gets, id)
	s.mu.Unlock()
	return s.Store.GetClient(ctx, id)
}

// An invalid client ID takes the path of an unknown client: one store read
// (of a decoy ID, never the presented one), a decoy verification, an
// auth.failed event with ReasonUnknownClient and ErrInvalidCredentials.
func TestAuthenticateInvalidClientIDIsUnknownClient(t *testing.T) {
	st := &recordingStore{Store: memstore.New()}
	var events []oauthreg.Event
	reg, err := oauthreg.New(st, oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
		events = append(events, e)
	})))
	if err != nil {
		t.Fatal(err)
	}
	c, secret, err := reg.Register(ctx, oauthreg.Client{Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range invalidClientIDs {
		for kind, presented := range map[string]string{"generated": secret.Reveal(), "supplied": "correct horse battery staple"} {
			st.gets, events = nil, nil
			if _, err := reg.Authenticate(ctx, id, presented); err != oauthreg.ErrInvalidCredentials {
				t.Errorf("%s ID, %s secret: %v, want ErrInvalidCredentials", name, kind, err)
			}
			if len(st.gets) != 1 || st.gets[0] == id {
				t.Errorf("%s ID, %s secret: store reads %d (presented ID read: %v), want one read of a decoy ID", name, kind, len(st.gets), len(st.gets) > 0 && st.gets[0] == id)
			}
			if len(events) != 1 || events[0].Type != oauthreg.EventAuthFailed || events[0].Reason != oauthreg.ReasonUnknownClient {
				t.Errorf("%s ID, %s secret: events %+v, want one auth.failed with reason unknown_client", name, kind, events)
			}
		}
		st.gets = nil
		if _, err := reg.Get(ctx, id); !errors.Is(err, oauthreg.ErrNotFound) {
			t.Errorf("Get(%s ID): %v, want ErrNotFound", name, err)
		}
		if err := reg.Delete(ctx, id); !errors.Is(err, oauthreg.ErrNotFound) {
			t.Errorf("Delete(%s ID): %v, want ErrNotFound", name, err)
		}
		if _, err := reg.RotateSecret(ctx, id); !errors.Is(err, oauthreg.ErrNotFound) {
			t.Errorf("RotateSecret(%s ID): %v, want ErrNotFound", name, err)
		}
		if len(st.gets) != 0 {
			t.Errorf("%s ID reached the store: %d reads", name, len(st.gets))
		}
	}
	if _, err := reg.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Fatalf("the valid client no longer authenticates: %v", err)
	}
}

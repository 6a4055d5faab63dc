package oauthregtest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg/oauthregtest"
)

// In a test of your own OAuth handlers: a registry, a client and a clock in
// three lines.
func ExampleNew() {
	t := &testing.T{} // in a real test, the *testing.T you are given
	kit := oauthregtest.New(t)
	client, secret := kit.ConfidentialClient(t)

	// Drive your token endpoint with client.ID and secret.Reveal(); here we
	// call the registry directly.
	next, _ := kit.RotateSecret(context.Background(), client.ID)
	kit.Clock.Advance(25 * time.Hour) // past the default 24 h grace period

	_, errOld := kit.Authenticate(context.Background(), client.ID, secret.Reveal())
	_, errNew := kit.Authenticate(context.Background(), client.ID, next.Reveal())
	fmt.Println("old secret works:", errOld == nil, "new secret works:", errNew == nil)
	// Output:
	// old secret works: false new secret works: true
}

func TestKit(t *testing.T) {
	kit := oauthregtest.New(t)
	c, s := kit.ConfidentialClient(t)
	if _, err := kit.Authenticate(context.Background(), c.ID, s.Reveal()); err != nil {
		t.Fatal(err)
	}
	p := kit.PublicClient(t)
	if !p.Public || len(p.Secrets) != 0 {
		t.Fatalf("public client: %+v", p)
	}
	before := kit.Clock.Now()
	kit.Clock.Advance(time.Hour)
	if !kit.Clock.Now().Equal(before.Add(time.Hour)) || !before.Equal(oauthregtest.Epoch) {
		t.Fatal("clock")
	}
	var zero oauthregtest.Clock
	if !zero.Now().Equal(oauthregtest.Epoch) {
		t.Fatal("zero clock must start at Epoch")
	}
}

package oauthreg

import (
	"errors"
	"slices"
	"testing"
)

func TestGrantScopes(t *testing.T) {
	c := &Client{ID: "c", Scopes: []string{"read", "write", "admin"}}
	for requested, want := range map[string][]string{
		"":                {"read", "write", "admin"},
		"read":            {"read"},
		" write  read ":   {"write", "read"},
		"read read write": {"read", "write"},
	} {
		got, err := c.GrantScopes(requested)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("GrantScopes(%q) = %v, %v; want %v", requested, got, err, want)
		}
	}
	for _, bad := range []string{"delete", "read delete", "bad\"scope", "read\tx"} {
		if _, err := c.GrantScopes(bad); !errors.Is(err, ErrInvalidScope) {
			t.Errorf("GrantScopes(%q): %v, want ErrInvalidScope", bad, err)
		}
	}
	got, _ := c.GrantScopes("")
	got[0] = "mutated"
	if c.Scopes[0] != "read" {
		t.Fatal("GrantScopes returned the client's own slice")
	}
}

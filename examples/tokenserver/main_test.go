package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/oauthreg/oauthreg"
)

func TestParseFlags(t *testing.T) {
	noEnv := func(string) string { return "" }
	env := func(k string) string {
		if k == "OAUTHREG_CONFIG" {
			return "/etc/oauthreg.conf"
		}
		return ""
	}
	for _, tc := range []struct {
		args   []string
		getenv func(string) string
		want   config
	}{
		{nil, noEnv, config{addr: "127.0.0.1:8080"}},
		{nil, env, config{addr: "127.0.0.1:8080", configFile: "/etc/oauthreg.conf"}},
		{[]string{"-db", "x.db", "-addr", ":9000", "-new-demo-secret", "-config", "c.conf"}, env, config{dsn: "x.db", addr: ":9000", newDemoSecret: true, configFile: "c.conf"}},
	} {
		got, err := parseFlags(tc.args, tc.getenv)
		if err != nil || got != tc.want {
			t.Errorf("parseFlags(%q) = %+v, %v; want %+v", tc.args, got, err, tc.want)
		}
	}
	for _, bad := range [][]string{{"stray"}, {"-bogus"}} {
		var ue *usageError
		if _, err := parseFlags(bad, noEnv); !errors.As(err, &ue) {
			t.Errorf("parseFlags(%q) = %v, want a usage error (exit 2)", bad, err)
		}
	}
	if defaultDB() == filepath.Join(os.TempDir(), "oauthreg-tokenserver.db") {
		t.Error("the default database is shared by every user of the machine")
	}
}

var (
	secretLine = regexp.MustCompile(`client_secret: (\S+)`)
	listenLine = regexp.MustCompile(`listening on (http://\S+)`)
)

// startApp starts the command as main does, on dsn and a free port.
func startApp(t *testing.T, dsn string, extra ...string) (*app, string) {
	t.Helper()
	var out bytes.Buffer
	getenv := func(k string) string {
		if k == "OAUTHREG_DB" {
			return dsn
		}
		return ""
	}
	a, err := start(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, extra...), getenv, &out)
	if err != nil {
		t.Fatal(err)
	}
	return a, out.String()
}

// stop shuts a started app down as a signal would.
func stop(t *testing.T, a *app) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.serve(ctx); err != nil {
		t.Fatal(err)
	}
}

// The first start registers the demo client and prints its secret once; the
// curl line works as printed; later starts print no secret unless asked.
func TestDemoClientBootstrap(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tokenserver.db")

	a, out := startApp(t, dsn)
	m, l := secretLine.FindStringSubmatch(out), listenLine.FindStringSubmatch(out)
	if m == nil || l == nil || strings.Count(out, m[1]) != 1 {
		t.Fatalf("first start: want the secret printed once and the address:\n%s", out)
	}
	secret, base := m[1], l[1]
	if !strings.Contains(out, "client_id:     "+demoClientID) ||
		!strings.Contains(out, `curl -s -u "tokenserver-demo:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=read `+base+"/token") {
		t.Errorf("first start output:\n%s", out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.serve(ctx) }()
	cfg := clientcredentials.Config{ClientID: demoClientID, ClientSecret: secret, TokenURL: base + "/token",
		Scopes: []string{"read"}, AuthStyle: oauth2.AuthStyleInHeader}
	tok, err := cfg.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Extra("expires_in") != float64(demoTokenTTL/time.Second) || tok.Extra("scope") != "read" {
		t.Errorf("demo token: %v %v", tok.Extra("expires_in"), tok.Extra("scope"))
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}

	// Second start on the same database: the client is there, no secret.
	a, out = startApp(t, dsn)
	if secretLine.MatchString(out) || !strings.Contains(out, "already registered") {
		t.Errorf("second start:\n%s", out)
	}
	stop(t, a)

	// -new-demo-secret: a new secret, and the old one is dead.
	a, out = startApp(t, dsn, "-new-demo-secret")
	m = secretLine.FindStringSubmatch(out)
	if m == nil || m[1] == secret {
		t.Fatalf("-new-demo-secret:\n%s", out)
	}
	if _, err := a.reg.Authenticate(context.Background(), demoClientID, secret); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("old secret after -new-demo-secret: %v", err)
	}
	if _, err := a.reg.Authenticate(context.Background(), demoClientID, m[1]); err != nil {
		t.Errorf("new secret: %v", err)
	}
	stop(t, a)
}

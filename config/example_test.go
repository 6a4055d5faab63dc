package config_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/memstore"
)

// A token server and its admin tool read the same file; key material stays
// in a file of its own (or the environment) and is never printed.
func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "oauthreg-config")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "pepper"), []byte("2025-06:c2l4dGVlbiBieXRlcyBvZiBwZXBwZXIh\n"), 0o600)
	_ = os.WriteFile(filepath.Join(dir, "oauthreg.conf"), []byte(`
OAUTHREG_DATABASE=postgres://oauth:secret@db.internal:5432/oauth
OAUTHREG_SECRET_PREFIX=acme_
OAUTHREG_GRACE_PERIOD=7d
OAUTHREG_SECRET_LIFETIME=90d
OAUTHREG_PEPPER_FILE=pepper
`), 0o600)

	// A real program passes os.Getenv, so that the environment wins.
	cfg, err := config.Load(filepath.Join(dir, "oauthreg.conf"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg)
	opts, err := cfg.Options()
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = oauthreg.New(memstore.New(), opts...) // in a real program: a sqlstore on cfg.ParsedDatabase()
	fmt.Println("registry:", err)
	// Output:
	// database=postgres://oauth@db.internal:5432/oauth prefix="acme_" grace=7d lifetime=90d max_active=2 owner_only=false peppers=[2025-06] keys=[] cursor_key=false
	// registry: <nil>
}

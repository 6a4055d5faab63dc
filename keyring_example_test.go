package oauthreg_test

import (
	"encoding/base64"
	"fmt"

	"github.com/oauthreg/oauthreg"
)

// A key ring lets the Registry keep secrets retrievable. Generate each key
// once, keep its bytes in your secrets manager (not in the database), and
// build the ring from them at start-up.
func ExampleNewKeyRing() {
	// Once, in a setup tool: generate a key and store it, e.g. base64-encoded.
	key, err := oauthreg.GenerateKey("2030-01", oauthreg.AES256GCM)
	if err != nil {
		panic(err)
	}
	stored := base64.StdEncoding.EncodeToString(key.Secret)

	// At start-up: load the key and build the ring.
	keyBytes, err := base64.StdEncoding.DecodeString(stored)
	if err != nil {
		panic(err)
	}
	ring, err := oauthreg.NewKeyRing(oauthreg.Key{ID: "2030-01", Algorithm: oauthreg.AES256GCM, Secret: keyBytes})
	if err != nil {
		panic(err)
	}
	fmt.Println("sealing under:", ring.PrimaryID())

	// Half a year later: a new primary key; the old one stays until Reseal
	// has moved every secret off it.
	next, err := oauthreg.GenerateKey("2030-07", oauthreg.XChaCha20Poly1305)
	if err != nil {
		panic(err)
	}
	ring, err = oauthreg.NewKeyRing(next, oauthreg.Key{ID: "2030-01", Algorithm: oauthreg.AES256GCM, Secret: keyBytes})
	if err != nil {
		panic(err)
	}
	fmt.Println("sealing under:", ring.PrimaryID())

	// Keys and rings never print their bytes.
	fmt.Println(ring)
	fmt.Println(next)

	// Mistakes are reported with what is wrong.
	_, err = oauthreg.NewKeyRing(oauthreg.Key{ID: "2030-01", Algorithm: oauthreg.AES256GCM, Secret: keyBytes[:16]})
	fmt.Println(err)
	// Output:
	// sealing under: 2030-01
	// sealing under: 2030-07
	// KeyRing{Primary:2030-07 Keys:[2030-07(XC20P) 2030-01(A256GCM)]}
	// Key{ID:2030-07 Algorithm:XC20P Secret:[REDACTED]}
	// oauthreg: invalid configuration: key "2030-01": secret is 16 bytes; A256GCM needs exactly 32 random bytes (see GenerateKey)
}

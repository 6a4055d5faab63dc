package oauthreg_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// A Spring Security application whose PasswordEncoder was
//
//	Pbkdf2PasswordEncoder enc = new Pbkdf2PasswordEncoder(secret, 16, 1000,
//	        Pbkdf2PasswordEncoder.SecretKeyFactoryAlgorithm.PBKDF2WithHmacSHA512);
//	enc.setEncodeHashAsBase64(true);
//
// wrote hashes nothing in them describes. ImportSecret takes the encoder's
// settings, and the Registry its secret (from a file or the environment, at
// every start), so the hash keeps verifying after the import.
func ExampleWithSpringPBKDF2() {
	ctx := context.Background()
	// In a server: read from a file or the environment, never a flag.
	encoderSecret := []byte("pepper-of-the-encoder")
	reg, err := oauthreg.New(memstore.New(), oauthreg.WithSpringPBKDF2Secret("legacy-app", encoderSecret))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	client, _, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme"})

	settings := oauthreg.SpringPBKDF2Settings{
		Algorithm:  "PBKDF2WithHmacSHA512",
		Iterations: 1000,
		SaltLength: 16,
		Base64:     true,
		SecretID:   "legacy-app",
	}
	const exported = "AAECAwQFBgcICQoLDA0OD7vno+VIW1GbObTXklb6sKkLGk5Xj1slwvQiIoab9inLKDs9vgjYWjXH9eErwTsDkW34erojYHnojeq6t89Kelg="
	rec, err := reg.ImportSecret(ctx, client.ID, exported, oauthreg.WithSpringPBKDF2(settings))
	fmt.Println(err, rec.Kind)
	// Stored self-described, naming the encoder's secret without holding it.
	fmt.Println(strings.SplitAfter(rec.Hash.Reveal(), "$")[1:3])

	_, err = reg.Authenticate(ctx, client.ID, "password")
	fmt.Println(err == nil)
	// Output:
	// <nil> imported
	// [spring-pbkdf2-sha512$ i=1000,k=legacy-app$]
	// true
}

package oauthreg

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// hashFuzzSeeds are valid and broken encodings of every kind, the seed
// corpus of both fuzz targets (run as ordinary tests by go test), with the
// foreign vectors of testdata (go-crypt, glibc, passlib).
func hashFuzzSeeds(tb testing.TB) []string {
	seeds := []string{
		hydraPBKDF2SHA256, hydraPBKDF2SHA512, hydraArgon2id, hydraArgon2i, hydraBcrypt12,
		computedHydraSHA256, computedHydraSHA512,
		"{bcrypt}" + hydraBcrypt12, "{argon2}" + hydraArgon2id, " " + hydraArgon2id + "\n",
		"$2b$04$" + hydraBcrypt12[7:], "$2y$05$" + hydraBcrypt12[7:], "$2x$04$" + hydraBcrypt12[7:],
		"$sha256$" + strings.Repeat("A", 43), "$hmac-sha256$k=p1$" + strings.Repeat("A", 43),
		"$sha256-keyed$k=p1$" + strings.Repeat("A", 43), "$sha256-keyed$k=$", "$sha256-keyed$k=p1$",
		"$hmac-sha256$k=p0$" + strings.Repeat("/", 42) + "w",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 43),
		"$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$" + strings.Repeat("A", 22),
		"$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$" + strings.Repeat("A", 22),
		"$argon2id$v=19$m=8,t=18446744073709551616,p=1$c2FsdHNhbHQ$AAAA",
		"$argon2id$v=19$m=8,t=1,p=1$$", "$argon2i$v=16$m=8,t=1,p=1$c2FsdHNhbHQ$AAAA",
		"$pbkdf2-sha256$i=1000,l=16$c2FsdHNhbHQ$" + strings.Repeat("A", 22),
		"$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$" + strings.Repeat("A", 22),
		"$pbkdf2-sha1$i=1000,l=20,l=20$c2FsdHNhbHQ$AAAA", "$pbkdf2-sha256$i=,l=$$",
		"$pbkdf2$1000$c2FsdHNhbHQ$" + strings.Repeat(".", 27), "$pbkdf2$01000$$", "$pbkdf2$99999999999999999999999$$",
		"", "$", "$$", "$$$$$$", "{", "{}", "{bcrypt}", "{argon2}", "$2a$", "$2a$99$", "$argon2id$", "$pbkdf2-sha512$",
		"$sha256$", "$hmac-sha256$k=", "$hmac-sha256$k=$$", "\x00$sha256$\xff", "$argon2id$v=19$m=8,t=1,p=1$\n$\r",
	}
	for _, v := range passlibVectors {
		seeds = append(seeds, v.hash)
	}
	for _, v := range openwallBcryptVectors {
		seeds = append(seeds, v.hash)
	}
	for _, v := range springVectorsInternal {
		seeds = append(seeds, v)
	}
	seeds = append(seeds, "{scrypt}$$$", "{scrypt}$14ffff$AA$AA", "{pbkdf2}", "{sha256}", "{noop}")
	for _, file := range []string{"gocrypt_vectors.json", "glibc_shacrypt_vectors.json", "passlib_doc_vectors.json"} {
		for _, v := range loadHashVectors(tb, file) {
			seeds = append(seeds, v.Hash)
		}
	}
	seeds = append(seeds, "$5$", "$6$$", "$6$rounds=$$", "$6$rounds=1000$", "$5$rounds=4294967296$s$", "$6$s$"+strings.Repeat(".", 86),
		"$5$s$"+strings.Repeat("z", 43), "$scrypt$", "$scrypt$ln=1,r=1,p=1$$", "$scrypt$ln=20,r=1,p=16$c2FsdHNhbHQ$"+strings.Repeat("A", 22),
		"$bcrypt-sha256$", "$bcrypt-sha256$v=2,t=2b,r=4$$", "$bcrypt-sha256$2b,12$"+strings.Repeat(".", 22)+"$"+strings.Repeat(".", 31),
		"$bcrypt-sha256$v=2,t=2a,r=4$"+strings.Repeat("u", 22)+"$"+strings.Repeat("/", 31),
		"$pbkdf2-sha224$1000$c2FsdHNhbHQ$"+strings.Repeat(".", 38), "$pbkdf2-sha384$1000$c2FsdHNhbHQ$"+strings.Repeat("A", 64),
		"$spring-pbkdf2-sha512$i=1000,k=app-1$AAECAwQFBgcICQoLDA0ODw$u+ej5UhbUZs5tNeSVvqwqQsaTlePWyXC9CIihpv2KcsoOz2+CNhaNcf14SvBOwORbfh6uiNgeeiN6rq3z0p6WA",
		"$spring-pbkdf2-sha1$i=2000$obLD1OX2Bxg$lQpkjdQbAAELfgT6FA6nSirl",
		"$spring-pbkdf2-sha256$i=1000,k=$c2FsdHNhbHQ$"+strings.Repeat("A", 22), "$spring-pbkdf2-md5$i=1000$$", "$spring-pbkdf2-sha1$k=x,i=1000$$",
		"{pbkdf2@SpringSecurity_v5_8}8f7e6d5c4b3a29180f1e2d3c4b5a6978207b0917c103dfdae687fbe2c9ce209add5cb37526a5121fddf9c409d8a6d5c3",
		"{scrypt@SpringSecurity_v5_8}$e0801$AA$AA", "{argon2@SpringSecurity_v5_8}$2a$04$")
	return seeds
}

// FuzzParseImportedHash checks that no input panics, that every refusal
// wraps ErrUnsupportedHash, and that what is accepted is normalised: the
// result parses again to itself, and verify accepts it.
func FuzzParseImportedHash(f *testing.F) {
	for _, s := range hashFuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		out, err := parseImportedHash(encoded)
		if err != nil {
			if !errors.Is(err, ErrUnsupportedHash) {
				t.Fatalf("parseImportedHash(%q): error %v does not wrap ErrUnsupportedHash", encoded, err)
			}
			if out != "" {
				t.Fatalf("parseImportedHash(%q) returned %q with an error", encoded, out)
			}
			return
		}
		again, err := parseImportedHash(out)
		if err != nil || again != out {
			t.Fatalf("parseImportedHash(%q) = %q, but that normalises to %q, %v", encoded, out, again, err)
		}
		if _, err := parseHash(out); err != nil {
			t.Fatalf("verify would refuse the normalised %q: %v", out, err)
		}
	})
}

// FuzzVerify checks that verify and verifyGenerated never panic on any
// encoding and secret, that verify's only errors are ErrUnsupportedHash (the
// context never ends here), that outdated implies ok, and that both agree on
// the generated encodings. Hashes whose parameters would make one run slow
// are only parsed.
func FuzzVerify(f *testing.F) {
	for i, s := range hashFuzzSeeds(f) {
		f.Add(s, []string{"test", "password", "", upassWAV, strings.Repeat("x", 73)}[i%5])
	}
	plain := mustHasher(f, hasherConfig{})
	f.Add(plain.hashGenerated("generated"), "generated")
	old := mustHasher(f, hasherConfig{PepperID: "p0", Pepper: testPepper1})
	f.Add(old.hashGenerated("generated"), "generated")
	h := mustHasher(f, hasherConfig{PepperID: "p1", Pepper: testPepper2, RetiredPeppers: map[string][]byte{"p0": testPepper1}, MaxArgon2: 2})
	f.Add(h.hashGenerated("generated"), "generated")
	f.Add(h.hashGenerated("generated"), "generatee")
	f.Add(hmacHash("p1", testPepper2, "generated"), "generated")
	f.Add(hmacHash("p0", testPepper1, "generated"), "generated")
	f.Add("$sha256-keyed$k=p1$"+strings.Repeat("A", 43), "generated")
	f.Add(cheapArgon2id("cheap"), "cheap")

	f.Fuzz(func(t *testing.T, encoded, secret string) {
		res := h.verifyGenerated(encoded, secret)
		gOK, gOutdated := res.ok(), res == generatedOutdated
		h.decoyVerifyGenerated(secret)

		sh, err := parseHash(encoded)
		if err == nil && tooSlowToFuzz(sh) {
			return
		}
		ok, outdated, err := h.verify(context.Background(), encoded, secret)
		if err != nil {
			if !errors.Is(err, ErrUnsupportedHash) {
				t.Fatalf("verify(%q, %q): error %v does not wrap ErrUnsupportedHash", encoded, secret, err)
			}
			if ok || outdated {
				t.Fatalf("verify(%q, %q) = %v, %v with error %v", encoded, secret, ok, outdated, err)
			}
			return
		}
		if outdated && !ok {
			t.Fatalf("verify(%q, %q): outdated without ok", encoded, secret)
		}
		if _, generated := sh.(*generatedHash); generated && (ok != gOK || outdated != gOutdated) {
			t.Fatalf("verify(%q, %q) = %v, %v but verifyGenerated = %v, %v", encoded, secret, ok, outdated, gOK, gOutdated)
		}
		if gOK && !ok {
			t.Fatalf("verifyGenerated(%q, %q) accepted what verify refused", encoded, secret)
		}
	})
}

// tooSlowToFuzz reports whether verifying sh would take more than a few
// milliseconds.
func tooSlowToFuzz(sh storedHash) bool {
	switch v := sh.(type) {
	case *argon2Hash:
		return uint64(v.memory)*uint64(v.time) > 1<<15
	case *bcryptHash:
		return v.cost > 6
	case *pbkdf2Hash:
		return v.iter > 30000
	case *springPBKDF2Hash:
		return v.iter > 30000
	case *shaCryptHash:
		return v.rounds > 20000
	case *scryptHash:
		return v.memoryKiB()*uint64(v.p) > 4096
	case *bcryptSHA256Hash:
		return v.cost > 6
	}
	return false
}

// springVectorsInternal are the Spring Security documentation's hashes of
// "password" (hash_spring_test.go checks they verify).
var springVectorsInternal = []string{
	"{pbkdf2}5d923b44a6d129f3ddf3e3c8d29412723dcbde72445e8ef6bf3b508fbf17fa4ed4d6b99ca763d8dc",
	"{scrypt}$e0801$8bWJaSu2IKSn9Z9kM+TPXfOc/9bdYSrN1oD9qfVThWEwdRTnO7re7Ei+fUZRJ68k9lTyuTeUp4of4g24hHnazw==$OAOec05+bXxvuu/1qZ6NUR+xQYvYv7BeL1QxwRpY5Pc=",
	"{sha256}97cde38028ad898ebc02e690819fa220e88c62e0699403e94fff291cfffaf8410849f27605abcbc0",
}

// FuzzSpringPBKDF2Import checks that reading a Spring Pbkdf2PasswordEncoder
// hash under any settings never panics, refuses only with
// ErrUnsupportedHash, and turns what it accepts into a
// "$spring-pbkdf2-…$" encoding that parses back to itself and keeps the
// settings.
func FuzzSpringPBKDF2Import(f *testing.F) {
	for _, s := range []struct {
		alg           string
		iter, salt, w int
		b64           bool
		id, hash      string
	}{
		{"PBKDF2WithHmacSHA512", 1000, 16, 0, true, "app-1", "AAECAwQFBgcICQoLDA0OD7vno+VIW1GbObTXklb6sKkLGk5Xj1slwvQiIoab9inLKDs9vgjYWjXH9eErwTsDkW34erojYHnojeq6t89Kelg="},
		{"PBKDF2WithHmacSHA1", 2000, 8, 0, false, "", "{pbkdf2}a1b2c3d4e5f60718950a648dd41b00010b7e04fa140ea74a2ade0d64"},
		{"PBKDF2WithHmacSHA256", 1500, 24, 128, false, "s", "00112233445566778899aabbccddeeff0011223344556677ed1f015729f2abf852e574578f730899"},
		{"PBKDF2WithHmacSHA1", 185000, 8, 256, false, "", "{pbkdf2}5d923b44a6d129f3ddf3e3c8d29412723dcbde72445e8ef6bf3b508fbf17fa4ed4d6b99ca763d8dc"},
		{"PBKDF2WithHmacSHA256", 1000, 8, 256, true, "a b", "{x"},
		{"", 0, 0, 0, false, "", ""},
		{"PBKDF2WithHmacSHA512", 1 << 40, -1, -8, true, "$", "====$"},
	} {
		f.Add(s.alg, s.iter, s.salt, s.w, s.b64, s.id, s.hash)
	}
	f.Fuzz(func(t *testing.T, alg string, iter, saltLen, width int, b64 bool, id, encoded string) {
		settings := SpringPBKDF2Settings{Algorithm: alg, Iterations: iter, SaltLength: saltLen, HashWidth: width, Base64: b64, SecretID: id}
		sp, err := fromSpringPBKDF2(settings, encoded)
		if err != nil {
			if !errors.Is(err, ErrUnsupportedHash) {
				t.Fatalf("fromSpringPBKDF2(%+v, %q): error %v does not wrap ErrUnsupportedHash", settings, encoded, err)
			}
			return
		}
		out := sp.String()
		again, err := parseHash(out)
		if err != nil || again.String() != out {
			t.Fatalf("fromSpringPBKDF2(%+v, %q) = %q, which parses to %v, %v", settings, encoded, out, again, err)
		}
		if len(sp.salt) != saltLen || sp.iter != iter || sp.secretID != id {
			t.Fatalf("fromSpringPBKDF2(%+v, %q) = %q: the settings were not kept", settings, encoded, out)
		}
	})
}

// FuzzForeignPlaintext checks that reading {noop}, $plaintext$ and $base64$
// never panics, refuses only with ErrUnsupportedHash, and recognises
// exactly the inputs that start with one of the prefixes (after ASCII
// whitespace).
func FuzzForeignPlaintext(f *testing.F) {
	for _, s := range []string{"{noop}secret", "$plaintext$a$b", "$base64$Y2xpZW50LXNlY3JldC1.fj4.", "$base64$!!", " \n{noop}x\r\n", "$base64$", "$plaintext", "{noop", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		plain, ok, err := foreignPlaintext(encoded)
		trimmed := strings.TrimLeft(encoded, importSpace)
		prefixed := strings.HasPrefix(trimmed, "{noop}") || strings.HasPrefix(trimmed, "$plaintext$") || strings.HasPrefix(trimmed, "$base64$")
		if ok != prefixed {
			t.Fatalf("foreignPlaintext(%q): ok = %v", encoded, ok)
		}
		if err != nil && (!errors.Is(err, ErrUnsupportedHash) || plain != "") {
			t.Fatalf("foreignPlaintext(%q) = %q, %v", encoded, plain, err)
		}
		if strings.HasSuffix(plain, "\n") && !strings.HasPrefix(trimmed, "$base64$") {
			t.Fatalf("foreignPlaintext(%q) kept a line ending: %q", encoded, plain)
		}
	})
}

package oauthreg

import (
	"strings"
	"testing"
)

// A refused supplied secret's error names where the offending byte is, and
// its value only when it is a control byte: a byte of a non-ASCII character
// is part of the secret and is not echoed.
func TestCheckSuppliedSecretEchoesNoSecretByte(t *testing.T) {
	base := strings.Repeat("a", MinSuppliedSecretLen)
	err := checkSuppliedSecret(base + "é")
	if err == nil {
		t.Fatal("a non-ASCII secret was accepted")
	}
	for _, b := range []string{"0xc3", "0xa9", "é"} {
		if strings.Contains(err.Error(), b) {
			t.Errorf("error %q echoes a byte of the secret (%s)", err, b)
		}
	}
	if !strings.Contains(err.Error(), "non-ASCII") {
		t.Errorf("error %q does not say what is wrong", err)
	}
	err = checkSuppliedSecret(base + "\n")
	if err == nil || !strings.Contains(err.Error(), "0x0a") {
		t.Errorf("a pasted newline should be named: %v", err)
	}
}

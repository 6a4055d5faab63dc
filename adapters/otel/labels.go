package oauthregotel

import "github.com/oauthreg/oauthreg"

// maxLabelLen bounds a label value taken from the Registry's events.
const maxLabelLen = 40

// labelOf returns s as a metric label value if it looks like a code
// constant (1 to 40 lower-case ASCII letters, digits and underscores), and
// other otherwise: labels must come from a small, fixed set, and an
// AuthReport's Reason or Method is written by the caller.
func labelOf(s string, empty string) string {
	if s == "" {
		return empty
	}
	if len(s) > maxLabelLen {
		return "other"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && c != '.' && !('a' <= c && c <= 'z') && !('0' <= c && c <= '9') {
			return "other"
		}
	}
	return s
}

// methodLabel is the label of an authentication's method.
func methodLabel(m oauthreg.AuthMethod) string { return labelOf(string(m), "unspecified") }

// reasonLabel is the label of a failed authentication's reason.
func reasonLabel(r oauthreg.FailureReason) string { return labelOf(string(r), "unspecified") }

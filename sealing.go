package oauthreg

// sealing reports whether the Registry keeps secrets sealed.
func (r *Registry) sealing() bool { return false }

// sealFor returns the sealed form of a plaintext secret, or "" when sealing
// is off.
func (r *Registry) sealFor(clientID, secretID, plain string) (string, error) { return "", nil }

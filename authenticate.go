package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Authenticate checks a client's credentials, as a token endpoint does on
// every client_credentials or authorization_code exchange, and returns the
// client on success.
//
// Every failure — unknown client, malformed, wrong, expired or revoked
// secret, disabled or public client — returns an error matching
// ErrInvalidCredentials, and costs about the same time, so neither the
// error nor its timing tells an attacker which client IDs exist. Answer it
// with RFC 6749's invalid_client. The reason goes to observers only
// (EventAuthFailed). Any other error (a store outage, a cancelled context) is
// not a credentials problem: answer it with a 5xx.
//
// A generated secret costs one SHA-256 (its ID is embedded in it, so only one
// stored hash is checked); a malformed one is rejected by its checksum
// before the store is read. A secret an administrator supplied or imported is
// checked with its slow hash (argon2id, bcrypt, PBKDF2), and any input that is
// not in the generated format costs one such slow check, whether or not the
// client exists.
//
// The stores in this module read and decode one client whatever the ID
// (the one asked for or a decoy, one of the stored records picked by a
// keyed hash of the ID), and the Registry checks the secret against the
// decoy on a miss, so an unknown client costs what a known one with a
// wrong secret costs, in work done and in time (measured within a few
// percent on every store, see README). Timing also tells two things, by
// design: a client with several active supplied or imported secrets costs
// one slow check per such secret for a wrong secret that is not in the
// generated format, and an imported
// hash cheaper or dearer than argon2id (PBKDF2, low-cost bcrypt) costs what
// it costs. Equalizing them would make every wrong guess cost the dearest
// case, a CPU amplifier for attackers. And for a while after an upgrade
// from a release that wrote "$hmac-sha256$" hashes, a wrong secret for a
// client whose secret is still hashed that way (not used since) costs one
// SHA-256 block more than an unknown client (about 30% more instructions
// for the whole call): such clients can be told from unknown IDs by timing
// until each has authenticated once and been re-hashed. A success records
// the last-used time at most once per WithLastUsedInterval, and upgrades an
// outdated hash.
//
// Authenticate accepts a client registered for client_secret_basic or
// client_secret_post, whichever of the two the request used; a client
// registered for another method (client_secret_jwt, private_key_jwt, mTLS,
// none) never authenticates with a secret as a password. To also hold the
// client to the one method it registered, use AuthenticateWith.
func (r *Registry) Authenticate(ctx context.Context, clientID, secret string) (*Client, error) {
	return r.authenticateWith(ctx, "", clientID, secret)
}

// AuthenticateWith is Authenticate for a request that used the given method
// (AuthClientSecretBasic when the credentials came in the Authorization
// header, AuthClientSecretPost when they came in the form): a client
// registered for the other method fails with ErrInvalidCredentials
// (ReasonWrongMethod for observers), before anything is recorded as a
// success. RFC 7591 makes the registered method binding; a token endpoint
// should prefer this call.
//
// A method other than those two is a mistake of the program:
// ErrInvalidConfig.
func (r *Registry) AuthenticateWith(ctx context.Context, method AuthMethod, clientID, secret string) (*Client, error) {
	if err := checkPasswordMethod("AuthenticateWith", method, false); err != nil {
		return nil, err
	}
	return r.authenticateWith(ctx, method, clientID, secret)
}

// checkPasswordMethod refuses, for call, a method other than
// client_secret_basic and client_secret_post (the methods that send a
// secret as a password), and "" unless either is true ("" for either).
func checkPasswordMethod(call string, method AuthMethod, either bool) error {
	if (method == "" && either) || method == AuthClientSecretBasic || method == AuthClientSecretPost {
		return nil
	}
	return fmt.Errorf("%w: %s checks a secret sent as a password, with client_secret_basic or client_secret_post, not %q",
		ErrInvalidConfig, call, SanitizeInput(string(method)))
}

func (r *Registry) authenticateWith(ctx context.Context, method AuthMethod, clientID, secret string) (*Client, error) {
	v, err := r.verifyCredentials(ctx, method, clientID, secret, true)
	return v.full, err
}

// verifyCredentials is Authenticate, AuthenticateWith (method not "") and
// AuthenticateView: it decides, records the use and emits the events. A
// success returns a view of the client, holding the decoded client (full)
// when decode is set, when the store handed out one (not a ClientViewer),
// or when a hash upgrade needed it; a failure the zero view.
func (r *Registry) verifyCredentials(ctx context.Context, method AuthMethod, clientID, secret string, decode bool) (ClientView, error) {
	now := r.now()
	c, rec, idx, reason, err := r.authenticate(ctx, method, clientID, secret, now, decode)
	if err != nil {
		return ClientView{}, err
	}
	if reason != "" {
		if len(r.cfg.observers) > 0 {
			e := Event{Type: EventAuthFailed, Time: now, ClientID: SanitizeInput(clientID), Reason: reason, Method: method}
			if rec != nil {
				e.Owner = rec.owner
				if idx >= 0 {
					e.SecretID = rec.secrets[idx].id
				}
			}
			r.emit(ctx, e)
		}
		return ClientView{}, ErrInvalidCredentials
	}
	used := &rec.secrets[idx]
	if r.recordUse(ctx, rec.id, used.id, used.lastUsed.timeOrZero(), now) {
		// The returned client or view shows the use just recorded, as
		// the store now holds it: a view of a ClientViewer's record gets
		// the touched header (one allocation per WithLastUsedInterval).
		if c != nil {
			c.LastUsedAt, c.Secrets[idx].LastUsedAt = now, now
		} else {
			rec = rec.Touched(used.id, now)
		}
	}
	if len(r.cfg.observers) > 0 {
		e := Event{Type: EventAuthSucceeded, Time: now, ClientID: rec.id, Owner: rec.owner, SecretID: used.id, Method: method}
		r.emit(ctx, e)
		// A secret with an expiry and a newer sibling is being phased out
		// (a rotation set its expiry to the end of the grace period).
		if newest := rec.newestActive(now); newest >= 0 && newest != idx && !used.expires.isZero() {
			e.Type = EventGraceSecretUsed
			r.emit(ctx, e)
		}
	}
	return ClientView{rec: rec, full: c}, nil
}

// authenticate decides an authentication. The checks read the header of the
// client's record (a store's own when it is a ClientViewer: never
// modified). On failure it returns the reason and, when the client was
// found, its record (and the index of the secret concerned, or -1). On
// success it returns the record, the index of the secret used and the
// client, the caller's own, when it was decoded: always when decode is set
// (and then a failure decodes a client it drops, so that it costs what a
// success does), else only when the store handed one out or a hash
// upgrade needed it. err is set only for errors that are not about
// credentials.
func (r *Registry) authenticate(ctx context.Context, method AuthMethod, clientID, secret string, now time.Time, decode bool) (c *Client, rec *ClientRecord, idx int, reason FailureReason, err error) {
	if len(secret) == 0 || len(secret) > maxPresentedSecretLen {
		return nil, nil, -1, ReasonMalformed, nil
	}
	secretID, shape := parseSecret(secret)
	if shape == shapeCorrupt || (shape == shapeOther && r.cfg.generatedOnly) {
		return nil, nil, -1, ReasonMalformed, nil
	}
	// An ID that cannot name a client (ValidClientID) is an unknown
	// client: the store reads a decoy ID instead (no store is handed text
	// it may refuse, such as NUL or invalid UTF-8), and the result is
	// discarded.
	lookup := clientID
	if !ValidClientID(clientID) {
		lookup = decoyLookupID
	}
	rec, c, err = r.readClient(ctx, lookup)
	if err == nil && lookup != clientID {
		err = ErrNotFound // rec, the decoy ID's client, serves as a decoy
	}
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			return nil, nil, -1, "", wrapInputError("authenticate client", clientID, err)
		}
		if err := r.checkUnknown(ctx, rec, shape, secretID, secret, now, decode); err != nil {
			return nil, nil, -1, "", err
		}
		return nil, nil, -1, ReasonUnknownClient, nil
	}
	var outdated bool
	if shape == shapeGenerated {
		idx, outdated, reason = r.checkGenerated(rec, secretID, secret, now)
	} else {
		// The client's slow hashes (and its owner's) count against their
		// own share of the slots, so wrong guesses against one client's
		// expensive import wait behind each other, not in front of
		// everyone else. (Generated secrets take no slot: their context
		// is left as it is, which costs no allocation.)
		ctx = withSlotKey(ctx, slotKey{client: rec.id, owner: rec.owner})
		idx, outdated, reason, err = r.checkSupplied(ctx, rec, secret, now)
		if err != nil {
			return nil, nil, -1, "", err
		}
	}
	// The secret was checked all the same, so that this case costs what
	// any other does; but a client that never sends a secret as a password
	// fails for that reason, whatever it sent.
	if rec.public || !rec.authMethod().isPassword() {
		reason = ReasonNoSecrets
	}
	if reason == "" {
		switch {
		case rec.disabled:
			reason = ReasonDisabled
		case method != "" && method != rec.authMethod():
			reason = ReasonWrongMethod
		}
	}
	if reason != "" {
		if decode {
			rec.decodeDiscarded() // what a success decodes
		}
		return nil, rec, idx, reason, nil
	}
	upgrade := outdated || (r.sealing() && !rec.secrets[idx].sealed)
	if c == nil && (decode || upgrade) {
		c = rec.Client() // the caller's own, decoded only now that it receives one
	}
	if upgrade {
		r.upgrade(ctx, c, idx, secret, outdated)
	}
	return c, rec, idx, "", nil
}

// checkUnknown does, for a client that was not found, the work a found
// client costs after the read (a store's GetClient or ViewClient costs the
// same for a miss as for a hit): the same check of the presented secret,
// against a decoy, which ends in one verification of the secret's kind,
// and the decoding a success or failure does (when decode is set). The decoy is the record a
// ClientViewer handed out with the miss (see ClientViewer: one record among
// many, as cold in the CPU's cache as a found one), else a fixed one read
// as the store's own are: a whole record from a ClientViewer, the header of
// a Client from other stores. Nothing of the decoy is returned.
//
// A secret not in the generated format is checked against the fixed decoy
// whatever the store handed out: it costs one decoy slow hash, as for a
// client without supplied secrets, not the slow hashes a stored client
// happens to hold.
func (r *Registry) checkUnknown(ctx context.Context, stored *ClientRecord, shape secretShape, secretID, secret string, now time.Time, decode bool) error {
	decoy := decoyHead
	if _, ok := r.store.(ClientViewer); ok {
		decoy = decoyRecord
	}
	if shape != shapeGenerated {
		// Made-up client IDs share one slow-hash share, so a flood of
		// them cannot take every slot from the clients that exist.
		_, _, _, err := r.checkSupplied(withSlotKey(ctx, unknownClientKey), decoy, secret, now)
		return err
	}
	if stored != nil && len(stored.blob) > 0 {
		decoy = stored
	}
	r.checkGenerated(decoy, secretID, secret, now)
	if decode {
		decoy.decodeDiscarded()
	}
	return nil
}

// checkGenerated verifies a generated secret against the one stored secret
// whose ID it embeds.
func (r *Registry) checkGenerated(rec *ClientRecord, secretID, secret string, now time.Time) (int, bool, FailureReason) {
	idx := rec.secretIndex(secretID)
	if idx < 0 {
		// The work of a verification of this record's kind: a whole
		// record's hashes are parsed, a header's are text.
		if len(rec.blob) > 0 {
			r.hasher.decoyVerifyGeneratedHash(secret)
		} else {
			r.hasher.decoyVerifyGenerated(secret)
		}
		return -1, false, ReasonUnknownSecret
	}
	s := &rec.secrets[idx]
	res := r.verifyHead(s, secret)
	switch {
	case res == generatedNoPepper:
		return idx, false, ReasonUnknownPepper
	case !res.ok():
		return idx, false, ReasonWrongSecret
	case s.revoked:
		return idx, false, ReasonRevoked
	case !s.activeAt(now):
		return idx, false, ReasonExpired
	}
	return idx, res == generatedOutdated, ""
}

// verifyHead verifies a generated secret against a secret's header: its
// parsed digest when the record holds one, else its hash text.
func (r *Registry) verifyHead(s *secretHead, secret string) generatedResult {
	if s.gen.Scheme == 0 {
		return r.hasher.verifyGenerated(s.hash, secret)
	}
	return r.hasher.verifyGeneratedHash(&s.gen, secret)
}

// checkSupplied verifies a secret that is not in the generated format against
// the client's active supplied and imported secrets, or burns one decoy slow
// hash if it has none.
func (r *Registry) checkSupplied(ctx context.Context, rec *ClientRecord, secret string, now time.Time) (int, bool, FailureReason, error) {
	checked, noSpringSecret := false, false
	for i := range rec.secrets {
		s := &rec.secrets[i]
		if s.kind == kindGenerated || !s.activeAt(now) {
			continue
		}
		checked = true
		// Only a generated secret's hash is kept as a digest: s.hash is
		// the text.
		ok, outdated, err := r.hasher.verify(ctx, s.hash, secret)
		if err != nil {
			if ctx.Err() != nil {
				return -1, false, "", err
			}
			noSpringSecret = noSpringSecret || errors.Is(err, errNoSpringSecret)
			continue // a stored hash we cannot parse never authenticates
		}
		if ok {
			return i, outdated, "", nil
		}
	}
	if !checked {
		if err := r.hasher.decoyVerifySupplied(ctx, secret); err != nil {
			return -1, false, "", err
		}
		return -1, false, ReasonUnknownSecret, nil
	}
	if noSpringSecret {
		return -1, false, ReasonUnknownSpringSecret, nil
	}
	return -1, false, ReasonWrongSecret, nil
}

// upgrade replaces the outdated hash of secret idx of c, which just verified,
// and seals it if sealing is on and it is not sealed yet (an imported
// secret, or one issued before sealing was turned on). It is best effort: a
// failure leaves the old, still valid, record in place. c is updated to what
// was stored.
func (r *Registry) upgrade(ctx context.Context, c *Client, idx int, plaintext string, rehash bool) {
	old := c.Secrets[idx]
	hash := old.Hash
	if rehash {
		if old.Kind == SecretGenerated {
			hash = Conceal(r.hasher.hashGenerated(plaintext))
		} else {
			h, err := r.hasher.hashSupplied(ctx, plaintext)
			if err != nil {
				return
			}
			hash = Conceal(h)
		}
	}
	sealed := old.Sealed
	if sealed.IsZero() {
		s, err := r.sealFor(c.ID, old.ID, plaintext)
		if err != nil {
			return
		}
		sealed = s
	}
	stored, err := r.mutate(ctx, nil, ActionUpdate, c.ID, func(c *Client, _ time.Time) error {
		i := c.secretIndex(old.ID)
		if i < 0 || !c.Secrets[i].Hash.Equal(old.Hash) || !c.Secrets[i].Sealed.Equal(old.Sealed) {
			return errUpgradeObsolete
		}
		c.Secrets[i].Hash, c.Secrets[i].Sealed = hash, sealed
		return nil
	})
	if err != nil {
		return
	}
	r.emitChange(ctx, nil, EventSecretUpgraded, stored, old.ID)
	if i := stored.secretIndex(old.ID); i >= 0 {
		c.Secrets[idx] = stored.Secrets[i]
		c.Version, c.UpdatedAt = stored.Version, stored.UpdatedAt
	}
}

// decoyClient stands in for a client that was not found: the presented
// secret is checked against it, so that an unknown client ID costs what a
// known one does. Its one secret is generated, so a supplied-format secret
// costs one decoy slow hash, as for a client without supplied secrets.
var decoyClient = &Client{
	ID: "decoy", Owner: "decoy", Name: "decoy", TokenEndpointAuthMethod: AuthClientSecretBasic,
	GrantTypes: []GrantType{GrantClientCredentials},
	Scopes:     []string{"read", "write"},
	Secrets:    []Secret{{ID: "decoy", Kind: SecretGenerated}},
}

// decoyRecord is decoyClient's record, which Authenticate checks and
// decodes for an unknown client on a ClientViewer; decoyHead its header,
// checked for an unknown client on other stores.
var (
	decoyRecord = NewClientRecord(decoyClient)
	decoyHead   = recordHead(decoyClient)
)

var errUpgradeObsolete = errors.New("oauthreg: hash already changed")

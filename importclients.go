package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrImportRefused is wrapped by the error of ImportClients when it stored
// nothing because the batch as a whole, or one of its clients, was refused.
// errors.As with *ImportError gives the refusal of each client.
var ErrImportRefused = errors.New("oauthreg: import refused; nothing was stored")

// ClientImport is one client moved in from another server, for
// ImportClients: its metadata and the secrets it keeps.
type ClientImport struct {
	// Client is the client's metadata, as Register takes it, except that
	// ID must be set: the client keeps the client_id it has on the other
	// server. Secrets, RegistrationTokenHash and Version must be empty;
	// CreatedAt, UpdatedAt and LastUsedAt are set to the time of the
	// import.
	Client Client
	// Secrets are the client's secrets, each stored as one secret record
	// in this order. A client whose TokenEndpointAuthMethod uses no secret
	// must have none; a confidential client may have none (it has no
	// working secret until one is issued with RotateSecret).
	Secrets []SecretImport
}

// SecretImport is one secret of a ClientImport: exactly one of Hash and
// Plaintext is set.
type SecretImport struct {
	// Hash is the other server's encoded hash of the secret, in any
	// encoding ImportSecret accepts (bcrypt, PBKDF2, argon2, Spring's
	// {id} prefixes; {noop}<plaintext> is hashed with argon2id and not
	// kept). It is checked against the Registry's hash cost caps.
	Hash string
	// Plaintext is a secret the other server kept in plaintext (Keycloak
	// does). It is checked and hashed with argon2id as AddSecret hashes a
	// supplied secret (and sealed, when sealing is on). ImportClients
	// overwrites it with zeros before it returns, whatever the outcome, in
	// a dry run too: the caller keeps no copy of it.
	Plaintext []byte
	// Description is stored as the secret's description.
	Description string
	// ExpiresAt, if not zero, is when the secret expires (it must lie in
	// the future); otherwise the Registry's rotation policy decides.
	ExpiresAt time.Time
}

// ImportOptions modify ImportClients.
type ImportOptions struct {
	// DryRun checks and prepares every client as a real import does, but
	// hashes no plaintext and stores nothing: ImportClients returns the
	// same refusals, and the clients as they would be stored.
	DryRun bool
	// AllowShortLegacySecrets admits plaintext secrets (Plaintext, Spring's
	// {noop}) shorter than MinSuppliedSecretLen, as AllowShortLegacySecret
	// does for AddSecret; each one stored is reported with
	// EventSecretShortLegacy.
	AllowShortLegacySecrets bool
	// SpringPBKDF2, when set, is the configuration of the Spring Security
	// Pbkdf2PasswordEncoder that wrote the batch's "{pbkdf2}" hashes (the
	// ID a DelegatingPasswordEncoder gives it): each SecretImport.Hash
	// starting with "{pbkdf2}" is read with these settings, exactly as
	// ImportSecret reads a hash given WithSpringPBKDF2, and stored in the
	// self-describing "$spring-pbkdf2-…$" encoding. Other hashes of the
	// batch ({bcrypt}, {pbkdf2@SpringSecurity_v5_8}, Hydra's…) are read as
	// without it. Settings that fail their Check refuse the whole batch.
	//
	// Without it, a "{pbkdf2}" hash is taken as one of Spring's two
	// default configurations (see ImportSecret): a hash of another length
	// is refused with ErrUnsupportedHash (nothing is stored), but one of a
	// default's length (an encoder with the default salt length and hash
	// width and its own iterations, algorithm or secret) cannot be told
	// apart, is imported, and then never verifies.
	SpringPBKDF2 *SpringPBKDF2Settings
}

// ImportError is the error of an ImportClients that stored nothing because
// some clients were refused. It wraps ErrImportRefused and each refusal's
// error, so errors.Is(err, ErrAlreadyExists) tells whether any client was
// refused for that reason.
type ImportError struct {
	// Refused lists the refused clients in batch order.
	Refused []ImportRefusal
}

// ImportRefusal says why one client of an import was refused.
type ImportRefusal struct {
	// Index is the client's position in the batch.
	Index int
	// ClientID is the client's ID, passed through SanitizeInput.
	ClientID string
	// Err is why: a *ValidationError for invalid metadata, or an error
	// wrapping ErrAlreadyExists, ErrUnsupportedHash, ErrInvalidSecret,
	// ErrTooManySecrets, ErrSecretsNotUsed or ErrInvalidUpdate. Caller
	// input in its message is sanitized.
	Err error
}

// Error summarizes the refusals.
func (e *ImportError) Error() string {
	var b strings.Builder
	b.WriteString(ErrImportRefused.Error())
	fmt.Fprintf(&b, " (%d client", len(e.Refused))
	if len(e.Refused) != 1 {
		b.WriteByte('s')
	}
	b.WriteString(" refused)")
	for i, r := range e.Refused {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Refused)-i)
			break
		}
		fmt.Fprintf(&b, "; #%d %q: %v", r.Index, r.ClientID, r.Err)
	}
	return b.String()
}

// Unwrap returns ErrImportRefused and each refusal's error.
func (e *ImportError) Unwrap() []error {
	out := make([]error, 0, len(e.Refused)+1)
	out = append(out, ErrImportRefused)
	for _, r := range e.Refused {
		out = append(out, r.Err)
	}
	return out
}

// ImportResult is what ImportClients prepared, and in a real import stored.
type ImportResult struct {
	// Clients are the clients as stored (or, in a dry run, as they would
	// be stored), in batch order. In a dry run the records of plaintext
	// secrets hold no hash, since none was computed.
	Clients []*Client
	// Written reports whether the clients were stored.
	Written bool
	// Atomic reports whether they were stored in one atomic write (the
	// Store implements BatchCreator); without it they were created one by
	// one, and deleted again if one failed.
	Atomic bool
}

// ImportClients stores clients moved in from another server, with their
// secrets' existing hashes, all of them or none: it first checks and
// prepares every client (metadata validated as Register validates it,
// every hash parsed and within the cost caps, every plaintext checked, no
// ID already taken or used twice in the batch), and stores nothing if any
// client is refused: the error is an *ImportError listing each refusal.
// Only then does it hash the plaintexts (on up to GOMAXPROCS goroutines,
// all finished before it returns) and write, in one atomic
// CreateClients when the Store implements BatchCreator (memstore and
// sqlstore do). With another Store it creates the clients one by one and,
// should one fail, deletes those it created.
//
// A batch holds at most MaxImportClients clients. Clients get no generated
// secret (unlike Register): they keep the ones they bring. Events:
// EventClientCreated for each client, EventSecretImported (a hash) or
// EventSecretAdded (a plaintext) for each secret, after the write.
//
// Errors: ErrImportRefused (400) when it stored nothing because clients
// were refused (an *ImportError, which also matches each refusal's error),
// the batch has more than MaxImportClients, or ImportOptions.SpringPBKDF2
// fails its Check (then it also matches ErrUnsupportedHash); among the refusals,
// *ValidationError (400: metadata against the RFCs or a limit, or no ID),
// ErrInvalidUpdate (400: Client.Secrets, RegistrationTokenHash or Version
// set), ErrUnsupportedHash and ErrHashTooExpensive (400: a hash it cannot
// verify or over HashCostLimits), ErrInvalidSecret (400: a plaintext that
// breaks AddSecret's rules, an expiry not in the future),
// ErrAlreadyExists (409: an ID taken or repeated), ErrTooManySecrets (409:
// more secrets than the policy's MaxActiveSecrets), ErrSecretsNotUsed
// (409: secrets for a client that uses none). ErrInvalidConfig (500, not
// an *ImportError) when the Registry has WithGeneratedSecretsOnly and a
// client brings secrets.
func (r *Registry) ImportClients(ctx context.Context, batch []ClientImport, o ImportOptions) (*ImportResult, error) {
	defer zeroPlaintexts(batch)
	if len(batch) > MaxImportClients {
		return nil, fmt.Errorf("%w: %d clients; at most %d (MaxImportClients) in one import", ErrImportRefused, len(batch), MaxImportClients)
	}
	if o.SpringPBKDF2 != nil {
		if err := o.SpringPBKDF2.Check(); err != nil {
			return nil, fmt.Errorf("%w: ImportOptions.SpringPBKDF2: %w", ErrImportRefused, err)
		}
	}
	for _, in := range batch {
		if len(in.Secrets) > 0 {
			if err := r.refuseIfGeneratedOnly(SecretImported); err != nil {
				return nil, err
			}
			break
		}
	}
	var refused []ImportRefusal
	refuse := func(i int, err error) {
		refused = append(refused, ImportRefusal{Index: i, ClientID: SanitizeInput(batch[i].Client.ID), Err: err})
	}
	now := r.now()
	prepared := make([]preparedImport, len(batch))
	first := make(map[string]int, len(batch))
	for i := range batch {
		p, err := r.prepareImport(&batch[i], now, o)
		if err == nil {
			if j, dup := first[p.c.ID]; dup {
				err = fmt.Errorf("%w: client %q appears twice in the import (first at #%d)", ErrAlreadyExists, SanitizeInput(p.c.ID), j)
			} else {
				first[p.c.ID] = i
				var fatal error
				if err, fatal = r.checkAbsent(ctx, p.c.ID); fatal != nil {
					return nil, fatal
				}
			}
		}
		if err != nil {
			refuse(i, err)
			continue
		}
		prepared[i] = p
	}
	if len(refused) > 0 {
		return nil, &ImportError{Refused: refused}
	}
	res := &ImportResult{Clients: make([]*Client, len(prepared))}
	if o.DryRun {
		for i, p := range prepared {
			res.Clients[i] = p.c
		}
		return res, nil
	}
	for i, err := range r.hashAllPlaintexts(ctx, prepared, batch) {
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			refuse(i, err)
		}
	}
	if len(refused) > 0 {
		return nil, &ImportError{Refused: refused}
	}
	clients := make([]*Client, len(prepared))
	for i, p := range prepared {
		clients[i] = p.c
	}
	atomic, err := r.createAll(ctx, clients)
	if err != nil {
		return nil, err
	}
	for i, p := range prepared {
		r.emitChange(ctx, nil, EventClientCreated, p.c, "")
		for j, s := range p.c.Secrets {
			event := EventSecretImported
			if p.plain[j] {
				event = EventSecretAdded
			}
			r.emitChange(ctx, nil, event, p.c, s.ID)
			if p.short[j] && len(r.cfg.observers) > 0 {
				r.emit(ctx, Event{Type: EventSecretShortLegacy, Time: now, ClientID: p.c.ID, SecretID: s.ID})
			}
		}
		res.Clients[i] = p.c.Clone()
	}
	res.Written, res.Atomic = true, atomic
	return res, nil
}

// springPBKDF2ID starts the hashes ImportOptions.SpringPBKDF2 applies to.
const springPBKDF2ID = "{pbkdf2}"

// preparedImport is a client of an import, checked and ready to store but
// for the hashes of its plaintext secrets.
type preparedImport struct {
	c *Client
	// plain[i] marks Secrets[i] as a plaintext (Plaintext or {noop}) to
	// hash before the write; short[i] one shorter than
	// MinSuppliedSecretLen.
	plain, short []bool
	// noop[i] holds the plaintext of a Spring {noop} secret.
	noop []string
}

// prepareImport checks one client of an import and builds the client it
// stores.
func (r *Registry) prepareImport(in *ClientImport, now time.Time, o ImportOptions) (preparedImport, error) {
	switch c := &in.Client; {
	case c.ID == "":
		return preparedImport{}, metadataError("client_id", "must be set: an imported client keeps its client_id")
	case len(c.Secrets) > 0 || c.RegistrationTokenHash != "" || c.Version != 0:
		return preparedImport{}, fmt.Errorf("%w: pass secrets in ClientImport.Secrets; Client.Secrets, RegistrationTokenHash and Version must be empty", ErrInvalidUpdate)
	}
	c := in.Client.Clone()
	r.applyDefaults(c)
	foldLegacyTTLs(c)
	c.CreatedAt, c.UpdatedAt, c.LastUsedAt = now, now, time.Time{}
	if err := validateClient(c, r.validateOptions()); err != nil {
		return preparedImport{}, err
	}
	if len(in.Secrets) > 0 {
		if err := usesSecrets(c); err != nil {
			return preparedImport{}, err
		}
	}
	p := preparedImport{c: c, plain: make([]bool, len(in.Secrets)), short: make([]bool, len(in.Secrets)), noop: make([]string, len(in.Secrets))}
	policy := r.policyFor(c)
	for i, si := range in.Secrets {
		s, err := r.prepareImportedSecret(&p, i, si, policy, now, o)
		if err != nil {
			return preparedImport{}, fmt.Errorf("secret #%d: %w", i, err)
		}
		if err := policy.addIn(c, s, now); err != nil {
			return preparedImport{}, err
		}
	}
	return p, nil
}

// checkAbsent refuses a client whose ID is taken; a failure of the store
// is returned as fatal, not as a refusal.
func (r *Registry) checkAbsent(ctx context.Context, id string) (refusal, fatal error) {
	_, err := r.store.GetClient(ctx, id)
	switch {
	case err == nil:
		return fmt.Errorf("%w: client %q is already in this registry", ErrAlreadyExists, SanitizeInput(id)), nil
	case errors.Is(err, ErrNotFound):
		return nil, nil
	}
	return nil, wrapInputError("importing: checking client", id, err)
}

// prepareImportedSecret checks secret i of an import and builds its record:
// with the hash for an encoded hash, without one yet for a plaintext.
func (r *Registry) prepareImportedSecret(p *preparedImport, i int, si SecretImport, policy RotationPolicy, now time.Time, o ImportOptions) (Secret, error) {
	var hash, noop string
	kind := SecretImported
	switch {
	case si.Hash != "" && si.Plaintext != nil:
		return Secret{}, fmt.Errorf("%w: set Hash or Plaintext, not both", ErrInvalidSecret)
	case si.Plaintext != nil:
		kind = SecretSupplied
		if _, err := checkSuppliedOrLegacy(unsafeString(si.Plaintext), o.AllowShortLegacySecrets); err != nil {
			return Secret{}, err
		}
		p.short[i] = len(si.Plaintext) < MinSuppliedSecretLen
	default:
		var isNoop bool
		var err error
		encoded := si.Hash
		if o.SpringPBKDF2 != nil && strings.HasPrefix(trimImported(encoded), springPBKDF2ID) {
			if encoded, err = springPBKDF2Encoding(*o.SpringPBKDF2, encoded); err != nil {
				return Secret{}, err
			}
		}
		if hash, noop, isNoop, err = r.importedHash(encoded); err != nil {
			return Secret{}, err
		}
		if isNoop {
			kind = SecretSupplied
			if _, err := checkSuppliedOrLegacy(noop, o.AllowShortLegacySecrets); err != nil {
				return Secret{}, err
			}
			p.short[i], p.noop[i] = len(noop) < MinSuppliedSecretLen, noop
		}
	}
	p.plain[i] = kind == SecretSupplied
	_, id, err := generateSecret("")
	if err != nil {
		return Secret{}, err
	}
	so := secretOptions{expiresAt: si.ExpiresAt}
	if len(si.Description) > MaxSecretDescriptionBytes {
		return Secret{}, fmt.Errorf("%w: secret description is %d bytes; at most %d", ErrInvalidSecret, len(si.Description), MaxSecretDescriptionBytes)
	}
	so.description = si.Description
	// A plaintext is hashed (and sealed) once every client has passed;
	// hashedRecord seals nothing without it.
	return r.hashedRecord(policy, now, so, p.c.ID, id, kind, hash, "")
}

// hashAllPlaintexts hashes the plaintext secrets of every prepared client
// on up to GOMAXPROCS goroutines (argon2id is the import's one slow step;
// the hasher's slots bound the memory), all finished before it returns,
// and returns each client's error.
func (r *Registry) hashAllPlaintexts(ctx context.Context, prepared []preparedImport, batch []ClientImport) []error {
	errs := make([]error, len(prepared))
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs[i] = r.hashPlaintexts(ctx, &prepared[i], batch[i].Secrets)
			}
		}()
	}
	for i := range prepared {
		if slices.Contains(prepared[i].plain, true) {
			work <- i
		}
	}
	close(work)
	wg.Wait()
	return errs
}

// hashPlaintexts hashes (and seals, when sealing is on) the plaintext
// secrets of a prepared client, in place.
func (r *Registry) hashPlaintexts(ctx context.Context, p *preparedImport, in []SecretImport) error {
	for i := range p.c.Secrets {
		if !p.plain[i] {
			continue
		}
		plain := p.noop[i]
		if plain == "" {
			plain = unsafeString(in[i].Plaintext)
		}
		hash, err := r.hasher.hashSupplied(withSlotKey(ctx, slotKey{client: p.c.ID}), plain)
		if err != nil {
			return err
		}
		s := &p.c.Secrets[i]
		s.Hash = Conceal(hash)
		if s.Sealed, err = r.sealFor(p.c.ID, s.ID, plain); err != nil {
			return err
		}
	}
	return nil
}

// createAll stores clients at once with BatchCreator, or one by one,
// deleting those created when one fails.
func (r *Registry) createAll(ctx context.Context, clients []*Client) (atomic bool, err error) {
	if bc, ok := r.store.(BatchCreator); ok {
		if err := bc.CreateClients(ctx, clients); err != nil {
			return true, fmt.Errorf("oauthreg: importing %d clients: %w", len(clients), err)
		}
		return true, nil
	}
	for i, c := range clients {
		if err := r.store.CreateClient(ctx, c); err != nil {
			var undo []error
			for _, done := range clients[:i] {
				undo = append(undo, r.deleteCreated(context.WithoutCancel(ctx), done))
			}
			if u := errors.Join(undo...); u != nil {
				return false, fmt.Errorf("oauthreg: importing client %q: %w; and removing the %d clients created before it failed, some may remain: %w",
					SanitizeInput(c.ID), err, i, u)
			}
			return false, wrapInputError("importing client", c.ID, err)
		}
	}
	return false, nil
}

// deleteCreated deletes a client createAll created, only if it is still
// the version created.
func (r *Registry) deleteCreated(ctx context.Context, c *Client) error {
	if vd, ok := r.store.(VersionedDeleter); ok {
		return vd.DeleteClientAt(ctx, c.ID, 1)
	}
	return r.store.DeleteClient(ctx, c.ID)
}

// zeroPlaintexts overwrites the plaintext secrets of batch.
func zeroPlaintexts(batch []ClientImport) {
	for i := range batch {
		for j := range batch[i].Secrets {
			clear(batch[i].Secrets[j].Plaintext)
		}
	}
}

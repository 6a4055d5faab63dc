package clientimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/oauthreg/oauthreg"
)

// Source names the server an export comes from.
type Source string

// Sources Parse reads.
const (
	Hydra    Source = "hydra"
	Keycloak Source = "keycloak"
	Spring   Source = "spring"
)

// Sources lists every Source, in the order help texts show them.
var Sources = []Source{Hydra, Keycloak, Spring}

// Format is the encoding of an export: JSON (every source) or CSV with a
// header row (Spring only).
type Format string

// Formats Parse reads.
const (
	JSON Format = "json"
	CSV  Format = "csv"
)

// MaxExportBytes bounds the export Parse reads: room for
// oauthreg.MaxImportClients clients of about 12 KB each, so that a file
// that is not an export cannot exhaust memory.
const MaxExportBytes = 64 << 20

// ErrExport is wrapped by Parse's error when the export as a whole cannot
// be read: not the format it should be, larger than MaxExportBytes, more
// clients than oauthreg.MaxImportClients (counted before any client is
// decoded), a CSV record of more than 256 fields, a CSV of more than
// 2*MaxImportClients+1 records (blank lines included). One bad client is not such an
// error: it is refused in its Entry.
var ErrExport = errors.New("clientimport: unreadable export")

// ErrRefused is wrapped by Run's error when it stored nothing because at
// least one client was refused; the Report says which and why. It matches
// oauthreg.ErrImportRefused too.
var ErrRefused = fmt.Errorf("clientimport: %w", oauthreg.ErrImportRefused)

// Options tune how Parse maps an export.
type Options struct {
	// Format is JSON (the default) or CSV (Spring only).
	Format Format
	// Owner is the Client.Owner of clients whose export names no owner
	// (Hydra's owner column is used when set; Keycloak clients get the
	// realm's name unless Owner is set; Spring has none).
	Owner string
	// IncludeBuiltin imports Keycloak's built-in clients (account,
	// account-console, admin-cli, broker, realm-management,
	// security-admin-console) instead of skipping them; their redirect
	// URIs are patterns, so most are then refused.
	IncludeBuiltin bool
	// Now is the time expiries are compared with; zero means time.Now.
	Now time.Time
}

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// Entry is one client of an export as Parse read it.
type Entry struct {
	// Index is the client's position in the export, from 0.
	Index int
	// ClientID is the client's ID as the export spells it.
	ClientID string
	// Import is what Run passes to Registry.ImportClients. A plaintext
	// secret (Keycloak, Spring's {noop}) is in Import.Secrets[i].Plaintext,
	// a buffer of its own that Run (or Zero) overwrites.
	Import oauthreg.ClientImport
	// Status is Skipped or Refused when Parse decided so, with Reason and
	// Message; empty otherwise.
	Status  Status
	Reason  Reason
	Message string
	// Warnings name the fields dropped or changed on the way in.
	Warnings []Warning
}

func (e *Entry) warn(field, format string, args ...any) {
	e.Warnings = append(e.Warnings, Warning{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (e *Entry) refuse(r Reason, format string, args ...any) {
	if e.Status != "" {
		return // the first refusal or skip is the one reported
	}
	e.Status, e.Reason, e.Message = Refused, r, fmt.Sprintf(format, args...)
}

func (e *Entry) skip(r Reason, format string, args ...any) {
	if e.Status != "" {
		return
	}
	e.Status, e.Reason, e.Message = Skipped, r, fmt.Sprintf(format, args...)
}

// Parse reads an export of the given source from r (at most
// MaxExportBytes) and maps each client it holds, as the package
// documentation describes. The input buffer is overwritten with zeros
// before Parse returns, so plaintext secrets stay only in the entries'
// own buffers. An error wrapping ErrExport means the export as a whole is
// unreadable; a client that cannot be mapped is refused in its Entry.
func Parse(src Source, r io.Reader, o Options) ([]Entry, error) {
	if o.Format == "" {
		o.Format = JSON
	}
	if o.Format != JSON && o.Format != CSV {
		return nil, fmt.Errorf("%w: unknown format %s (want json or csv)", ErrExport, q(string(o.Format)))
	}
	if o.Format == CSV && src != Spring {
		return nil, fmt.Errorf("%w: only a Spring export can be CSV", ErrExport)
	}
	buf, err := readAll(r, MaxExportBytes)
	defer clear(buf)
	if err != nil {
		return nil, err
	}
	var entries []Entry
	switch src {
	case Hydra:
		entries, err = parseHydra(buf, o)
	case Keycloak:
		entries, err = parseKeycloak(buf, o)
	case Spring:
		if o.Format == CSV {
			entries, err = parseSpringCSV(buf, o)
		} else {
			entries, err = parseSpringJSON(buf, o)
		}
	default:
		return nil, fmt.Errorf("%w: unknown source %s (want hydra, keycloak or spring)", ErrExport, q(string(src)))
	}
	if err == nil && len(entries) > oauthreg.MaxImportClients {
		err = errTooManyClients(len(entries)) // the parsers count first; this holds whatever a parser does
	}
	if err != nil {
		Zero(entries)
		return nil, err
	}
	return entries, nil
}

// readAll reads r to its end into one buffer, at most max bytes. When the
// buffer grows, the old one is zeroed: no partial copy of the export (and
// of the plaintext secrets in it) is left behind.
func readAll(r io.Reader, max int) ([]byte, error) {
	buf := make([]byte, 0, 64<<10)
	for {
		if len(buf) == cap(buf) {
			if len(buf) > max {
				clear(buf)
				return nil, fmt.Errorf("%w: larger than %d bytes (MaxExportBytes; a Keycloak realm export needs no users: --users skip)", ErrExport, max)
			}
			// Straight to max+1 once doubling would reach max: one byte
			// over is enough to refuse, and no buffer of twice the bound
			// is ever made.
			n := 2 * cap(buf)
			if n >= max {
				n = max + 1
			}
			grown := make([]byte, len(buf), n)
			copy(grown, buf)
			clear(buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			if len(buf) > max {
				clear(buf)
				return nil, fmt.Errorf("%w: larger than %d bytes (MaxExportBytes)", ErrExport, max)
			}
			return buf, nil
		}
		if err != nil {
			clear(buf)
			return nil, fmt.Errorf("clientimport: reading the export: %w", err)
		}
	}
}

// Zero overwrites the plaintext secrets held in entries. Run does it; call
// it for entries you parse and do not run.
func Zero(entries []Entry) {
	for i := range entries {
		for j := range entries[i].Import.Secrets {
			clear(entries[i].Import.Secrets[j].Plaintext)
		}
	}
}

// RunOptions tune Run.
type RunOptions struct {
	// DryRun checks every client as a real run does and stores nothing.
	DryRun bool
	// AllowShortLegacySecrets admits plaintext secrets shorter than
	// oauthreg.MinSuppliedSecretLen (see oauthreg.ImportOptions).
	AllowShortLegacySecrets bool
	// SpringPBKDF2 is the configuration of the Spring Security
	// Pbkdf2PasswordEncoder that wrote the export's "{pbkdf2}" hashes,
	// when it is not one of Spring's defaults (see
	// oauthreg.ImportOptions.SpringPBKDF2). Settings that fail their
	// Check make Run fail before anything is checked, with an error
	// matching oauthreg.ErrImportRefused and oauthreg.ErrUnsupportedHash.
	SpringPBKDF2 *oauthreg.SpringPBKDF2Settings
}

// Run imports the entries Parse returned into reg, all or nothing, with
// Registry.ImportClients: skipped entries are left out, and if any entry
// is refused (by Parse or by the Registry) nothing is stored and the error
// wraps ErrRefused. A dry run returns the same report and stores nothing.
// The Report is returned whenever the entries were checked, also with
// ErrRefused; another error (the store failed) means no Report. Every
// plaintext secret in entries is zeroed before Run returns.
func Run(ctx context.Context, reg *oauthreg.Registry, src Source, entries []Entry, o RunOptions) (*Report, error) {
	defer Zero(entries)
	rep := &Report{Source: src, DryRun: o.DryRun, Clients: make([]Outcome, len(entries))}
	var batch []oauthreg.ClientImport
	var at []int // batch position → entry index
	refusedEarly := false
	for i, e := range entries {
		rep.Clients[i] = Outcome{Index: e.Index, ClientID: oauthreg.SanitizeInput(e.ClientID), Status: e.Status,
			Reason: e.Reason, Message: e.Message, Secrets: len(e.Import.Secrets), Warnings: e.Warnings}
		switch e.Status {
		case Skipped:
			rep.Clients[i].Warnings = nil // what a skipped client would lose does not matter
			continue
		case Refused:
			refusedEarly = true
			continue
		}
		batch = append(batch, e.Import)
		at = append(at, i)
	}
	// With a refusal already found nothing is written: check the rest
	// without hashing anything, for the report.
	iopts := oauthreg.ImportOptions{DryRun: o.DryRun || refusedEarly, AllowShortLegacySecrets: o.AllowShortLegacySecrets,
		SpringPBKDF2: o.SpringPBKDF2}
	res, err := reg.ImportClients(ctx, batch, iopts)
	var ie *oauthreg.ImportError
	switch {
	case errors.As(err, &ie):
		for _, r := range ie.Refused {
			out := &rep.Clients[at[r.Index]]
			out.Status, out.Reason, out.Message = Refused, reasonOf(r.Err), r.Err.Error()
		}
	case err != nil:
		return nil, err
	}
	okStatus := Imported
	switch {
	case err != nil || refusedEarly:
		okStatus = Accepted
	case o.DryRun:
		okStatus = WouldImport
	}
	for i := range rep.Clients {
		out := &rep.Clients[i]
		if out.Status == "" {
			out.Status = okStatus
		}
		switch out.Status {
		case Imported:
			rep.Imported++
		case Skipped:
			rep.Skipped++
		case Refused:
			rep.Refused++
		}
	}
	if rep.Refused > 0 {
		return rep, fmt.Errorf("%w: %d of %d clients refused", ErrRefused, rep.Refused, len(entries))
	}
	rep.Written, rep.Atomic = res.Written, res.Atomic
	return rep, nil
}

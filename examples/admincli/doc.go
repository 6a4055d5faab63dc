// Command admincli is an administration tool for an oauthreg registry: it
// creates, lists, shows, updates and deletes OAuth 2.0 clients, and rotates,
// regenerates, revokes, adds, imports, verifies and reveals their secrets,
// against the database an auth server built on oauthreg uses. import moves
// every client of an Ory Hydra, Keycloak or Spring Authorization Server in
// from its export, all or nothing (see 'admincli help import').
//
//	go run ./examples/admincli help
//	go run ./examples/admincli create --owner org-acme --name billing --scope invoices:read
//	go run ./examples/admincli list --owner org-acme --limit 20
//	go run ./examples/admincli rotate CLIENT_ID
//	go run ./examples/admincli -o json show CLIENT_ID
//
// The clients live in a SQLite file by default (--db or $OAUTHREG_DB, else
// ./oauthreg.db); a postgres:// URL or a mysql:// DSN selects PostgreSQL or
// MySQL/MariaDB.
//
// A new secret is printed once, labelled "client secret (shown once, store
// it now): ...". Secrets an administrator supplies (add-secret, verify) are
// read from stdin or --file, never from the command line. reveal needs the
// auth server's key ring, in $OAUTHREG_KEYRING or --keyring-file:
//
//	ID:BASE64KEY[,ID:BASE64KEY...]
//
// with the primary key first (see 'admincli help reveal').
//
// Exit status: 0 on success, 1 when the operation failed (not found,
// invalid metadata, a secret that does not work...), 2 for usage errors,
// 130 when interrupted.
//
// The commands live in cli.go as run(ctx, args, stdin, stdout, stderr, env),
// which tests call in-process as well as through the built binary.
package main

module github.com/oauthreg/oauthreg/internal/migrationcheck

go 1.26.0

require (
	ariga.io/atlas v0.32.1-0.20250325101103-175b25e1c1b9 // indirect
	github.com/mfridman/interpolate v0.0.2 // indirect
	github.com/oauthreg/oauthreg v0.0.0-20261122085151-3ef1e511b6e3
	github.com/pressly/goose/v3 v3.26.0 // indirect
	github.com/sethvargo/go-retry v0.5.0 // indirect
	go.uber.org/multierr v1.11.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)

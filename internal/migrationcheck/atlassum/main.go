// Command atlassum writes the atlas.sum file of each dialect's migration
// directory under the directory given as its argument (sqlstore's
// migrations), with atlas's own code, so that atlas
// (https://atlasgo.io, "versioned migrations") accepts the directories as
// they are. sqlstore's go:generate line runs it:
//
//	go generate ./sqlstore
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"ariga.io/atlas/sql/migrate"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: atlassum MIGRATIONS_DIR (with one subdirectory per dialect)")
		os.Exit(2)
	}
	if err := writeSums(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "atlassum:", err)
		os.Exit(1)
	}
}

// writeSums writes atlas.sum in every subdirectory of root.
func writeSums(root string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir, err := migrate.NewLocalDir(filepath.Join(root, e.Name()))
		if err != nil {
			return err
		}
		sum, err := dir.Checksum()
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
		if err := migrate.WriteSumFile(dir, sum); err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
	}
	return nil
}

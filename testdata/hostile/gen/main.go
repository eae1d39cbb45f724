// Command gen writes the small hostile cases of internal/hostilegen into
// testdata/hostile. Run it from the repository root:
//
//	go run ./testdata/hostile/gen
//
// The tests check that the committed files are what it writes; big cases
// (bombs, a 100 MB line) are built by the tests themselves, never committed.
package main

import (
	"log"
	"os"
	"path/filepath"

	"github.com/keyholesec/keyhole/internal/hostilegen"
)

func main() {
	dir := filepath.Join("testdata", "hostile")
	for _, c := range hostilegen.Small() {
		if err := os.WriteFile(filepath.Join(dir, c.Name), c.Data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

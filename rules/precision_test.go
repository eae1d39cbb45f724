//go:build precision

package rules_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/keyholesec/keyhole/scanner"
)

// TestPrecisionScan is bench/precision.sh's stand-in for `keyhole scan
// --format json` while the CLI cannot be built: it scans
// $KEYHOLE_PRECISION_DIR with the default rules through the engine and
// writes the findings as JSON to $KEYHOLE_PRECISION_OUT.
func TestPrecisionScan(t *testing.T) {
	dir, out := os.Getenv("KEYHOLE_PRECISION_DIR"), os.Getenv("KEYHOLE_PRECISION_OUT")
	if dir == "" || out == "" {
		t.Skip("set KEYHOLE_PRECISION_DIR and KEYHOLE_PRECISION_OUT (bench/precision.sh does)")
	}
	res, err := scanner.Scan(context.Background(), loadDefault(t), []string{dir}, scanner.Options{NoRedact: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(res.Findings, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

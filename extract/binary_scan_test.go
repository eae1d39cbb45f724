package extract_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// Scanning the DEX, ELF and Hermes fixtures end to end finds the planted
// secrets and the TLS misconfigurations, with the severity the rendering
// asks for.
func TestScanBinaryFixtures(t *testing.T) {
	rs, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "testdata")
	targets := []string{
		filepath.Join(dir, "dex", "smali.dex"),
		filepath.Join(dir, "dex", "insecure.dex"),
		filepath.Join(dir, "elf", "libplanted.so"),
		filepath.Join(dir, "hermes", "hermesc-v96.hbc"),
	}
	res, err := scanner.Scan(context.Background(), rs, targets, scanner.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ file, rule, severity string }
	got := map[key]int{}
	for _, f := range res.Findings {
		got[key{filepath.Base(f.Target), f.Rule, f.Severity}]++
	}
	for _, want := range []key{
		{"smali.dex", "android-webview-ssl-error-proceed", "low"},  // Cordova's gated client
		{"smali.dex", "android-webview-ssl-error-proceed", "high"}, // UnsafeClient
		{"smali.dex", "android-trust-all-certs", "high"},
		{"smali.dex", "android-hostname-verifier-allow-all", "high"},
		{"insecure.dex", "aws-access-token", "critical"},
		{"insecure.dex", "cleartext-endpoint", ""},
		{"libplanted.so", "aws-access-token", "critical"},
		{"libplanted.so", "cleartext-endpoint", ""},
		{"hermesc-v96.hbc", "aws-access-token", "critical"},
		{"hermesc-v96.hbc", "private-key", ""},
	} {
		found := got[want] > 0
		if want.severity == "" { // any severity
			found = slices.ContainsFunc(res.Findings, func(f scanner.Finding) bool {
				return filepath.Base(f.Target) == want.file && f.Rule == want.rule
			})
		}
		if !found {
			t.Errorf("no %v finding; got %v", want, got)
		}
	}
}

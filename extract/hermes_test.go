package extract

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestHermesStringTable(t *testing.T) {
	s := extractBinary(t, "index.android.bundle", readFixture(t, "hermes", "index.android.bundle"))
	if len(s.warnings) > 0 {
		t.Fatalf("warnings for a valid file: %v", s.warnings)
	}
	text := "\n" + s.text("hermes")
	key := "-----BEGIN PRIVATE KEY-----\n" + strings.Repeat("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 9) + "\n-----END PRIVATE KEY-----"
	for _, want := range []string{
		"fetchUser",
		"http://api.insecure-backend.net/graphql", // packed right after fetchUser
		"AKIAQ3EGRB5TCWLUW4NX",
		"insecure-backend", // shares the URL's storage
		key,                // through the overflow table
		"Grüße, 世界 😀",      // UTF-16
		"apiKey",
	} {
		if !strings.Contains(text, "\n"+want+"\n") {
			t.Errorf("no line %q in:\n%s", want, text)
		}
	}
}

// Bundles compiled by real Hermes compilers of three bytecode versions.
func TestHermesRealCompilers(t *testing.T) {
	for _, fixture := range []string{"hermesc-v76.hbc", "hermesc-v84.hbc", "hermesc-v96.hbc"} {
		s := extractBinary(t, fixture, readFixture(t, "hermes", fixture))
		if len(s.warnings) > 0 {
			t.Errorf("%s: warnings: %v", fixture, s.warnings)
		}
		text := "\n" + s.text("hermes")
		for _, want := range []string{
			"AKIAQ3EGRB5TCWLUW4NX", "http://api.insecure-backend.net/graphql", "Grüße, 世界 😀",
			"x-api-key", "fetchUser", "-----END PRIVATE KEY-----",
		} {
			if !strings.Contains(text, "\n"+want+"\n") {
				t.Errorf("%s: no line %q in:\n%s", fixture, want, text)
			}
		}
	}
}

func TestHermesFallbacks(t *testing.T) {
	for _, tc := range []struct{ fixture, warning string }{
		{"old-version.bundle", "version 74"},
		{"truncated.bundle", "header says"},
		{"bad-overflow.bundle", "overflow entry 7 of 1"},
		{"huge-count.bundle", "run past the end"},
	} {
		s := extractBinary(t, tc.fixture, readFixture(t, "hermes", tc.fixture))
		if len(s.warnings) != 1 || !strings.Contains(s.warnings[0].Err.Error(), tc.warning) {
			t.Errorf("%s: warnings %v, want one saying %q", tc.fixture, s.warnings, tc.warning)
		}
		if !strings.Contains(s.text("strings"), "AKIAQ3EGRB5TCWLUW4NX") {
			t.Errorf("%s: the printable strings lack the planted key", tc.fixture)
		}
	}
}

func FuzzHermes(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/hermes/*.*")
	for _, p := range paths {
		if ext := filepath.Ext(p); ext == ".bundle" || ext == ".hbc" {
			f.Add(readFixture(f, "hermes", filepath.Base(p)))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &discardSink{}
		x := New(Options{NoDecode: true}, s).newJob(context.Background())
		x.hermes(scope{origin: Origin{Target: "fuzz.bundle"}}, data)
		if limit := 12*len(data) + 1<<18; s.rendered > limit {
			t.Fatalf("rendered %d bytes from %d", s.rendered, len(data))
		}
	})
}

package extract

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var elfPlanted = []string{
	"AKIAQ3EGRB5TCWLUW4NX",                          // .rodata
	"http://telemetry.insecure-backend.net/collect", // .data
	"https://fallback.example-backend.net",          // .rodata, through .data.rel.ro
}

func TestELFDataSections(t *testing.T) {
	s := extractBinary(t, "libplanted.so", readFixture(t, "elf", "libplanted.so"))
	if len(s.warnings) > 0 {
		t.Fatalf("warnings for a valid file: %v", s.warnings)
	}
	text := s.text("elf")
	for _, want := range elfPlanted {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("rendering lacks %q:\n%s", want, text)
		}
	}
	for _, noise := range []string{"GCC:", "Java_com_example_Native_secretTokenLength"} {
		if strings.Contains(text, noise) {
			t.Errorf("rendering includes %q from .comment or .dynstr", noise)
		}
	}
}

func TestELFWithoutSectionsFallsBack(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		warns   bool
	}{
		{"libplanted-nosections.so", false}, // as sstrip leaves it: not an error
		{"libplanted-badshoff.so", true},
	} {
		s := extractBinary(t, tc.fixture, readFixture(t, "elf", tc.fixture))
		if got := len(s.warnings) > 0; got != tc.warns {
			t.Errorf("%s: warnings %v, want some: %v", tc.fixture, s.warnings, tc.warns)
		}
		text := s.text("strings")
		for _, want := range elfPlanted {
			if !strings.Contains(text, want) {
				t.Errorf("%s: fallback lacks %q", tc.fixture, want)
			}
		}
	}
}

// A Go program cross-compiled for linux/arm64, as in lib/arm64-v8a/: too
// big to commit, so it is built here.
func TestELFGoArm64(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles a Go program")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool")
	}
	out := filepath.Join(t.TempDir(), "goplanted")
	cmd := exec.CommandContext(context.Background(), gotool, "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./goplanted")
	cmd.Dir = filepath.Join("..", "testdata", "elf")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := extractBinary(t, "goplanted", data)
	if len(s.warnings) > 0 {
		t.Fatalf("warnings: %v", s.warnings)
	}
	if text := s.text("elf"); !strings.Contains(text, "http://metrics.insecure-backend.net/v2/push?token=AKIAQ3EGRB5TCWLUW4NX") {
		t.Errorf("the planted string is not in the %d-byte rendering", len(text))
	}
}

func FuzzELF(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/elf/*.so")
	for _, p := range paths {
		f.Add(readFixture(f, "elf", filepath.Base(p)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &discardSink{}
		x := New(Options{NoDecode: true}, s).newJob(context.Background())
		x.elf(scope{origin: Origin{Target: "fuzz.so"}}, data)
		// Each string of at least minStringLen bytes gains a newline.
		if s.rendered > len(data)+len(data)/minStringLen+1 {
			t.Fatalf("rendered %d bytes from %d", s.rendered, len(data))
		}
	})
}

package extract

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func lines(s string) map[string]int {
	out := map[string]int{}
	for _, l := range strings.Split(s, "\n") {
		out[l]++
	}
	return out
}

func factTexts(c *collect, path string) []string {
	var out []string
	for _, ch := range c.chunks {
		if ch.Origin.Path == path && ch.Format == "facts" {
			out = append(out, strings.TrimSuffix(strings.TrimPrefix(string(ch.Data), "<!-- keyhole: "), " -->\n"))
		}
	}
	return out
}

// A fat binary's slices are rendered once: the section strings, the
// UTF-16 literal, the Swift names; never the section or symbol names.
func TestMachOFatStrings(t *testing.T) {
	c := extractBytes(t, Options{NoDecode: true}, "vulnerable.macho", iosFixture(t, "vulnerable.macho"))
	if len(c.warnings) > 0 {
		t.Fatalf("warnings: %v", c.warnings)
	}
	got := lines(c.text("", "macho"))
	for _, want := range []string{
		"https://api.vulnerable-example.net/v1", "http://telemetry.vulnerable-example.net/collect",
		"AKIAQ4T5W2XNPL7RJ3VD", "setAllowInvalidCertificates:", "APIClient", "Contraseña incorrecta",
		"9Alamofire22DisabledTrustEvaluatorC", "trustManager", "vulnerable-example-build-142",
	} {
		if got[want] != 1 {
			t.Errorf("%q rendered %d times, want once", want, got[want])
		}
	}
	for _, noise := range []string{"__cstring", "__TEXT", "_objc_msgSend"} {
		if got[noise] > 0 {
			t.Errorf("noise %q rendered", noise)
		}
	}
}

func TestMachOTrustFacts(t *testing.T) {
	c := extractBytes(t, Options{NoDecode: true}, "vulnerable.ipa", iosFixture(t, "vulnerable.ipa"))
	want := []string{
		"tls-override api=Alamofire.DisabledTrustEvaluator evidence=import severity=high",
		"tls-override api=AFSecurityPolicy.setAllowInvalidCertificates: evidence=selector severity=low",
		"tls-override api=AFSecurityPolicy.setValidatesDomainName: evidence=selector severity=low",
	}
	if got := factTexts(c, "Payload/App.app/App"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("app facts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The libraries carry the switches; they do not use them.
	for _, lib := range []string{"Frameworks/AFNetworking.framework/AFNetworking", "Frameworks/Alamofire.framework/Alamofire"} {
		path := "Payload/App.app/" + lib
		if c.text(path, "macho") == "" {
			t.Errorf("%s not rendered", lib)
		}
		if got := factTexts(c, path); len(got) > 0 {
			t.Errorf("%s: facts %v", lib, got)
		}
	}
	for _, name := range []string{"clean.macho", "socketrocket.macho"} {
		c := extractBytes(t, Options{NoDecode: true}, name, iosFixture(t, name))
		if got := factTexts(c, ""); len(got) > 0 {
			t.Errorf("%s: facts %v", name, got)
		}
	}
}

func TestMachOEncrypted(t *testing.T) {
	c := extractBytes(t, Options{NoDecode: true}, "encrypted.macho", iosFixture(t, "encrypted.macho"))
	if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), "encrypted (App Store) binary: its code could not be scanned; decrypt it first") {
		t.Fatalf("warnings: %v", c.warnings)
	}
	if got := c.text("", "macho"); got != "unencrypted-marker: telemetry.vulnerable-example.net\n" {
		t.Errorf("rendered %q, want only the unencrypted section", got)
	}
}

func TestHostileMachO(t *testing.T) {
	for _, tc := range []struct{ name, warning, keeps string }{
		{"truncated.macho", "malformed Mach-O file", "https://api.vulner"},
		{"fat-past-end.macho", "slice 2 of 2: slice starts past the end", "AKIAQ4T5W2XNPL7RJ3VD"},
		{"huge-section.macho", "runs past the end of the file", "https://api.vulnerable-example.net/huge"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := iosFixture(t, tc.name)
			c := extractBytes(t, Options{NoDecode: true}, tc.name, data)
			if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), tc.warning) {
				t.Fatalf("warnings %v, want one saying %q", c.warnings, tc.warning)
			}
			var all strings.Builder
			for _, ch := range c.chunks {
				all.Write(ch.Data)
			}
			if !strings.Contains(all.String(), tc.keeps) {
				t.Errorf("lost %q:\n%s", tc.keeps, all.String())
			}
			if all.Len() > len(data)+1024 {
				t.Errorf("%d bytes rendered from %d", all.Len(), len(data))
			}
		})
	}
}

// A real Mach-O: Go cross-compiles a program with planted strings for
// darwin/arm64 and darwin/amd64, and the test joins them into a fat file.
func TestGoBuiltMachO(t *testing.T) {
	if testing.Short() {
		t.Skip("builds with the go tool")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool")
	}
	dir := t.TempDir()
	src := `package main

var endpoint = "http://metrics.planted-example.net/v1/ingest"
var awsKey = "AKIAQ4T5W2XNPL7RJ3VD"

func main() { println(endpoint, awsKey) }
`
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module planted\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var slices [][]byte
	for _, arch := range []string{"arm64", "amd64"} {
		out := filepath.Join(dir, "planted-"+arch)
		cmd := exec.Command(goTool, "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS=darwin", "GOARCH="+arch, "CGO_ENABLED=0", "GOFLAGS=")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("cross-compiling for darwin/%s: %v\n%s", arch, err, b)
		}
		slices = append(slices, readFile(t, out))
	}
	check := func(name string, data []byte) {
		c := extractBytes(t, Options{NoDecode: true}, name, data)
		if len(c.warnings) > 0 {
			t.Fatalf("%s: warnings %v", name, c.warnings)
		}
		text := c.text("", "macho")
		for _, want := range []string{"http://metrics.planted-example.net/v1/ingest", "AKIAQ4T5W2XNPL7RJ3VD"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q not rendered", name, want)
			}
		}
		if len(text) > len(data) {
			t.Errorf("%s: %d bytes rendered from %d", name, len(text), len(data))
		}
	}
	check("thin", slices[0])
	fat := fatMachO(slices...)
	check("fat", fat)
	c := extractBytes(t, Options{NoDecode: true}, "fat", fat)
	if n := strings.Count(c.text("", "macho"), "http://metrics.planted-example.net/v1/ingest"); n != 1 {
		t.Errorf("planted URL rendered %d times from two slices, want once", n)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fatMachO joins thin 64-bit little-endian slices as lipo does.
func fatMachO(slices ...[]byte) []byte {
	const alignment = 1 << 14
	be := binary.BigEndian
	out := be.AppendUint32(nil, 0xcafebabe)
	out = be.AppendUint32(out, uint32(len(slices)))
	at := alignment
	for _, s := range slices {
		out = be.AppendUint32(out, binary.LittleEndian.Uint32(s[4:]))
		out = be.AppendUint32(out, binary.LittleEndian.Uint32(s[8:]))
		out = be.AppendUint32(out, uint32(at))
		out = be.AppendUint32(out, uint32(len(s)))
		out = be.AppendUint32(out, 14)
		at += (len(s) + alignment - 1) / alignment * alignment
	}
	for _, s := range slices {
		out = append(out, bytes.Repeat([]byte{0}, (len(out)+alignment-1)/alignment*alignment-len(out))...)
		out = append(out, s...)
	}
	return out
}

func FuzzMachO(f *testing.F) {
	for _, name := range []string{"vulnerable.macho", "clean.macho", "encrypted.macho", "truncated.macho", "fat-past-end.macho", "huge-section.macho"} {
		f.Add(iosFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := extractBytes(t, Options{NoDecode: true}, "fuzz", data)
		total := 0
		for _, ch := range c.chunks {
			if ch.Format != "facts" {
				total += len(ch.Data)
			}
		}
		if total > len(data)+len(data)/2+64 {
			t.Fatalf("%d bytes rendered from %d", total, len(data))
		}
		for _, w := range c.warnings {
			if w.Fatal {
				t.Fatalf("fatal: %v", w)
			}
		}
	})
}

package extract

import (
	"archive/zip"
	"bytes"
	"slices"
	"strings"
	"testing"
)

type member struct {
	name  string
	body  []byte
	store bool
}

func makeZip(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, m := range members {
		method := zip.Deflate
		if m.store {
			method = zip.Store
		}
		f, err := w.CreateHeader(&zip.FileHeader{Name: m.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		f.Write(m.body)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipMembersWithProvenance(t *testing.T) {
	inner := makeZip(t, member{name: "deep/config.json", body: []byte(`{"token": "` + planted + `"}`)})
	outer := makeZip(t,
		member{name: "README.txt", body: []byte("hello\n")},
		member{name: "lib/inner.jar", body: inner},
		member{name: "../../etc/evil", body: []byte("zip-slip is just a name\n")},
		member{name: "README.txt", body: []byte("a duplicate entry is scanned too\n")},
	)
	c := extractBytes(t, Options{}, "bundle.zip", outer)
	got := c.paths()
	slices.Sort(got) // members may be extracted concurrently
	want := []string{"../../etc/evil", "README.txt", "README.txt", "lib/inner.jar!deep/config.json"}
	if !slices.Equal(got, want) {
		t.Errorf("paths %q, want %q", got, want)
	}
	if !strings.Contains(c.text("lib/inner.jar!deep/config.json", ""), planted) {
		t.Error("nested member content lost")
	}
}

func TestZipBombsStopAtLimits(t *testing.T) {
	zeros := bytes.Repeat([]byte{0}, 10<<20) // compresses about 1000:1
	c := extractBytes(t, Options{}, "bomb.zip", makeZip(t, member{name: "zeros.bin", body: zeros}, member{name: "ok.txt", body: []byte(planted)}))
	if !slices.Contains(c.limits(), "max-ratio") {
		t.Errorf("ratio limit not reported: %+v", c.warnings)
	}
	if !strings.Contains(c.text("ok.txt", ""), planted) {
		t.Error("the member after the bomb was not scanned")
	}

	// 42.zip-style nesting: each level holds the one below.
	level := makeZip(t, member{name: "core.txt", body: []byte(planted)})
	for i := 0; i < 6; i++ {
		level = makeZip(t, member{name: "layer.zip", body: level, store: true})
	}
	c = extractBytes(t, Options{}, "nested.zip", level)
	if !slices.Contains(c.limits(), "max-depth") {
		t.Errorf("depth limit not reported: %+v", c.warnings)
	}

	// The total budget across members.
	opts := Options{Limits: DefaultLimits}
	opts.Limits.MaxTotalBytes = 3000
	var many []member
	for i := 0; i < 5; i++ {
		many = append(many, member{name: "part.txt", body: bytes.Repeat([]byte("abcdefghij\n"), 100)})
	}
	c = extractBytes(t, opts, "many.zip", makeZip(t, many...))
	if !slices.Contains(c.limits(), "max-total-bytes") {
		t.Errorf("total limit not reported: %+v", c.warnings)
	}
}

func TestMalformedZipFallsBackToStrings(t *testing.T) {
	z := makeZip(t, member{name: "a.txt", body: []byte(planted), store: true})
	c := extractBytes(t, Options{}, "cut.zip", z[:len(z)-30]) // the central directory is cut
	if len(c.warnings) == 0 || !strings.Contains(c.warnings[0].Err.Error(), "malformed zip") {
		t.Errorf("warnings %+v", c.warnings)
	}
	if !strings.Contains(c.text("", "strings"), planted) {
		t.Error("the printable strings of a broken archive were not scanned")
	}
}

func FuzzZip(f *testing.F) {
	f.Add(makeZip(f, member{name: "a.txt", body: []byte(planted)}))
	f.Add(makeZip(f, member{name: "in.zip", body: makeZip(f, member{name: "b", body: []byte("x")}), store: true}))
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{Limits: DefaultLimits}
		opts.Limits.MaxFileSize = 1 << 20
		opts.Limits.MaxTotalBytes = 4 << 20
		c := extractBytes(t, opts, "fuzz.zip", data)
		total := 0
		for _, ch := range c.chunks {
			total += len(ch.Data)
		}
		if total > 64<<20 {
			t.Fatalf("%d bytes of chunks from %d bytes of input", total, len(data))
		}
	})
}

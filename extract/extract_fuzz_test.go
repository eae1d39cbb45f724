package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzExtract runs anything through the whole extractor, by content and
// name hint, as a scan would: detection, every format's handler, nested
// archives and decoding. A panic anywhere is recovered into an "internal
// error" warning, so that is what fails the run here; output stays
// bounded by the limits.
func FuzzExtract(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/hostile/*.*")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(filepath.Base(p), data)
	}
	f.Add("a.txt", []byte("key=\\u0041KIA%41%42 YWtpYV9rZXk9c2VjcmV0LXZhbHVlLWhlcmU="))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		opts := Options{Limits: DefaultLimits}
		opts.Limits.MaxFileSize = 1 << 20
		opts.Limits.MaxTotalBytes = 4 << 20
		c := extractBytes(t, opts, name, data)
		for _, w := range c.warnings {
			if strings.Contains(w.Err.Error(), "internal error") {
				t.Fatal(w.Err)
			}
		}
		total := 0
		for _, ch := range c.chunks {
			total += len(ch.Data)
		}
		if total > 64<<20 {
			t.Fatalf("%d bytes of chunks from %d bytes of input", total, len(data))
		}
	})
}

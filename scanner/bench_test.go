package scanner

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
)

// BenchmarkEngine scans the Go sources of GOROOT/src/net and crypto (about
// 14 MB of real code, dense in URLs, hosts, keys and test vectors) with
// the default rules, one chunk a file, on one goroutine: the engine alone,
// with no reading or extraction. bench/scan.sh measures whole runs.
func BenchmarkEngine(b *testing.B) {
	rs, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules, Trusted: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	e, err := NewEngine(rs, false)
	if err != nil {
		b.Fatal(err)
	}
	var chunks []extract.Chunk
	var size int64
	for _, dir := range []string{"net", "crypto"} {
		root := filepath.Join(runtime.GOROOT(), "src", dir)
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err == nil {
				chunks = append(chunks, extract.Chunk{Origin: extract.Origin{Target: p}, Data: data})
				size += int64(len(data))
			}
			return nil
		})
	}
	if size < 5<<20 {
		b.Skipf("only %d bytes of Go sources under GOROOT", size)
	}
	b.SetBytes(size)
	for b.Loop() {
		for _, c := range chunks {
			e.Scan(c)
		}
	}
}

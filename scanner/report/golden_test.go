package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/report/golden.* from the current writers")

// goldens maps each golden file to the options that render it.
var goldens = []struct {
	file string
	opts Options
}{
	{"golden.txt", Options{Format: "text", Summary: true}},
	{"golden.color.txt", Options{Format: "text", Summary: true, Color: true}},
	{"golden.json", Options{Format: "json"}},
	{"golden.jsonl", Options{Format: "jsonl"}},
	{"golden.sarif", Options{Format: "sarif", ToolVersion: "1.2.3"}},
}

func TestGolden(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.file, func(t *testing.T) {
			got := render(t, g.opts)
			path := filepath.Join("..", "..", "testdata", "report", g.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./scanner/report -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the writer's output (go test ./scanner/report -update to accept):\n%s", g.file, got)
			}
		})
	}
}

func render(t *testing.T, opts Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, fixture(), opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

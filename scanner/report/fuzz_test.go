package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzWriters feeds hostile text into every field that comes from scanned
// content or file names and checks that no format lets it add a line (text,
// JSONL) or break the document (JSON, SARIF).
func FuzzWriters(f *testing.F) {
	f.Add("x")
	f.Add("\n\r\n\u2028\u0085\x1b[2J\xff")
	f.Add("a!b!c/../%SRCROOT%#?")
	lines := map[string]int{}
	for _, format := range Formats() {
		lines[format] = bytes.Count(renderHostile(f, format, "x"), []byte("\n"))
	}
	f.Fuzz(func(t *testing.T, junk string) {
		for _, format := range Formats() {
			out := renderHostile(t, format, junk)
			switch format {
			case "text", "jsonl":
				if n := bytes.Count(out, []byte("\n")); n != lines[format] {
					t.Fatalf("%s: %q made %d lines, not %d:\n%s", format, junk, n, lines[format], out)
				}
			}
			if (format == "json" || format == "sarif") && !json.Valid(out) { // html: FuzzHTML
				t.Fatalf("%s: %q made invalid JSON", format, junk)
			}
		}
	})
}

func renderHostile(t testing.TB, format, junk string) []byte {
	var b bytes.Buffer
	if err := Write(&b, hostile(junk), Options{Format: format, Summary: true, Color: true}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

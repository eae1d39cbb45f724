package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/keyholesec/keyhole/scanner"
)

// writeJSON writes the findings as one indented JSON array, in the order
// of the Result. Warnings are not part of it: the CLI prints them to
// standard error.
func writeJSON(w io.Writer, res *scanner.Result, _ Options) error {
	findings := res.Findings
	if findings == nil {
		findings = []scanner.Finding{} // "[]", not "null"
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep <, > and & in matches readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(findings); err != nil {
		return err
	}
	_, err := w.Write(escapeNEL(b.Bytes()))
	return err
}

// writeJSONL writes one finding per line.
func writeJSONL(w io.Writer, res *scanner.Result, _ Options) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for i := range res.Findings {
		if err := enc.Encode(&res.Findings[i]); err != nil {
			return err
		}
	}
	_, err := w.Write(escapeNEL(b.Bytes()))
	return err
}

var (
	rawNEL     = []byte("\u0085")
	escapedNEL = []byte(`\u0085`)
)

// escapeNEL escapes U+0085 (next line), the one line break encoding/json
// leaves raw (it escapes \n, \r and U+2028/9), so readers that split on
// every Unicode line break, such as Python's splitlines, still see one
// finding per line. Outside strings JSON is ASCII, so replacing it
// everywhere is safe.
func escapeNEL(b []byte) []byte {
	return bytes.ReplaceAll(b, rawNEL, escapedNEL)
}

package report

import (
	"bufio"
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
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(nelEscaper{bw})
	enc.SetEscapeHTML(false) // keep <, > and & in matches readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(findings); err != nil {
		return err
	}
	return bw.Flush()
}

// writeJSONL writes one finding per line.
func writeJSONL(w io.Writer, res *scanner.Result, _ Options) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(nelEscaper{bw})
	enc.SetEscapeHTML(false)
	for i := range res.Findings {
		if err := enc.Encode(&res.Findings[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

var (
	rawNEL     = []byte("\u0085")
	escapedNEL = []byte(`\u0085`)
)

// nelEscaper escapes U+0085 (next line), the one line break encoding/json
// leaves raw (it escapes \n, \r and U+2028/9), so readers that split on
// every Unicode line break, such as Python's splitlines, still see one
// finding per line. A json.Encoder writes each value whole, so a
// character never straddles two writes; outside strings JSON is ASCII, so
// replacing it anywhere is safe.
type nelEscaper struct{ w io.Writer }

func (e nelEscaper) Write(p []byte) (int, error) {
	if !bytes.Contains(p, rawNEL) {
		return e.w.Write(p)
	}
	if _, err := e.w.Write(bytes.ReplaceAll(p, rawNEL, escapedNEL)); err != nil {
		return 0, err
	}
	return len(p), nil
}

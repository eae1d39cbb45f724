package portfolio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// Baseline lists known findings by content fingerprint. It has no line
// numbers, times or absolute paths, and its entries are sorted, so it
// changes only when findings do. Its "findings" array is what --baseline
// reads from JSON reports too.
type Baseline struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Entry is one known finding.
type Entry struct {
	Rule        string `json:"rule"`
	Path        string `json:"path"`
	Fingerprint string `json:"fingerprint"`
	Hint        string `json:"hint,omitempty"` // a redacted secret, to recognise the entry
}

const baselineVersion = 1

// maxHint caps a hint's length, in runes.
const maxHint = 60

// NewBaseline records findings, one entry per fingerprint.
func NewBaseline(findings []scanner.Finding) *Baseline {
	b := &Baseline{Version: baselineVersion}
	b.add(findings)
	return b
}

// ReadBaseline reads a baseline, or a keyhole JSON report (an array of
// findings, or an object with a "findings" array) to start one from.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<30))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	var items []struct {
		Entry
		Kind   string `json:"kind"`
		Secret string `json:"secret"`
	}
	if bytes.HasPrefix(data, []byte("{")) {
		var doc struct {
			Findings json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal(data, &doc); err != nil || doc.Findings == nil {
			return nil, fmt.Errorf("not a keyhole baseline or JSON report: %v", orNoFindings(err))
		}
		data = doc.Findings
	}
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, fmt.Errorf("not a keyhole baseline or JSON report: %v", err)
	}
	b := &Baseline{Version: baselineVersion}
	for _, it := range items {
		e := it.Entry
		if e.Fingerprint == "" {
			continue
		}
		if e.Hint == "" {
			e.Hint = hint(it.Kind, it.Secret)
		}
		b.Findings = append(b.Findings, e)
	}
	b.normalise()
	return b, nil
}

func orNoFindings(err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf(`no "findings"`)
}

// Fingerprints is the set --baseline suppresses.
func (b *Baseline) Fingerprints() map[string]bool {
	out := make(map[string]bool, len(b.Findings))
	for _, e := range b.Findings {
		out[e.Fingerprint] = true
	}
	return out
}

// Update drops entries that findings no longer have and, with add, adds
// the findings it lacks. It reports how many entries went and came.
func (b *Baseline) Update(findings []scanner.Finding, add bool) (dropped, added int) {
	current := map[string]bool{}
	for _, f := range findings {
		current[f.Fingerprint] = true
	}
	kept := b.Findings[:0]
	for _, e := range b.Findings {
		if current[e.Fingerprint] {
			kept = append(kept, e)
		}
	}
	dropped = len(b.Findings) - len(kept)
	b.Findings = kept
	if add {
		before := len(b.Findings)
		b.add(findings)
		added = len(b.Findings) - before
	}
	return dropped, added
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

func (b *Baseline) add(findings []scanner.Finding) {
	known := b.Fingerprints()
	for _, f := range findings {
		if f.Fingerprint == "" || known[f.Fingerprint] {
			continue
		}
		known[f.Fingerprint] = true
		b.Findings = append(b.Findings, Entry{
			Rule: f.Rule, Path: entryPath(f), Fingerprint: f.Fingerprint, Hint: hint(f.Kind, f.Secret),
		})
	}
	b.normalise()
}

// normalise sorts entries and drops repeated fingerprints.
func (b *Baseline) normalise() {
	slices.SortFunc(b.Findings, func(x, y Entry) int {
		return cmpEach(x.Path, y.Path, x.Rule, y.Rule, x.Fingerprint, y.Fingerprint)
	})
	b.Findings = slices.CompactFunc(b.Findings, func(x, y Entry) bool { return x.Fingerprint == y.Fingerprint })
	if b.Findings == nil {
		b.Findings = []Entry{} // "[]", not "null"
	}
}

// entryPath is the path the fingerprint keys on: inside the target, or
// the file's name when the target is the file.
func entryPath(f scanner.Finding) string {
	if f.Path != "" {
		return f.Path
	}
	return filepath.Base(f.Target)
}

// hint shows enough of a secret to recognise it and never more: a secret
// not already redacted (a --no-redact report) is redacted here.
func hint(kind, secret string) string {
	if kind != rules.KindMisconfig && !strings.HasSuffix(secret, "REDACTED") {
		secret = scanner.Redact(secret)
	}
	if utf8.RuneCountInString(secret) > maxHint {
		secret = string([]rune(secret)[:maxHint]) + "…"
	}
	return secret
}

// cmpEach compares pairs in turn: a, b, then c, d, and so on.
func cmpEach(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

// Package scanner is the engine: it selects rules with a keyword
// prefilter, runs them on windows around the hits, filters by entropy and
// allowlists, deduplicates and fingerprints findings, and applies
// suppressions. Report writers live in scanner/report.
package scanner

import "time"

// Finding is one thing found. The JSON form is keyhole's machine output;
// field names are stable.
type Finding struct {
	Rule        string   `json:"rule"`
	Kind        string   `json:"kind"`
	Severity    string   `json:"severity"`
	Description string   `json:"description"`
	Tags        []string `json:"tags,omitempty"`

	Target  string `json:"target"`
	Path    string `json:"path"`   // file and archive members: "app.apk!classes.dex"
	Line    int    `json:"line"`   // 1-based, in the (rendered) text
	Column  int    `json:"column"` // 1-based byte column
	EndLine int    `json:"endLine"`
	Format  string `json:"format,omitempty"` // what the text was rendered or decoded from

	Secret  string  `json:"secret"` // redacted unless asked otherwise
	Match   string  `json:"match"`  // likewise
	Entropy float64 `json:"entropy"`

	Commit string     `json:"commit,omitempty"`
	Author string     `json:"author,omitempty"`
	Email  string     `json:"email,omitempty"`
	Date   *time.Time `json:"date,omitempty"`

	Fingerprint string `json:"fingerprint"`

	// Location is Target and Path as people read them, for text reports.
	Location string `json:"-"`
}

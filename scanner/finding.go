// Package scanner is the engine: it selects rules with a keyword
// prefilter, runs them on windows around the hits, filters by entropy and
// allowlists, deduplicates and fingerprints findings, and applies
// suppressions. Report writers live in scanner/report.
package scanner

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

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
	// Seq orders commits of one date (see extract.Origin.Seq).
	Seq int `json:"-"`

	Fingerprint string `json:"fingerprint"`
	// SecretHash identifies the secret alone, wherever it was found: the
	// same key in two builds or at two paths has one SecretHash.
	SecretHash string `json:"secretHash,omitempty"`

	// Location is Target and Path as people read them, for text reports.
	Location string `json:"-"`
}

// SecretHash is the first 16 hex digits of the secret's SHA-256, "" for
// none.
func SecretHash(secret string) string {
	if secret == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:8])
}

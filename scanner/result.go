package scanner

import "time"

// Result is everything a run produced, in deterministic order; report
// writers render it.
type Result struct {
	Findings []Finding      `json:"findings"`
	Warnings []Warning      `json:"warnings,omitempty"`
	Targets  []TargetResult `json:"targets,omitempty"`
	// Suppressed counts findings hidden by inline comments, .keyholeignore
	// or the baseline.
	Suppressed int `json:"suppressed,omitempty"`
	// BaselineUnused counts baseline entries that no longer occur.
	BaselineUnused int `json:"baselineUnused,omitempty"`
}

// Warning is a problem with one target or member that did not stop the
// run. Message never contains scanned content.
type Warning struct {
	Target string `json:"target"`
	Path   string `json:"path,omitempty"`
	// Location is Target and Path as people read them ("src/a.zip!b").
	Location string `json:"location,omitempty"`
	Limit    string `json:"limit,omitempty"`
	Message  string `json:"message"`
	// Fatal marks a target that could not be scanned: the run exits 2.
	Fatal bool `json:"fatal,omitempty"`
}

// TargetResult summarises one target of the run.
type TargetResult struct {
	Target   string        `json:"target"`
	Kind     string        `json:"kind"` // directory, file, apk, ipa, git, stdin …
	Files    int           `json:"files"`
	Bytes    int64         `json:"bytes"`
	Duration time.Duration `json:"duration"`
	Error    string        `json:"error,omitempty"`
	// Counts holds findings by severity.
	Counts map[string]int `json:"counts"`
}

// Package rules is the rule model: loading and validating TOML rule files
// (a superset of gitleaks' format), compiling them, and matching one rule
// against text. It knows nothing of targets or how text was extracted.
package rules

import (
	"regexp"
	"strings"
	"sync"
)

// Kinds of rule.
const (
	KindSecret    = "secret"
	KindMisconfig = "misconfig"
)

// Severities, most severe first.
var Severities = []string{"critical", "high", "medium", "low", "info"}

// SeverityRank orders severities: critical is 5, info 1, unknown 0.
func SeverityRank(s string) int {
	for i, v := range Severities {
		if v == s {
			return len(Severities) - i
		}
	}
	return 0
}

// Rule is a compiled rule.
type Rule struct {
	ID          string
	Description string
	Kind        string
	Severity    string
	Tags        []string
	References  []string
	Examples    []string
	Negatives   []string

	pattern     string         // the regex; empty for a path-only rule
	re          *regexp.Regexp // compiled by Prepare
	SecretGroup int
	Entropy     float64
	Path        *regexp.Regexp
	Allowlists  []*Allowlist
	Required    []Required
	SkipReport  bool
	Overrides   []Override

	// Keywords select the rule in the prefilter, lower-cased. For a rule
	// written without keywords they are literals every match contains.
	Keywords []string
	// Windowed says every match contains one of Keywords, so the rule may
	// run on windows around keyword hits instead of the whole text. It and
	// the fields below are set by Prepare.
	Windowed bool
	// Reach is the longest match in bytes, or -1 when unbounded.
	Reach int
	// Multiline says a match can span lines.
	Multiline bool
	// Before and After bound a windowed match around a keyword hit: it
	// starts at most Before bytes before the hit's start and ends at most
	// After bytes after it; -1 means unbounded on that side, and then
	// BeforeLines/AfterLines say whether the line still bounds it.
	Before, After           int
	BeforeLines, AfterLines bool

	// gate is a looser, cheaper regex that matches wherever Regex does;
	// text it does not match is skipped. anchors, one per top-level
	// branch, try each branch's tail at a keyword hit (see analyse.go).
	once       sync.Once // Prepare
	analysed   bool      // Windowed, Reach and the window are worked out
	placements []placement
	gate       *regexp.Regexp
	anchors    []*anchor
	// pruning says hits may be dropped: those whose keyword belongs to no
	// branch in searchAll and that no anchor accepts.
	pruning       bool
	searchAll     map[string]bool
	severityGroup int // index of the (?P<severity>) group, or -1; set by Prepare
	source        position
}

// Window bounds where a match lies around a keyword hit: it starts at
// most Before bytes before the hit's start and ends at most After bytes
// after it; -1 means unbounded on that side, and then BeforeLines or
// AfterLines say whether the line still bounds it.
type Window struct {
	Before, After           int
	BeforeLines, AfterLines bool
}

// Required is a composite-rule component (gitleaks' [[rules.required]]).
type Required struct {
	ID            string
	WithinLines   int // -1 when unset
	WithinColumns int // -1 when unset
}

// Override sets Severity for findings whose path matches any of Paths.
type Override struct {
	Paths    []*regexp.Regexp
	Severity string
}

// HasRegex says whether the rule has a regex (else it matches paths only).
func (r *Rule) HasRegex() bool { return r.pattern != "" }

// Pattern returns the rule's regex as written.
func (r *Rule) Pattern() string { return r.pattern }

// SeverityFor returns the rule's severity for a finding at path.
func (r *Rule) SeverityFor(path string) string {
	for _, o := range r.Overrides {
		for _, p := range o.Paths {
			if p.MatchString(path) {
				return o.Severity
			}
		}
	}
	return r.Severity
}

// Allowlist suppresses findings (gitleaks' semantics).
type Allowlist struct {
	Description string
	MatchAll    bool // condition AND: every set criterion must hold
	Commits     map[string]bool
	Paths       []*regexp.Regexp
	Regexes     []*regexp.Regexp
	RegexTarget string // "secret" (default), "match" or "line"
	StopWords   []string
	TargetRules map[string]bool // global allowlists only; empty means all rules
}

// Candidate is what an allowlist judges.
type Candidate struct {
	Path   string
	Commit string
	Secret []byte
	Match  []byte
	Line   []byte
}

// Allows says whether the allowlist suppresses c.
func (a *Allowlist) Allows(c *Candidate) bool {
	var checks []bool
	if len(a.Commits) > 0 {
		checks = append(checks, c.Commit != "" && a.Commits[c.Commit])
	}
	if len(a.Paths) > 0 {
		checks = append(checks, anyMatch(a.Paths, []byte(c.Path)))
	}
	if len(a.Regexes) > 0 {
		target := c.Secret
		switch a.RegexTarget {
		case "match":
			target = c.Match
		case "line":
			target = c.Line
		}
		checks = append(checks, anyMatch(a.Regexes, target))
	}
	if len(a.StopWords) > 0 {
		checks = append(checks, containsStopWord(c.Secret, a.StopWords))
	}
	if len(checks) == 0 {
		return false
	}
	for _, ok := range checks {
		if ok && !a.MatchAll {
			return true
		}
		if !ok && a.MatchAll {
			return false
		}
	}
	return a.MatchAll
}

// AllowsPath says whether the allowlist suppresses everything at path,
// whatever is found there: then the file need not be scanned at all.
func (a *Allowlist) AllowsPath(path string) bool {
	if len(a.Paths) == 0 || !anyMatch(a.Paths, []byte(path)) {
		return false
	}
	return !a.MatchAll || (len(a.Commits) == 0 && len(a.Regexes) == 0 && len(a.StopWords) == 0)
}

func anyMatch(res []*regexp.Regexp, b []byte) bool {
	for _, re := range res {
		if re.Match(b) {
			return true
		}
	}
	return false
}

func containsStopWord(secret []byte, words []string) bool {
	s := strings.ToLower(string(secret))
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Ruleset is a loaded, validated and compiled set of rules.
type Ruleset struct {
	Rules      []*Rule
	Allowlists []*Allowlist // global
	byID       map[string]*Rule
}

// Rule returns the rule with the given id, or nil.
func (rs *Ruleset) Rule(id string) *Rule { return rs.byID[id] }

package rules

import (
	"bytes"
	"fmt"
	"math"
	"strings"
)

// Match is one match of a rule, with offsets into the text searched.
type Match struct {
	Start, End             int // the whole match
	SecretStart, SecretEnd int // the secret within it
	Entropy                float64
	// Severity is set when the regex captured one in (?P<severity>…).
	Severity string
	// Captures holds the named groups, for ${name} in descriptions.
	Captures map[string]string
}

// FindAll returns the rule's matches in text that pass its entropy check.
// Allowlists are applied separately (they need the path and line).
func (r *Rule) FindAll(text []byte) []Match {
	if r.pattern == "" {
		return nil
	}
	r.Prepare()
	if r.gate != nil && !r.gate.Match(text) {
		return nil
	}
	return r.find(text)
}

// FindAllNear is FindAll for a window around a keyword hit for which
// MayMatchAt said true: the gate has been passed already.
func (r *Rule) FindAllNear(text []byte) []Match {
	r.Prepare()
	if !r.pruning || r.searchAll != nil {
		return r.FindAll(text) // some windows were not vetted by an anchor
	}
	return r.find(text)
}

func (r *Rule) find(text []byte) []Match {
	if r.re == nil {
		return nil
	}
	var out []Match
	for _, loc := range r.re.FindAllSubmatchIndex(text, -1) {
		m := Match{Start: loc[0], End: loc[1], SecretStart: loc[0], SecretEnd: loc[1]}
		if g := r.secretGroup(loc); g > 0 {
			m.SecretStart, m.SecretEnd = loc[2*g], loc[2*g+1]
		}
		if m.SecretEnd <= m.SecretStart {
			continue
		}
		secret := text[m.SecretStart:m.SecretEnd]
		m.Entropy = ShannonEntropy(secret)
		if r.Entropy > 0 && m.Entropy <= r.Entropy {
			continue
		}
		if g := r.severityGroup; g > 0 && loc[2*g] >= 0 {
			m.Severity = strings.ToLower(string(text[loc[2*g]:loc[2*g+1]]))
		}
		if strings.Contains(r.Description, "${") {
			m.Captures = map[string]string{}
			for i, name := range r.re.SubexpNames() {
				if name != "" && loc[2*i] >= 0 {
					m.Captures[name] = string(text[loc[2*i]:loc[2*i+1]])
				}
			}
		}
		out = append(out, m)
	}
	return out
}

// secretGroup is the group holding the secret: secretGroup when set, else
// the first group that took part in the match (gitleaks' rule), else 0.
func (r *Rule) secretGroup(loc []int) int {
	if r.SecretGroup > 0 {
		if loc[2*r.SecretGroup] >= 0 {
			return r.SecretGroup
		}
		return 0
	}
	for g := 1; 2*g+1 < len(loc); g++ {
		if loc[2*g] >= 0 && loc[2*g+1] > loc[2*g] && g != r.severityGroup {
			return g
		}
	}
	return 0
}

// MayMatchAt says whether a match of r can contain the hit of keyword
// that starts at offset at in data (lower is data lower-cased), and if so
// the window around the hit to search. False is certain.
func (r *Rule) MayMatchAt(data, lower []byte, at int, keyword string) (Window, bool) {
	r.Prepare()
	all := Window{r.Before, r.After, r.BeforeLines, r.AfterLines}
	if !r.pruning || r.searchAll[keyword] {
		return all, true
	}
	var w Window
	found := false
	for _, a := range r.anchors {
		if a.keywords[keyword] && a.mayMatchAt(data, lower, at, keyword) {
			if found {
				return all, true // several branches: the widest window
			}
			w, found = a.window, true
		}
	}
	return w, found
}

// mayMatchAt tries the anchor at each start the keyword hit allows. Most
// tries fail within a few bytes, however long the text they are given.
func (a *anchor) mayMatchAt(data, lower []byte, at int, keyword string) bool {
	end := len(data)
	switch {
	case a.after >= 0:
		end = min(at+a.after, end)
	case a.afterLines:
		if i := bytes.IndexByte(data[at:], '\n'); i >= 0 {
			end = at + i
		}
	}
	// One byte past the bound lets a trailing \b see the real next byte.
	end = min(end+1, len(data))
	if a.starts != nil {
		// Only where a literal prefix holding the keyword can begin.
		for _, p := range a.starts[keyword] {
			start := at - p.off
			if start < 0 || !a.follows(data[start:end], lower[start:end], p.prefix) || !a.holdsNeeds(lower[start:end]) {
				continue
			}
			if a.matchFrom(data, start, end) {
				return true
			}
		}
		return false
	}
	if !a.holdsNeeds(lower[max(at-a.slack, 0):end]) {
		return false
	}
	for start := at; start >= max(at-a.slack, 0); start-- {
		if a.matchFrom(data, start, end) {
			return true
		}
	}
	return false
}

// matchFrom tries the anchor with the tail starting at start. Where the
// tail starts with a word boundary the byte before start goes in too:
// cut off, \b and \B would judge by the slice's edge.
func (a *anchor) matchFrom(data []byte, start, end int) bool {
	if a.lookBehind && start > 0 {
		start--
	}
	return a.re.Match(data[start:end])
}

// maxNeedsSpan bounds the text holdsNeeds searches. Where a branch's
// reach is unbounded the text runs to the chunk's end, and searching it at
// every keyword hit is quadratic (a Mach-O is one chunk); there the regex,
// which fails within a few bytes, is cheaper.
const maxNeedsSpan = 4 << 10

// holdsNeeds says whether text holds the literals every match holds, in
// order; true, without looking, for text longer than maxNeedsSpan.
func (a *anchor) holdsNeeds(text []byte) bool {
	if len(text) > maxNeedsSpan {
		return true
	}
	for _, n := range a.needs {
		i := bytes.Index(text, n)
		if i < 0 {
			return false
		}
		text = text[i+len(n):]
	}
	return true
}

// follows says whether text starts with prefix (compared lower-cased) and
// the byte after it can follow it.
func (a *anchor) follows(text, lower []byte, prefix string) bool {
	if len(lower) < len(prefix) || string(lower[:len(prefix)]) != prefix {
		return false
	}
	return a.next == nil || len(text) > len(prefix) && a.next[text[len(prefix)]]
}

// Describe returns the rule's description with ${name} filled from the
// match's named groups.
func (r *Rule) Describe(m *Match) string {
	if m == nil || m.Captures == nil {
		return r.Description
	}
	d := r.Description
	for k, v := range m.Captures {
		d = strings.ReplaceAll(d, "${"+k+"}", v)
	}
	return d
}

// Allowed says whether a rule allowlist or a global allowlist that applies
// to the rule suppresses c.
func (rs *Ruleset) Allowed(r *Rule, c *Candidate) bool {
	for _, a := range r.Allowlists {
		if a.Allows(c) {
			return true
		}
	}
	for _, a := range rs.Allowlists {
		if (len(a.TargetRules) == 0 || a.TargetRules[r.ID]) && a.Allows(c) {
			return true
		}
	}
	return false
}

// ShannonEntropy is the entropy of b in bits per byte.
func ShannonEntropy(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	h, n := 0.0, float64(len(b))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// HasKeyword says whether lower-cased text contains one of the rule's
// keywords (a rule without keywords is selected by path alone).
func (r *Rule) HasKeyword(lower []byte) bool {
	if len(r.Keywords) == 0 {
		return true
	}
	for _, k := range r.Keywords {
		if bytes.Contains(lower, []byte(k)) {
			return true
		}
	}
	return false
}

// Test runs one rule over text as the engine would (keyword prefilter,
// regex, entropy, allowlists), without a path. It serves rule examples.
func (rs *Ruleset) Test(r *Rule, text string) []Match {
	if !r.HasKeyword(lowerASCII([]byte(text))) {
		return nil
	}
	var out []Match
	for _, m := range r.FindAll([]byte(text)) {
		c := Candidate{Secret: []byte(text[m.SecretStart:m.SecretEnd]), Match: []byte(text[m.Start:m.End]), Line: lineAround([]byte(text), m.Start, m.End)}
		if !rs.Allowed(r, &c) {
			out = append(out, m)
		}
	}
	return out
}

// Failure is a rule whose example was not found or whose negative was.
type Failure struct {
	Rule    string
	Example string // the text at fault
	Want    bool   // true: an example that did not match
}

func (f Failure) String() string {
	if f.Want {
		return fmt.Sprintf("rule %q: example not found: %q", f.Rule, f.Example)
	}
	return fmt.Sprintf("rule %q: negative matched: %q", f.Rule, f.Example)
}

// Check runs every rule's examples and negatives.
func (rs *Ruleset) Check() []Failure {
	var out []Failure
	for _, r := range rs.Rules {
		for _, ex := range r.Examples {
			if len(rs.Test(r, ex)) == 0 {
				out = append(out, Failure{Rule: r.ID, Example: ex, Want: true})
			}
		}
		for _, neg := range r.Negatives {
			if len(rs.Test(r, neg)) > 0 {
				out = append(out, Failure{Rule: r.ID, Example: neg})
			}
		}
	}
	return out
}

func lowerASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

func lineAround(text []byte, start, end int) []byte {
	s := bytes.LastIndexByte(text[:start], '\n') + 1
	e := bytes.IndexByte(text[end:], '\n')
	if e < 0 {
		return text[s:]
	}
	return text[s : end+e]
}

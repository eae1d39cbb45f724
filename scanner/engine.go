package scanner

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
)

// Engine matches a ruleset against chunks. It is safe for concurrent use.
type Engine struct {
	rs        *rules.Ruleset
	pre       *prefilter
	pathRules []int // rules with no keywords, selected by their path alone
	scratch   sync.Pool
	maxMatch  int
	noRedact  bool
	fullText  bool // run every selected rule on the whole chunk (tests compare)
}

// NewEngine prepares rs for scanning. Findings carry their secrets
// redacted unless noRedact.
func NewEngine(rs *rules.Ruleset, noRedact bool) (*Engine, error) {
	pre, err := newPrefilter(rs.Rules)
	if err != nil {
		return nil, err
	}
	e := &Engine{rs: rs, pre: pre, maxMatch: defaultMaxMatch, noRedact: noRedact}
	for i, r := range rs.Rules {
		if len(r.Keywords) == 0 {
			e.pathRules = append(e.pathRules, i)
		}
	}
	e.scratch.New = func() any { return &scratch{hits: map[int][]hit{}} }
	return e, nil
}

// defaultMaxMatch caps the match text kept for reports: minified bundles
// have lines of megabytes.
const defaultMaxMatch = 240

type scratch struct {
	lower []byte
	hits  map[int][]hit
}

// raw is a finding before redaction, still pointing into its chunk.
type raw struct {
	rule      *rules.Rule
	m         rules.Match
	line, col int
	endLine   int
	secret    string
	matchText string
}

// Scan returns the findings in c, for c's origin and its aliases.
func (e *Engine) Scan(c extract.Chunk) []Finding {
	path := rulePath(c.Origin)
	for _, a := range e.rs.Allowlists {
		if len(c.Aliases) == 0 && len(a.TargetRules) == 0 && a.AllowsPath(path) {
			return nil
		}
	}
	s := e.scratch.Get().(*scratch)
	defer e.scratch.Put(s)
	for k := range s.hits {
		delete(s.hits, k)
	}
	s.lower = lowerInto(s.lower, c.Data)
	e.pre.find(s.lower, s.hits)
	for _, ri := range e.pathRules {
		s.hits[ri] = nil
	}
	if len(s.hits) == 0 {
		return nil
	}
	ids := make([]int, 0, len(s.hits))
	for ri := range s.hits {
		ids = append(ids, ri)
	}
	sort.Ints(ids)

	lines := newLineIndex(c.Data)
	var found []raw
	for _, ri := range ids {
		r := e.rs.Rules[ri]
		if r.Path != nil && !r.Path.MatchString(path) {
			continue
		}
		if !r.HasRegex() { // a path-only rule: the file itself is the finding
			found = append(found, raw{rule: r, line: 1, col: 1, endLine: 1})
			continue
		}
		for _, m := range e.matches(r, c.Data, s.lower, s.hits[ri]) {
			secret := c.Data[m.SecretStart:m.SecretEnd]
			line := lines.line(m.Start)
			lineText := lines.text(line)
			if isInlineAllowed(lineText) {
				continue
			}
			cand := rules.Candidate{Path: path, Commit: c.Origin.Commit, Secret: secret, Match: c.Data[m.Start:m.End], Line: lineText}
			if e.rs.Allowed(r, &cand) {
				continue
			}
			found = append(found, raw{
				rule: r, m: m,
				line:      line + 1,
				col:       m.Start - lines.start(line) + 1,
				endLine:   lines.line(max(m.End-1, m.Start)) + 1,
				secret:    string(secret),
				matchText: e.matchText(r, c.Data, m),
			})
		}
	}
	found = applyRequired(found)
	found = dropGenericOverlaps(found)
	origins := append([]extract.Origin{c.Origin}, c.Aliases...)
	out := make([]Finding, 0, len(found)*len(origins))
	for _, o := range origins {
		for _, f := range found {
			out = append(out, e.finding(f, c, o))
		}
	}
	return out
}

func (e *Engine) finding(f raw, c extract.Chunk, o extract.Origin) Finding {
	r := f.rule
	path := rulePath(o)
	sev := r.SeverityFor(path)
	if f.m.Severity != "" && rules.SeverityRank(f.m.Severity) > 0 {
		sev = f.m.Severity
	}
	fd := Finding{
		Rule: r.ID, Kind: r.Kind, Severity: sev, Description: r.Describe(&f.m), Tags: r.Tags,
		Target: o.Target, Path: o.Path, Line: f.line + c.LineOffset, Column: f.col, EndLine: f.endLine + c.LineOffset,
		Format: c.Format, Secret: f.secret, Match: f.matchText, Entropy: round2(f.m.Entropy),
		Commit: o.Commit, Author: o.Author, Email: o.Email,
		Fingerprint: Fingerprint(r.ID, fingerprintPath(o), f.secret), SecretHash: SecretHash(f.secret),
		Location: o.String(),
	}
	if e.redacts(r) {
		fd.Secret = Redact(f.secret)
	}
	if c.Encoded {
		fd.Column = 0 // the column of decoded text says nothing about the file
	}
	if !o.Date.IsZero() {
		d := o.Date
		fd.Date, fd.Seq = &d, o.Seq
	}
	return fd
}

// maxHits is how many keyword hits of one rule in one chunk are vetted one
// by one; past it (a keyword on every line of a huge file) the rule runs
// over the whole chunk, which gives the same result in bounded memory.
const maxHits = 1 << 20

// matches runs r over data: on windows around its keyword hits when that
// is exact (see rules.Rule.Windowed), else over the whole chunk.
func (e *Engine) matches(r *rules.Rule, data, lower []byte, hits []hit) []rules.Match {
	r.Prepare()
	if e.fullText || !r.Windowed || len(hits) == 0 || len(hits) > maxHits {
		return r.FindAll(data)
	}
	var live []vetted
	for _, h := range hits {
		if w, ok := r.MayMatchAt(data, lower, int(h.start), e.pre.keywords[h.keyword]); ok {
			live = append(live, vetted{int(h.start), int(h.end), w})
		}
	}
	var out []rules.Match
	lastEnd := -1
	for _, w := range windows(data, live) {
		for _, m := range r.FindAllNear(data[w.start:w.end]) {
			m.Start += w.start
			m.End += w.start
			m.SecretStart += w.start
			m.SecretEnd += w.start
			if m.Start < lastEnd { // already found from the previous window
				continue
			}
			out = append(out, m)
			lastEnd = m.End
		}
	}
	return out
}

// vetted is a keyword hit a rule accepted, with the window to search.
type vetted struct {
	start, end int
	window     rules.Window
}

type window struct{ start, end int }

// lineSlack is how far a window may grow to reach line boundaries, so that
// ^, $ and \b see the same context as in a full-text run.
const lineSlack = 256

// windows returns merged windows covering every match that contains one
// of hits (each bounded by its hit's window), widened to line boundaries.
func windows(data []byte, hits []vetted) []window {
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	var out []window
	for _, h := range hits {
		b := h.window
		w := window{0, len(data)}
		switch {
		case b.Before >= 0:
			w.start = lineStartAt(data, max(h.start-b.Before, 0), lineSlack)
		case b.BeforeLines:
			w.start = lineStartAt(data, h.start, len(data))
		}
		switch {
		case b.After >= 0:
			w.end = lineEndAt(data, min(h.start+b.After, len(data)), lineSlack)
		case b.AfterLines:
			w.end = lineEndAt(data, h.end, len(data))
		}
		if n := len(out); n > 0 && w.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, w.end)
			continue
		}
		out = append(out, w)
	}
	return out
}

// lineStartAt moves i back to the start of its line, by at most limit bytes.
func lineStartAt(data []byte, i, limit int) int {
	lo := max(i-limit, 0)
	if j := bytes.LastIndexByte(data[lo:i], '\n'); j >= 0 {
		return lo + j + 1
	}
	return lo
}

// lineEndAt moves i forward to the end of its line, by at most limit bytes.
func lineEndAt(data []byte, i, limit int) int {
	hi := min(i+limit, len(data))
	if j := bytes.IndexByte(data[i:hi], '\n'); j >= 0 {
		return i + j
	}
	return hi
}

// applyRequired keeps findings of composite rules only when each required
// component is found nearby, and drops findings of skipReport rules.
func applyRequired(found []raw) []raw {
	composite := false
	for _, f := range found {
		if len(f.rule.Required) > 0 || f.rule.SkipReport {
			composite = true
			break
		}
	}
	if !composite {
		return found
	}
	out := found[:0:0]
	for _, f := range found {
		if f.rule.SkipReport {
			continue
		}
		ok := true
		for _, req := range f.rule.Required {
			if !hasNear(found, f, req) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, f)
		}
	}
	return out
}

// dropGenericOverlaps drops a generic rule's finding when a specific rule
// found the same secret: one secret, one finding, under its real name.
func dropGenericOverlaps(found []raw) []raw {
	if len(found) < 2 {
		return found
	}
	out := found[:0:0]
	for _, f := range found {
		if isGeneric(f.rule) && slices.ContainsFunc(found, func(g raw) bool {
			return !isGeneric(g.rule) && g.rule.HasRegex() &&
				g.m.SecretStart < f.m.SecretEnd && f.m.SecretStart < g.m.SecretEnd
		}) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func isGeneric(r *rules.Rule) bool {
	return strings.HasPrefix(r.ID, "generic") || slices.Contains(r.Tags, "generic")
}

func hasNear(found []raw, f raw, req rules.Required) bool {
	for _, g := range found {
		if g.rule.ID != req.ID {
			continue
		}
		if req.WithinLines >= 0 && abs(g.line-f.line) > req.WithinLines {
			continue
		}
		if req.WithinColumns >= 0 && abs(g.col-f.col) > req.WithinColumns {
			continue
		}
		return true
	}
	return false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// isInlineAllowed says whether the line carries an allow comment.
func isInlineAllowed(line []byte) bool {
	return bytes.Contains(line, []byte("keyhole:allow")) || bytes.Contains(line, []byte("gitleaks:allow"))
}

// rulePath is the path rules and allowlists match against: the display
// path with archive separators as slashes, so `(^|/)\.env$` also matches
// `app.apk!assets/.env`.
func rulePath(o extract.Origin) string {
	return strings.ReplaceAll(o.String(), "!", "/")
}

// fingerprintPath is the path a fingerprint keys on: inside the target, so
// it does not change with the directory a scan was started from.
func fingerprintPath(o extract.Origin) string {
	if o.Path != "" {
		return o.Path
	}
	i := strings.LastIndexAny(o.Target, `/\`)
	return o.Target[i+1:]
}

// Fingerprint identifies a finding by content: rule, path and a hash of
// the secret, never the line, so moving a secret does not revive it.
func Fingerprint(rule, path, secret string) string {
	h := sha256.New()
	h.Write([]byte(rule))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// redacts says whether findings of r hide what they matched: secrets do,
// unless asked otherwise; a misconfiguration is no secret.
func (e *Engine) redacts(r *rules.Rule) bool {
	return !e.noRedact && r.Kind == rules.KindSecret
}

// matchText is the match as reports show it: the secret redacted (unless
// asked otherwise), clipped to maxMatch bytes around it.
func (e *Engine) matchText(r *rules.Rule, data []byte, m rules.Match) string {
	secret := string(data[m.SecretStart:m.SecretEnd])
	if e.redacts(r) {
		secret = Redact(secret)
	}
	before, after := data[m.Start:m.SecretStart], data[m.SecretEnd:m.End]
	if len(before) > e.maxMatch/4 {
		before = before[len(before)-e.maxMatch/4:]
	}
	if len(secret) > e.maxMatch/2 {
		secret = secret[:e.maxMatch/2] + "…"
	}
	if room := e.maxMatch - len(before) - len(secret); len(after) > max(room, 0) {
		after = after[:max(room, 0)]
	}
	return string(before) + secret + string(after)
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

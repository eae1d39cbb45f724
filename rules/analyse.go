package rules

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The engine runs a rule only near keyword hits, on windows as wide as the
// rule's longest match. That is exact only when every match contains a
// keyword and the reach is known; analyse works both out from the regex.

// maxSetSize bounds the literal sets built while analysing a regex.
const maxSetSize = 64

func analyse(r *Rule, parsed *syntax.Regexp) {
	simple := parsed.Simplify()
	r.Reach = maxLen(simple)
	r.Multiline = canMatchNewline(simple)
	set, ok := required(simple, r.Keywords)
	switch {
	case len(r.Keywords) > 0:
		r.Windowed = ok && covered(set, r.Keywords)
	case ok && minLen(set) >= 3:
		r.Keywords = set
		r.Windowed = true
	}
	r.Before, r.After = r.Reach, r.Reach
	r.BeforeLines, r.AfterLines = !r.Multiline, !r.Multiline
}

// Prepare compiles the rule's regex, its gate and anchors, and narrows
// its windows, the first time the rule is used: doing it for every rule
// on every run would cost a pre-commit hook most of half a second.
func (r *Rule) Prepare() {
	r.once.Do(func() {
		if r.pattern == "" {
			return
		}
		r.re = regexp.MustCompile(r.pattern) // parsed when loaded, or trusted
		r.severityGroup = r.re.SubexpIndex("severity")
		raw, _ := syntax.Parse(r.pattern, syntax.Perl)
		if !r.analysed {
			parsed, _ := syntax.Parse(r.pattern, syntax.Perl)
			analyse(r, parsed)
		}
		r.gate = gate(raw)
		if !r.Windowed {
			return
		}
		simple, _ := syntax.Parse(r.pattern, syntax.Perl)
		sb, rb := branches(simple.Simplify()), branches(raw)
		// Each branch of a top-level alternation is placed around its
		// own keyword; the rule's window is the widest of them.
		r.Before, r.After = 0, 0
		r.BeforeLines, r.AfterLines = true, true
		if len(rb) != len(sb) { // the raw tree lacks the branches analysed
			for _, b := range sb {
				p := narrow(b, r.Keywords)
				r.Before, r.BeforeLines = widest(r.Before, r.BeforeLines, p.before, p.beforeLines)
				r.After, r.AfterLines = widest(r.After, r.AfterLines, p.after, p.afterLines)
			}
			return
		}
		r.pruning = true
		for k, b := range sb {
			p := narrow(b, r.Keywords)
			r.Before, r.BeforeLines = widest(r.Before, r.BeforeLines, p.before, p.beforeLines)
			r.After, r.AfterLines = widest(r.After, r.AfterLines, p.after, p.afterLines)
			own := keywordsIn(p.set, r.Keywords)
			if a := newAnchor(p, b, rb[k]); a != nil {
				a.keywords = own
				a.starts = startsOf(a.prefixes, own)
				r.anchors = append(r.anchors, a)
				continue
			}
			// A branch without an anchor: each hit of its keywords must be
			// searched.
			if r.searchAll == nil {
				r.searchAll = map[string]bool{}
			}
			for k := range own {
				r.searchAll[k] = true
			}
		}
	})
}

// startsOf indexes, for each keyword, the prefixes containing it and
// where. When every prefix holds a keyword, every tail match holds a hit
// inside its prefix, so hits need only be tried at those offsets; else it
// returns nil and each hit is tried across the anchor's slack.
func startsOf(prefixes []string, keywords map[string]bool) map[string][]prefixAt {
	own := make([]string, 0, len(keywords))
	for k := range keywords {
		own = append(own, k)
	}
	if prefixes == nil || !covered(prefixes, own) {
		return nil
	}
	starts := map[string][]prefixAt{}
	for k := range keywords {
		for _, p := range prefixes {
			for off := 0; off+len(k) <= len(p); off++ {
				if p[off:off+len(k)] == k {
					starts[k] = append(starts[k], prefixAt{p, off})
				}
			}
		}
	}
	return starts
}

// prefixAt is a literal prefix of a tail with a keyword at offset off.
type prefixAt struct {
	prefix string
	off    int
}

// keywordsIn are the keywords contained in some literal of set: the hits
// that can sit where an anchor expects its keyword. With no set, all.
func keywordsIn(set, keywords []string) map[string]bool {
	own := map[string]bool{}
	for _, k := range keywords {
		if set == nil || slices.ContainsFunc(set, func(s string) bool { return strings.Contains(s, k) }) {
			own[k] = true
		}
	}
	return own
}

// branches returns the top-level alternatives of re (captures unwrapped).
func branches(re *syntax.Regexp) []*syntax.Regexp {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op == syntax.OpAlternate {
		return re.Sub
	}
	return []*syntax.Regexp{re}
}

// widest combines two reaches: -1 (unbounded) wins, and a side is
// line-bounded only if both are.
func widest(a int, aLines bool, b int, bLines bool) (int, bool) {
	if a < 0 || b < 0 {
		return -1, aLines && bLines
	}
	return max(a, b), aLines && bLines
}

// anchor tries one branch of a rule, anchored, at a keyword hit.
type anchor struct {
	re         *regexp.Regexp
	lookBehind bool       // re starts one byte before the tail
	slack      int        // how far before the hit the branch's tail may start
	prefixes   []string   // lower-case literals that start every tail match
	needs      [][]byte   // lower-case literals every tail match holds, in order
	next       *[256]bool // bytes that may follow prefixes; nil: any
	after      int        // the tail ends at most this far after the hit
	afterLines bool
	keywords   map[string]bool // the branch's own keywords
	starts     map[string][]prefixAt
	window     Window // where the branch's matches lie around a hit
}

// newAnchor builds the anchor of a branch: its tail from the child holding
// the keyword, bounds over 8 lifted; nil when the branch cannot be
// anchored cheaply.
func newAnchor(b placement, simple, raw *syntax.Regexp) *anchor {
	if b.slack < 0 {
		return nil
	}
	for raw.Op == syntax.OpCapture {
		raw = raw.Sub[0]
	}
	for simple.Op == syntax.OpCapture {
		simple = simple.Sub[0]
	}
	tail, simpleTail := copyTree(raw), []*syntax.Regexp{simple}
	if simple.Op == syntax.OpConcat {
		simpleTail = simple.Sub
	}
	if b.from > 0 {
		// Drop children only when the tree has the shape narrow saw.
		if raw.Op != syntax.OpConcat || simple.Op != syntax.OpConcat || len(raw.Sub) != len(simple.Sub) {
			return nil
		}
		tail = &syntax.Regexp{Op: syntax.OpConcat, Flags: raw.Flags, Sub: copyTree(raw).Sub[b.from:]}
		simpleTail = simple.Sub[b.from:]
	}
	// A tail starting with \b or \B must see the byte before it: the
	// anchor is tried from one byte earlier, which it may skip.
	lookBehind := startsAtBoundary(tail)
	lead := `^`
	if lookBehind {
		lead = `^(?s:.)?`
	}
	relax(tail)
	re, err := regexp.Compile(lead + `(?:` + pattern(tail) + `)`)
	if err != nil {
		return nil
	}
	a := &anchor{re: re, lookBehind: lookBehind, slack: b.slack, after: b.after, afterLines: b.afterLines,
		window: Window{Before: b.before, After: b.after, BeforeLines: b.beforeLines, AfterLines: b.afterLines}}
	a.prefixes, a.next = anchorLiterals(simpleTail)
	a.needs = requiredLiterals(tail)
	return a
}

// requiredLiterals lists, in order, the literals of re's top-level
// concatenation (lower-cased): a match holds each, so text lacking one is
// rejected by a byte search before the regex runs (a URL with no "@"
// after "http" cannot carry a password, and DEX strings hold many URLs).
// Case-folded literals with k or s are left out: those letters also fold
// to the Kelvin sign and the long s, which ASCII lower-casing misses.
func requiredLiterals(re *syntax.Regexp) [][]byte {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	var out [][]byte
	for _, s := range subs {
		for s.Op == syntax.OpCapture {
			s = s.Sub[0]
		}
		if s.Op != syntax.OpLiteral {
			continue
		}
		lit, ok := []byte(nil), true
		for _, r := range s.Rune {
			if r >= utf8.RuneSelf || s.Flags&syntax.FoldCase != 0 && strings.ContainsRune("kKsS", r) {
				ok = false
				break
			}
			lit = append(lit, byte(unicode.ToLower(r)))
		}
		if ok && len(lit) > 0 {
			out = append(out, lit)
		}
	}
	return out
}

// anchorLiterals returns the exact strings the leading children of subs
// match (lower-cased) and the bytes that can follow them, for a byte-level
// check before the anchor regex is tried; nil when subs has no such start.
func anchorLiterals(subs []*syntax.Regexp) ([]string, *[256]bool) {
	set := []string{""}
	k := 0
	for ; k < len(subs); k++ {
		f, ok := finite(subs[k])
		if !ok {
			break
		}
		next, ok := product(set, f)
		if !ok {
			return nil, nil
		}
		set = next
	}
	if minLen(set) == 0 {
		return nil, nil
	}
	if k == len(subs) {
		return set, nil
	}
	first, nullable := firstBytes(&syntax.Regexp{Op: syntax.OpConcat, Sub: subs[k:]})
	if nullable {
		return set, nil
	}
	return set, &first
}

// firstBytes returns the bytes a match of re can start with, and whether
// re can match the empty string.
func firstBytes(re *syntax.Regexp) (set [256]bool, nullable bool) {
	all := func() {
		for i := range set {
			set[i] = true
		}
	}
	addRune := func(r rune) {
		if r < utf8.RuneSelf {
			set[r] = true
			return
		}
		var buf [utf8.UTFMax]byte
		utf8.EncodeRune(buf[:], r)
		set[buf[0]] = true
	}
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return set, true
		}
		r := re.Rune[0]
		addRune(r)
		if re.Flags&syntax.FoldCase != 0 {
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				addRune(f)
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			for c := lo; c <= hi && c < utf8.RuneSelf; c++ {
				set[c] = true
			}
			if hi >= utf8.RuneSelf {
				for b := 0xC0; b < 0x100; b++ { // any multi-byte lead
					set[b] = true
				}
			}
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		all()
		if re.Op == syntax.OpAnyCharNotNL {
			set['\n'] = false
		}
	case syntax.OpCapture, syntax.OpPlus:
		return firstBytes(re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		set, _ = firstBytes(re.Sub[0])
		return set, true
	case syntax.OpRepeat:
		set, nullable = firstBytes(re.Sub[0])
		return set, nullable || re.Min == 0
	case syntax.OpConcat:
		for _, s := range re.Sub {
			f, n := firstBytes(s)
			for i, ok := range f {
				set[i] = set[i] || ok
			}
			if !n {
				return set, false
			}
		}
		return set, true
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			f, n := firstBytes(s)
			for i, ok := range f {
				set[i] = set[i] || ok
			}
			nullable = nullable || n
		}
	default: // empty matches and assertions
		return set, true
	}
	return set, nullable
}

// Go's regexp slows down with large counted repetitions: x{10,150} makes
// 150 copies of x and, on a run of x, as many live threads. A gate is the
// rule's regex with such bounds lifted (x{10,}): it matches wherever the
// rule does, so text it does not match cannot hold a rule match, and it
// runs much faster. Anchors go further: the tail of a branch from its
// keyword, tried only at keyword hits.
func gate(raw *syntax.Regexp) *regexp.Regexp {
	if raw == nil {
		return nil
	}
	loose := copyTree(raw)
	if !relax(loose) {
		return nil
	}
	g, err := regexp.Compile(pattern(loose))
	if err != nil {
		return nil
	}
	return g
}

func copyTree(re *syntax.Regexp) *syntax.Regexp {
	c := *re
	c.Sub = make([]*syntax.Regexp, len(re.Sub))
	for i, s := range re.Sub {
		c.Sub[i] = copyTree(s)
	}
	return &c
}

func isAssertion(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return true
	}
	return false
}

// startsAtBoundary says whether re opens with \b or \B: at the start of a
// slice they see no previous character and can reject a real match. (^ and
// $ can only accept more at slice edges, which a gate may.)
func startsAtBoundary(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpConcat, syntax.OpCapture:
		return len(re.Sub) > 0 && startsAtBoundary(re.Sub[0])
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if startsAtBoundary(s) {
				return true
			}
		}
	}
	return false
}

// relax lifts the upper bound of every repetition over 8 in re, and
// reports whether there was one.
func relax(re *syntax.Regexp) bool {
	found := false
	if re.Op == syntax.OpRepeat && re.Max > 8 {
		re.Max = -1
		found = true
	}
	for _, s := range re.Sub {
		found = relax(s) || found
	}
	return found
}

// placement says where a branch's matches lie around a keyword hit.
type placement struct {
	before, after           int // bytes before and after the hit's start; -1 unbounded
	beforeLines, afterLines bool
	from                    int      // the first child holding the keyword
	slack                   int      // how far into the tail the keyword may start; -1 unbounded
	set                     []string // literals at from, one in every match; nil if unknown
}

// narrow places a branch around its keyword: in
// `[\w.-]{0,50}?(?:key|token)[^\n]{0,200}` a match starts at most 50 bytes
// (plus the keyword) before its keyword and ends at most 200 after it.
func narrow(re *syntax.Regexp, keywords []string) placement {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	reach, lines := maxLen(re), !canMatchNewline(re)
	p := placement{before: reach, after: reach, beforeLines: lines, afterLines: lines, slack: -1}
	if re.Op != syntax.OpConcat {
		if set, ok := required(re, keywords); ok && covered(set, keywords) && reach >= 0 {
			p.slack = max(reach-shortest(keywords), 0)
			p.set = set
		}
		return p
	}
	subs := re.Sub
	for j := range subs {
		if isAssertion(subs[j]) { // \b before a token: start at the token
			continue
		}
		// Children j..e-1 hold every keyword occurrence of the match.
		e := -1
		if set, ok := required(subs[j], keywords); ok && covered(set, keywords) {
			e, p.set = j+1, set
		} else if set, n, ok := prefixRun(subs[j:]); ok && covered(set, keywords) {
			e, p.set = j+n, set
		}
		if e < 0 {
			continue
		}
		head := &syntax.Regexp{Op: syntax.OpConcat, Sub: subs[:e]}
		tail := &syntax.Regexp{Op: syntax.OpConcat, Sub: subs[j:]}
		p.before, p.after = maxLen(head), maxLen(tail)
		p.beforeLines, p.afterLines = !canMatchNewline(head), !canMatchNewline(tail)
		p.from = j
		if slack := maxLen(&syntax.Regexp{Op: syntax.OpConcat, Sub: subs[j:e]}); slack >= 0 {
			p.slack = max(slack-shortest(keywords), 0)
		}
		return p
	}
	return p
}

func shortest(words []string) int {
	n := 0
	for i, w := range words {
		if i == 0 || len(w) < n {
			n = len(w)
		}
	}
	return n
}

func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += foldedLen(r, re.Flags&syntax.FoldCase != 0)
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return runeLen(re.Rune[len(re.Rune)-1])
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if maxLen(re.Sub[0]) == 0 {
			return 0
		}
		return -1
	case syntax.OpRepeat:
		n := maxLen(re.Sub[0])
		if n < 0 || re.Max < 0 && n > 0 {
			return -1
		}
		return n * max(re.Max, 0)
	case syntax.OpConcat:
		sum := 0
		for _, s := range re.Sub {
			n := maxLen(s)
			if n < 0 {
				return -1
			}
			sum += n
		}
		return sum
	case syntax.OpAlternate:
		best := 0
		for _, s := range re.Sub {
			n := maxLen(s)
			if n < 0 {
				return -1
			}
			best = max(best, n)
		}
		return best
	}
	return 0
}

// foldedLen is the longest UTF-8 encoding of r or, under case folding, of
// any rune it folds to ('k' also matches the 3-byte Kelvin sign).
func foldedLen(r rune, fold bool) int {
	n := runeLen(r)
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			n = max(n, runeLen(f))
		}
	}
	return n
}

func runeLen(r rune) int {
	if n := utf8.RuneLen(r); n > 0 {
		return n
	}
	return utf8.UTFMax
}

func canMatchNewline(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		return slices.Contains(re.Rune, '\n')
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return true
			}
		}
		return false
	case syntax.OpAnyChar:
		return true
	}
	for _, s := range re.Sub {
		if canMatchNewline(s) {
			return true
		}
	}
	return false
}

// required returns a set of lower-case strings of which every match of re
// contains at least one, preferring a set whose members all contain one of
// keywords. ok is false when no such set could be found.
func required(re *syntax.Regexp, keywords []string) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}, true
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0], keywords)
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0], keywords)
		}
	case syntax.OpAlternate:
		var union []string
		for _, s := range re.Sub {
			set, ok := required(s, keywords)
			if !ok {
				return nil, false
			}
			union = appendUnique(union, set...)
		}
		return union, len(union) <= maxSetSize
	case syntax.OpConcat:
		var candidates [][]string
		for _, s := range re.Sub {
			if set, ok := required(s, keywords); ok {
				candidates = append(candidates, set)
			}
		}
		// Children that match a few exact strings combine with what
		// follows them into longer literals: passw(?:or)?d gives
		// {passwd, password}, A(?:KIA|SIA)[A-Z]{16} gives {akia, asia}.
		for j := range re.Sub {
			if set, ok := prefixes(re.Sub[j:]); ok {
				candidates = append(candidates, set)
			}
		}
		return best(candidates, keywords)
	}
	return nil, false
}

// prefixes returns a set of strings one of which starts every match of
// the concatenation subs.
func prefixes(subs []*syntax.Regexp) ([]string, bool) {
	set, _, ok := prefixRun(subs)
	return set, ok
}

// prefixRun is prefixes, also saying how many of subs the prefixes span.
func prefixRun(subs []*syntax.Regexp) ([]string, int, bool) {
	out := []string{""}
	n := 0
	for _, s := range subs {
		n++
		if set, ok := finite(s); ok {
			next, ok := product(out, set)
			if !ok {
				n--
				break
			}
			out = next
			continue
		}
		var head []string
		ok := false
		switch s.Op {
		case syntax.OpCapture, syntax.OpPlus:
			head, ok = prefixes(s.Sub)
		case syntax.OpRepeat:
			if s.Min >= 1 {
				head, ok = prefixes(s.Sub)
			}
		case syntax.OpConcat:
			head, ok = prefixes(s.Sub)
		case syntax.OpAlternate:
			ok = true
			for _, b := range s.Sub {
				p, bok := prefixes([]*syntax.Regexp{b})
				if !bok {
					ok = false
					break
				}
				head = appendUnique(head, p...)
			}
		}
		if ok {
			if next, pok := product(out, head); pok {
				out = next
			}
		} else {
			n--
		}
		break
	}
	return out, n, minLen(out) > 0
}

// finite returns every string re matches, lower-cased, when there are few.
func finite(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}, true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpCapture:
		return finite(re.Sub[0])
	case syntax.OpQuest:
		set, ok := finite(re.Sub[0])
		return appendUnique(set, ""), ok
	case syntax.OpCharClass:
		var set []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 8 {
				return nil, false
			}
			for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
				set = appendUnique(set, strings.ToLower(string(c)))
			}
		}
		return set, len(set) > 0 && len(set) <= 8
	case syntax.OpAlternate:
		var union []string
		for _, s := range re.Sub {
			set, ok := finite(s)
			if !ok {
				return nil, false
			}
			union = appendUnique(union, set...)
		}
		return union, len(union) <= maxSetSize
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			set, ok := finite(s)
			if !ok {
				return nil, false
			}
			if out, ok = product(out, set); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

func product(a, b []string) ([]string, bool) {
	if len(a)*len(b) > maxSetSize {
		return nil, false
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = appendUnique(out, x+y)
		}
	}
	return out, true
}

// best picks, among sets each sufficient on its own, one all of whose
// members contain a keyword, else the one with the longest shortest member.
func best(candidates [][]string, keywords []string) ([]string, bool) {
	var pick []string
	for _, c := range candidates {
		if len(keywords) > 0 && covered(c, keywords) {
			return c, true
		}
		if pick == nil || minLen(c) > minLen(pick) {
			pick = c
		}
	}
	return pick, pick != nil && minLen(pick) > 0
}

// covered says every member of set contains one of keywords.
func covered(set, keywords []string) bool {
	for _, s := range set {
		if !slices.ContainsFunc(keywords, func(k string) bool { return strings.Contains(s, k) }) {
			return false
		}
	}
	return len(set) > 0
}

func minLen(set []string) int {
	if len(set) == 0 {
		return 0
	}
	n := len(set[0])
	for _, s := range set[1:] {
		n = min(n, len(s))
	}
	return n
}

func appendUnique(set []string, items ...string) []string {
	for _, s := range items {
		if !slices.Contains(set, s) {
			set = append(set, s)
		}
	}
	return set
}

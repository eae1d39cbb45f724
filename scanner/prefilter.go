package scanner

import (
	"github.com/coregx/ahocorasick"

	"github.com/keyholesec/keyhole/rules"
)

// prefilter finds, in one case-insensitive Aho-Corasick pass, which rules
// a chunk may match and where their keywords are.
type prefilter struct {
	ac       *ahocorasick.Automaton
	rules    [][]int  // pattern id -> indices of the rules that use the keyword
	keywords []string // pattern id -> keyword
	longest  int
}

func newPrefilter(rs []*rules.Rule) (*prefilter, error) {
	p := &prefilter{}
	index := map[string]int{}
	var patterns []string
	for i, r := range rs {
		for _, k := range r.Keywords {
			id, ok := index[k]
			if !ok {
				id = len(patterns)
				index[k] = id
				patterns = append(patterns, k)
				p.rules = append(p.rules, nil)
			}
			p.rules[id] = append(p.rules[id], i)
		}
	}
	p.keywords = patterns
	for _, k := range patterns {
		p.longest = max(p.longest, len(k))
	}
	if len(patterns) == 0 {
		return p, nil
	}
	ac, err := ahocorasick.NewBuilder().SetMatchKind(ahocorasick.LeftmostLongest).AddStrings(patterns).Build()
	if err != nil {
		return nil, err
	}
	p.ac = ac
	return p, nil
}

// hit is a keyword occurrence in a chunk.
type hit struct {
	start, end int32
	keyword    int32 // pattern id
}

// segment is how much text one automaton call searches: its result slice
// holds every hit, so a big chunk is searched a segment at a time.
const segment = 1 << 20

// find returns, for each rule index with a keyword in lower, the hits.
func (p *prefilter) find(lower []byte, out map[int][]hit) {
	if p.ac == nil {
		return
	}
	for start := 0; start < len(lower); start += segment {
		end := min(start+segment, len(lower))
		// Search on past the segment's end so that a keyword crossing it
		// is found; hits starting there belong to the next segment.
		for _, m := range p.ac.FindAllOverlapping(lower[start:min(end+p.longest-1, len(lower))]) {
			if start+m.Start >= end {
				continue
			}
			for _, ri := range p.rules[m.PatternID] {
				out[ri] = append(out[ri], hit{start: int32(start + m.Start), end: int32(start + m.End), keyword: int32(m.PatternID)})
			}
		}
	}
}

// lowerInto lower-cases ASCII letters of src into dst, reusing its memory.
func lowerInto(dst, src []byte) []byte {
	if cap(dst) < len(src) {
		dst = make([]byte, len(src))
	}
	dst = dst[:len(src)]
	for i, c := range src {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
	}
	return dst
}

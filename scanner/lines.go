package scanner

import "bytes"

// lineIndex maps byte offsets to line numbers, built lazily: most chunks
// have no findings and never need it.
type lineIndex struct {
	data   []byte
	starts []int
}

func newLineIndex(data []byte) *lineIndex { return &lineIndex{data: data} }

func (l *lineIndex) build() {
	if l.starts != nil {
		return
	}
	l.starts = append(make([]int, 0, bytes.Count(l.data, []byte{'\n'})+1), 0)
	for i, c := range l.data {
		if c == '\n' {
			l.starts = append(l.starts, i+1)
		}
	}
}

// line returns the 0-based line of offset off.
func (l *lineIndex) line(off int) int {
	l.build()
	lo, hi := 0, len(l.starts)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if l.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

func (l *lineIndex) start(line int) int { l.build(); return l.starts[line] }

// text returns the line's bytes without its newline.
func (l *lineIndex) text(line int) []byte {
	l.build()
	s := l.starts[line]
	e := len(l.data)
	if line+1 < len(l.starts) {
		e = l.starts[line+1] - 1
	}
	return l.data[s:e]
}

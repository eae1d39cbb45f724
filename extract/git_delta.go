package extract

import (
	"bytes"
	"hash/maphash"
	"slices"
	"sync"
)

// A history holds each file in many versions, most of them a few lines
// away from the version before. A later version of a text file is scanned
// only where it differs from its parent's version at the same path: a
// secret on a line that version already had was found there, at the same
// path, and first-seen deduplication would drop it here anyway. This is
// what a `git log -p` scanner reads, without git computing the diffs.

// contextLines around each new line are scanned with it, so that a match
// spanning a few lines (a PEM block's header and body) is still whole.
const contextLines = 3

// lineDiffer keeps its buffers from one diff to the next.
type lineDiffer struct {
	baseLines [][]byte
	hashes    map[uint64]struct{}
	spans     []span
	runs      []textRun // what addedText returned last; scanned before the next
}

// span is a run of whole lines of cur, by byte offsets.
type span struct{ start, end int }

// linearLines is how many changed lines of the base are compared one by
// one rather than through a hash set.
const linearLines = 16

// addedText returns the runs of cur's lines that base lacks, each with
// contextLines around it; the lines between are left out. It reports
// false when no line of cur with text is new: there is nothing to scan.
//
// The lines are matched in order, as a diff would: runs of shared lines
// are skipped by block compares, and a line that differs is looked for in
// the next few lines of base (base dropped the ones before it, or cur
// replaced them). When the line after it matches base where it stands,
// the line was added or replaced; otherwise it is looked for further on
// (base dropped a longer run). Only a line equal to one of base's is
// blanked; a line moved elsewhere is kept, and scanned again, which costs
// less than looking for it. Hashing every line into a set costs far more
// where a file changed in two places far apart, so that is left for
// versions that match badly in order.
func (d *lineDiffer) addedText(base, cur []byte) ([]textRun, bool) {
	start, end, baseEnd := changedSpan(base, cur)
	d.spans = d.spans[:0]
	j, misses := start, 0 // j: where base is matched up to
	off := start
	for off < end && misses <= maxInOrderMisses {
		if n := sharedLines(base[j:baseEnd], cur[off:end]); n > 0 {
			off, j = off+n, j+n
			continue
		}
		next := lineEnd(cur, off)
		line := bytes.TrimSuffix(cur[off:next], []byte{'\n'})
		if len(bytes.TrimSpace(line)) > 0 {
			k, found := findLine(base[:baseEnd], j, line, resyncLines)
			if !found && !resyncs(base[:baseEnd], j, cur[next:end]) {
				k, found = findLine(base[:baseEnd], j, line, -1)
			}
			if found {
				j = lineEnd(base, k)
			} else {
				misses++
				d.spans = append(d.spans, d.widen(cur, off, next))
			}
		}
		off = next
	}
	if off < end { // the rest against a set of base's lines
		d.keepLinesNotIn(d.lines(base[start:baseEnd]), cur, off, end)
	}
	return d.kept(cur)
}

// keepLinesNotIn adds a span for each line of cur[off:end] with text
// that had says base lacks.
func (d *lineDiffer) keepLinesNotIn(had func([]byte) bool, cur []byte, off, end int) {
	for off < end {
		next := lineEnd(cur, off)
		line := bytes.TrimSuffix(cur[off:next], []byte{'\n'})
		if len(bytes.TrimSpace(line)) > 0 && !had(line) {
			d.spans = append(d.spans, d.widen(cur, off, next))
		}
		off = next
	}
}

// kept returns the runs of cur the spans cover, joined where they
// overlap or touch; false when there are none.
func (d *lineDiffer) kept(cur []byte) ([]textRun, bool) {
	if len(d.spans) == 0 {
		return nil, false
	}
	d.runs = d.runs[:0]
	line, counted := 0, 0 // newlines in cur[:counted]
	for k := 0; k < len(d.spans); {
		start, end := d.spans[k].start, d.spans[k].end
		// Spans start in order; a widened one may overlap the last.
		for k++; k < len(d.spans) && d.spans[k].start <= end; k++ {
			end = max(end, d.spans[k].end)
		}
		line += bytes.Count(cur[counted:start], []byte{'\n'})
		counted = start
		d.runs = append(d.runs, textRun{line: line, data: cur[start:end]})
	}
	return d.runs, true
}

// maxInOrderMisses is how many new lines matching in order finds before
// the rest is matched against a set of lines instead; resyncLines, how
// far ahead in base a line is looked for first.
const (
	maxInOrderMisses = 64
	resyncLines      = 8
)

// sharedLines is the length of the whole lines a and b start with alike.
func sharedLines(a, b []byte) int {
	n := commonPrefix(a, b)
	if n == len(b) && (n == len(a) || a[n] == '\n') {
		return n // b ends within a line a ends too
	}
	return bytes.LastIndexByte(b[:n], '\n') + 1
}

// resyncs reports whether the first line of rest (or its end) is the
// line of b at offset at or the one after it.
func resyncs(b []byte, at int, rest []byte) bool {
	if len(rest) == 0 {
		return true
	}
	line := bytes.TrimSuffix(rest[:lineEnd(rest, 0)], []byte{'\n'})
	_, found := findLine(b, at, line, 2)
	return found
}

// findLine looks for line among the n lines of b from offset at (all of
// them for n < 0), returning where it starts.
func findLine(b []byte, at int, line []byte, n int) (int, bool) {
	if n < 0 {
		for at <= len(b)-len(line) {
			i := bytes.Index(b[at:], line)
			if i < 0 {
				return 0, false
			}
			i += at
			if (i == 0 || b[i-1] == '\n') && (i+len(line) == len(b) || b[i+len(line)] == '\n') {
				return i, true
			}
			at = i + 1
		}
		return 0, false
	}
	for range n {
		if at >= len(b) {
			return 0, false
		}
		next := lineEnd(b, at)
		if bytes.Equal(bytes.TrimSuffix(b[at:next], []byte{'\n'}), line) {
			return at, true
		}
		at = next
	}
	return 0, false
}

// lines returns whether a line is one of the lines of b.
func (d *lineDiffer) lines(b []byte) func([]byte) bool {
	d.baseLines = d.baseLines[:0]
	for len(b) > 0 && len(d.baseLines) <= linearLines {
		next := lineEnd(b, 0)
		d.baseLines = append(d.baseLines, bytes.TrimSuffix(b[:next], []byte{'\n'}))
		b = b[next:]
	}
	if len(b) == 0 { // few: compare each
		return func(l []byte) bool {
			return slices.ContainsFunc(d.baseLines, func(m []byte) bool { return bytes.Equal(l, m) })
		}
	}
	if d.hashes == nil || len(d.hashes) > 1<<16 {
		d.hashes = map[uint64]struct{}{} // clearing a big map costs its size
	}
	clear(d.hashes)
	for _, l := range d.baseLines {
		d.hashes[maphash.Bytes(lineSeed, l)] = struct{}{}
	}
	forLines(b, func(l []byte) { d.hashes[maphash.Bytes(lineSeed, l)] = struct{}{} })
	return func(l []byte) bool {
		_, ok := d.hashes[maphash.Bytes(lineSeed, l)]
		return ok
	}
}

// widen extends the line [start, end) of b by contextLines lines on each
// side.
func (d *lineDiffer) widen(b []byte, start, end int) span {
	for range contextLines {
		if start > 0 {
			start = bytes.LastIndexByte(b[:start-1], '\n') + 1
		}
		if end < len(b) {
			end = lineEnd(b, end)
		}
	}
	return span{start, end}
}

// lineEnd is the offset just past the line of b starting at i.
func lineEnd(b []byte, i int) int {
	if n := bytes.IndexByte(b[i:], '\n'); n >= 0 {
		return i + n + 1
	}
	return len(b)
}

// changedSpan trims the lines base and cur share at both ends: cur's
// lines in [start, end) and base's in [start, baseEnd) are what differ.
func changedSpan(base, cur []byte) (start, end, baseEnd int) {
	start = commonPrefix(base, cur)
	start = bytes.LastIndexByte(cur[:start], '\n') + 1 // back to a line start
	tail := commonSuffix(base[start:], cur[start:])
	end = len(cur) - tail
	if !lineStart(cur, end) || !lineStart(base, len(base)-tail) {
		// The line the shared tail begins in differs: start after it.
		if i := bytes.IndexByte(cur[end:], '\n'); i >= 0 {
			end += i + 1
		} else {
			end = len(cur)
		}
	}
	return start, end, len(base) - (len(cur) - end)
}

// commonPrefix is the length of the prefix a and b share; blocks first,
// as memory compares.
func commonPrefix(a, b []byte) int {
	const block = 256
	n, i := min(len(a), len(b)), 0
	for i+block <= n && bytes.Equal(a[i:i+block], b[i:i+block]) {
		i += block
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix is the length of the suffix a and b share.
func commonSuffix(a, b []byte) int {
	const block = 256
	n, i := min(len(a), len(b)), 0
	for i+block <= n && bytes.Equal(a[len(a)-i-block:len(a)-i], b[len(b)-i-block:len(b)-i]) {
		i += block
	}
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}

func lineStart(b []byte, i int) bool { return i == 0 || b[i-1] == '\n' }

// forLines calls fn with each line of b, without its newline.
func forLines(b []byte, fn func([]byte)) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			fn(b)
			return
		}
		fn(b[:i])
		b = b[i+1:]
	}
}

// waiting pairs each text version with the version it was changed from
// (its base), in whichever order the readers deliver them: a version read
// before its base is held until the base comes; a base read before some
// of its versions is kept for them. Readers share it. Past waitingBytes
// the oldest held version goes on alone, or the oldest kept base is
// dropped, and those versions are scanned whole: nothing is lost, only
// that diff.
type waiting struct {
	ready chan<- gitWork
	// inFlight counts versions passed on, not those held (waitingBytes
	// bounds them).
	inFlight *byteBudget
	base     func(int32) int32 // of each version; -1: none
	mu       sync.Mutex
	byBase   map[int32][]gitWork
	kept     map[int32]keptBase
	// due counts, by version, the versions changed from it that are
	// still to come.
	due   []int32
	order []heldVersion // of arrival, for eviction; may name gone ones
	bytes int
}

// keptBase is a version's text kept for the versions changed from it.
type keptBase struct {
	data []byte
	buf  *sharedBytes
}

// heldVersion is a version held for its base, or a base kept (index -1).
type heldVersion struct {
	base, index int32
}

// waitingBytes bounds the text held and kept. Most of a history's bytes
// are in files edited often, whose other version comes soon.
const waitingBytes = 48 << 20

// newWaiting pairs n versions, each with base(i).
func newWaiting(ready chan<- gitWork, inFlight *byteBudget, n int, base func(int32) int32) *waiting {
	q := &waiting{ready: ready, inFlight: inFlight, base: base,
		byBase: map[int32][]gitWork{}, kept: map[int32]keptBase{}, due: make([]int32, n)}
	for i := range int32(n) {
		if b := base(i); b >= 0 {
			q.due[b]++
		}
	}
	return q
}

// arrive passes on the versions waiting for w, then w with its base when
// that was kept, or holds w until its base arrives.
func (q *waiting) arrive(w gitWork, text bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.release(w.index, w.data, w.buf, text)
	if text && q.due[w.index] > 0 && len(w.data) <= waitingBytes/8 {
		q.kept[w.index] = keptBase{w.data, w.buf.hold()}
		q.order = append(q.order, heldVersion{w.index, -1})
		q.bytes += len(w.data)
	}
	base := q.base(w.index)
	if base >= 0 {
		q.due[base]--
		if k, ok := q.kept[base]; ok {
			if text {
				w.base, w.baseBuf = k.data, k.buf.hold()
			}
			if q.due[base] == 0 {
				q.drop(base)
			}
			q.ready <- w
			q.trim()
			return
		}
	}
	if base < 0 || !text || len(w.data) > waitingBytes/8 {
		q.ready <- w
		q.trim()
		return
	}
	q.byBase[base] = append(q.byBase[base], w)
	q.order = append(q.order, heldVersion{base, w.index})
	q.bytes += len(w.data)
	q.inFlight.release(len(w.data))
	q.trim()
}

// trim evicts the oldest held versions and kept bases past waitingBytes.
func (q *waiting) trim() {
	for q.bytes > waitingBytes {
		if h := q.order[0]; h.index < 0 {
			q.drop(h.base)
		} else {
			q.evict(h)
		}
		q.order = q.order[1:]
	}
}

// drop forgets a kept base.
func (q *waiting) drop(i int32) {
	k := q.kept[i]
	q.bytes -= len(k.data)
	k.buf.release()
	delete(q.kept, i)
}

// release passes on every version waiting for version i, with i's text
// (held in buf) as their base when it is text.
func (q *waiting) release(i int32, data []byte, buf *sharedBytes, text bool) {
	for _, w := range q.byBase[i] {
		q.bytes -= len(w.data)
		q.inFlight.add(len(w.data))
		if text {
			w.base, w.baseBuf = data, buf.hold()
		}
		q.ready <- w
	}
	delete(q.byBase, i)
}

// evict passes a version on alone if it still waits.
func (q *waiting) evict(h heldVersion) {
	list := q.byBase[h.base]
	for k, w := range list {
		if w.index == h.index {
			q.bytes -= len(w.data)
			q.inFlight.add(len(w.data))
			q.byBase[h.base] = slices.Delete(list, k, k+1)
			q.ready <- w
			return
		}
	}
}

// flush passes on every version still waiting: their bases were never
// read.
func (q *waiting) flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for base := range q.byBase {
		q.release(base, nil, nil, false)
	}
	for i := range q.kept {
		q.drop(i)
	}
}

// base is the blob whose version every use of blob i was changed from,
// when they all agree on one; -1 otherwise.
func (a *attribution) base(i int32) int32 {
	uses := a.blobs[i].uses
	b := uses[0].base
	for _, u := range uses[1:] {
		if u.base != b {
			return -1
		}
	}
	return b
}

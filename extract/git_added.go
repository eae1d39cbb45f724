package extract

import (
	"bytes"
	"context"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// Pre-commit and range scans report only what a change adds. Both the old
// and the new version of a file are extracted (so binary formats are
// compared as the text they render to); each new chunk is passed on with
// every line its old counterpart already had blanked out, so line numbers
// stay those of the new file. Decoded chunks pass only when the line they
// were decoded from was added.

// diffTimeout bounds one line diff; past it the diff is coarser (more
// lines count as added), never wrong in the other direction.
const diffTimeout = time.Second

// added extracts data, passing on only what none of olds already had.
// With no olds, everything is new.
func (e *Extractor) added(ctx context.Context, origin Origin, name string, data []byte, olds [][]byte) {
	if len(olds) == 0 {
		e.Bytes(ctx, origin, name, data)
		return
	}
	sink := &addedSink{Sink: e.sink, current: map[string]addedLines{}, seen: map[chunkKey]int{}}
	oldOpts := e.opts
	oldOpts.NoDecode = true // decoded chunks are judged by their source line
	for _, old := range olds {
		capture := &chunkCapture{chunks: map[chunkKey][][]byte{}}
		New(oldOpts, capture).Bytes(ctx, origin, name, old)
		sink.olds = append(sink.olds, capture.chunks)
	}
	New(e.opts, sink).Bytes(ctx, origin, name, data)
}

// chunkKey pairs a new chunk with its old counterpart: the same member,
// rendered the same way.
type chunkKey struct{ path, format string }

// chunkCapture keeps the text of top-level chunks; warnings about the old
// version are dropped (they were reported when it was committed).
// Members of an archive arrive from several goroutines, each member's
// chunks in order.
type chunkCapture struct {
	mu     sync.Mutex
	chunks map[chunkKey][][]byte
}

func (c *chunkCapture) Chunk(ch Chunk) {
	if !ch.Encoded {
		k := chunkKey{ch.Origin.Path, ch.Format}
		data := bytes.Clone(ch.Data)
		c.mu.Lock()
		c.chunks[k] = append(c.chunks[k], data)
		c.mu.Unlock()
	}
}

func (c *chunkCapture) Warn(Warning) {}

// addedLines marks a chunk's added lines (0-based) and the line offset
// of that chunk, for its decoded children.
type addedLines struct {
	lines  []bool
	offset int
}

// Like chunkCapture, it is called for several members at once; mu guards
// its maps (olds is only read).
type addedSink struct {
	Sink
	olds    []map[chunkKey][][]byte
	mu      sync.Mutex
	seen    map[chunkKey]int      // chunks of each key so far, to pair the n-th with the n-th
	current map[string]addedLines // the last top-level chunk of each member
}

func (s *addedSink) Chunk(c Chunk) {
	if c.Encoded {
		s.mu.Lock()
		cur, ok := s.current[c.Origin.Path]
		s.mu.Unlock()
		if line := c.LineOffset - cur.offset; ok && line >= 0 && line < len(cur.lines) && cur.lines[line] {
			s.Sink.Chunk(c)
		}
		return
	}
	k := chunkKey{c.Origin.Path, c.Format}
	s.mu.Lock()
	n := s.seen[k]
	s.seen[k] = n + 1
	s.mu.Unlock()
	lines := make([]bool, bytes.Count(c.Data, []byte{'\n'})+1)
	for i := range lines {
		lines[i] = true
	}
	for _, old := range s.olds {
		if n < len(old[k]) {
			keepAdded(lines, old[k][n], c.Data)
		}
	}
	s.mu.Lock()
	s.current[c.Origin.Path] = addedLines{lines: lines, offset: c.LineOffset}
	s.mu.Unlock()
	text, any := blankUnadded(c.Data, lines)
	if any {
		c.Data = text
		s.Sink.Chunk(c)
	}
}

// keepAdded clears the lines of new that old already had.
func keepAdded(lines []bool, old, new []byte) {
	line := 0
	for _, d := range diff.DoWithTimeout(terminated(old), terminated(new), diffTimeout) {
		n := countLines(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			for i := line; i < line+n && i < len(lines); i++ {
				lines[i] = false
			}
			line += n
		case diffmatchpatch.DiffInsert:
			line += n
		}
	}
}

// terminated ends text with a newline, so that adding one after the last
// line does not count as changing it.
func terminated(b []byte) string {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return string(b) + "\n"
	}
	return string(b)
}

func countLines(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			n++
		}
	}
	return n
}

// blankUnadded empties every line not marked, keeping the newlines so
// line numbers do not move. It reports whether any marked line has text.
func blankUnadded(data []byte, lines []bool) ([]byte, bool) {
	out := make([]byte, 0, len(data))
	any := false
	for i, line := range bytes.SplitAfter(data, []byte{'\n'}) {
		if i < len(lines) && lines[i] {
			out = append(out, line...)
			any = any || len(bytes.TrimSpace(line)) > 0
		} else if bytes.HasSuffix(line, []byte{'\n'}) {
			out = append(out, '\n')
		}
	}
	return out, any
}

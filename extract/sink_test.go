package extract

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// collect is a Sink that keeps everything, for tests.
type collect struct {
	mu       sync.Mutex
	chunks   []Chunk
	warnings []Warning
}

func (c *collect) Chunk(ch Chunk) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch.Data = append([]byte(nil), ch.Data...)
	c.chunks = append(c.chunks, ch)
}

func (c *collect) Warn(w Warning) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.warnings = append(c.warnings, w)
}

// text joins the chunks from one origin path and format.
func (c *collect) text(path, format string) string {
	var b strings.Builder
	for _, ch := range c.chunks {
		if ch.Origin.Path == path && ch.Format == format {
			b.Write(ch.Data)
		}
	}
	return b.String()
}

func (c *collect) paths() []string {
	var out []string
	for _, ch := range c.chunks {
		if ch.Format != "base64" && ch.Format != "hex" && ch.Format != "percent" && ch.Format != "unicode" {
			out = append(out, ch.Origin.Path)
		}
	}
	return out
}

func (c *collect) limits() []string {
	var out []string
	for _, w := range c.warnings {
		if w.Limit != "" {
			out = append(out, w.Limit)
		}
	}
	return out
}

func extractBytes(t testing.TB, opts Options, name string, data []byte) *collect {
	t.Helper()
	c := &collect{}
	New(opts, c).Bytes(context.Background(), Origin{Target: name}, name, data)
	return c
}

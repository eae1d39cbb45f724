package extract

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyholesec/keyhole/internal/hostilegen"
)

// Regression tests for hostile inputs found by the suite in
// cmd/keyhole/hostile_test.go, at the level where each was fixed.

// A path swapped for a FIFO between the walk and the open must not block
// the open (which waits for a writer that never comes).
func TestFileNeverBlocksOnFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	c := &collect{}
	done := make(chan struct{})
	go func() {
		New(Options{}, c).File(context.Background(), Origin{Target: fifo}, fifo)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("File blocked opening a FIFO")
	}
	if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), "not a regular file") {
		t.Errorf("warnings %v", c.warnings)
	}
}

// A file listed by the walk that is gone when its turn comes has nothing
// to scan: worth a warning, not an error for the run.
func TestFileVanishedSinceListedIsNotFatal(t *testing.T) {
	dir := t.TempDir()
	c := &collect{}
	New(Options{}, c).File(context.Background(), Origin{Target: dir, Dir: true, Path: "gone.txt"}, filepath.Join(dir, "gone.txt"))
	if len(c.warnings) != 1 || c.warnings[0].Fatal {
		t.Errorf("warnings %+v", c.warnings)
	}
	// A target named on the command line that does not exist stays an error.
	c = &collect{}
	New(Options{}, c).File(context.Background(), Origin{Target: "missing.txt"}, filepath.Join(dir, "missing.txt"))
	if len(c.warnings) != 1 || !c.warnings[0].Fatal {
		t.Errorf("warnings %+v", c.warnings)
	}
}

// panicSink panics on chunks that hold marker, with the chunk's content in
// the panic value, as a careless parser or library might.
type panicSink struct {
	*collect
	marker []byte
}

func (p panicSink) Chunk(c Chunk) {
	if bytes.Contains(c.Data, p.marker) {
		panic("cannot handle " + string(c.Data))
	}
	p.collect.Chunk(c)
}

func TestPanicIsAnErrorForItsTargetOnlyAndKeepsContentOut(t *testing.T) {
	c := &collect{}
	e := New(Options{}, panicSink{c, []byte("BOOM")})
	e.Bytes(context.Background(), Origin{Target: "bad.txt"}, "bad.txt", []byte("BOOM "+planted))
	e.Bytes(context.Background(), Origin{Target: "good.txt"}, "good.txt", []byte(planted))
	if len(c.warnings) != 1 || !c.warnings[0].Fatal || c.warnings[0].Origin.Target != "bad.txt" {
		t.Fatalf("warnings %+v", c.warnings)
	}
	msg := c.warnings[0].Err.Error()
	if !strings.Contains(msg, "internal error") || strings.Contains(msg, "ghp_") {
		t.Errorf("panic reported as %q", msg)
	}
	if !strings.Contains(c.text("", ""), planted) {
		t.Error("the good target was not scanned after the panic")
	}
}

// A runtime error says what broke (an index out of range), which helps a
// bug report and holds no content.
func TestRuntimePanicKeepsItsMessage(t *testing.T) {
	c := &collect{}
	e := New(Options{}, c)
	func() {
		x := e.newJob(context.Background())
		defer x.recover(Origin{Target: "t"})
		var s []int
		_ = s[len(os.Args)+2]
	}()
	if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), "index out of range") {
		t.Errorf("warnings %+v", c.warnings)
	}
}

// Entries that all point at one compressed stream (a non-recursive zip
// bomb) are read once: each passes the ratio limit, but not their sum.
func TestOverlappingMembersReadOnce(t *testing.T) {
	z := hostilegen.Overlapping(1<<16, 64)
	c := &collect{}
	x := New(Options{}, c).newJob(context.Background())
	x.content(scope{origin: Origin{Target: "overlap.zip"}}, input{data: z, size: int64(len(z))})
	if n := x.inflated.Load(); n != 1<<16 {
		t.Errorf("%d bytes inflated, want %d: one member's worth", n, 1<<16)
	}
	if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), "63 members share compressed data") {
		t.Errorf("warnings %v", c.warnings)
	}
}

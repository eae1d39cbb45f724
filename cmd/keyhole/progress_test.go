package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyholesec/keyhole/scanner"
)

// With stderr a file (not a terminal), even a run past the delay draws
// nothing: only the warning about the missing target reaches stderr.
func TestNoProgressWhenStderrIsNotATerminal(t *testing.T) {
	saved := progressDelay
	progressDelay = 0
	defer func() { progressDelay = saved }()

	_, targets := portfolioOf(t, 6)
	stderr, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	var out bytes.Buffer
	args := append([]string{"scan", "-f", "json"}, targets...)
	if code := run(append(args, filepath.Join(t.TempDir(), "missing")), &out, stderr); code != 2 {
		t.Fatalf("exit %d", code)
	}
	got, _ := os.ReadFile(stderr.Name())
	if lines := strings.Split(strings.TrimSpace(string(got)), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "missing: no such file") {
		t.Errorf("stderr has more than the warning:\n%q", got)
	}
}

// Drawn (as on a terminal), the line has targets done of all, bytes, the
// current target and the time, and is cleared at the end.
func TestProgressLine(t *testing.T) {
	saved := progressDelay
	progressDelay = 0
	defer func() { progressDelay = saved }()

	var opts scanner.Options
	p := newProgress(3, &opts)
	var w bytes.Buffer
	opts.Progress("apps/first.apk", 1<<20)
	opts.TargetDone("apps/first.apk")
	opts.Progress("apps/second.apk", 512<<10)
	p.run(&syncWriter{w: &w})
	time.Sleep(300 * time.Millisecond)
	p.end()
	got := w.String()
	for _, want := range []string{"1/3", "1.5 MB", "second.apk", "s]"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line lacks %q: %q", want, got)
		}
	}
	if !strings.HasSuffix(got, "\r") {
		t.Errorf("the line is not cleared at the end: %q", got)
	}
}

// syncWriter guards a buffer the progress goroutine writes to.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/keyholesec/keyhole/scanner"
)

// progressDelay is how long a run goes before it shows progress: short
// runs print nothing.
var progressDelay = time.Second

// progress counts what a scan has done and, once the run has lasted
// progressDelay, draws it as one line on standard error: targets done of
// all, bytes read, the target being read, time elapsed.
type progress struct {
	total   int
	done    atomic.Int64
	bytes   atomic.Int64
	current atomic.Pointer[string]
	stop    chan struct{}
	stopped sync.WaitGroup
}

// startProgress hooks progress into opts when stderr is a terminal and
// not quiet; the returned func ends it and clears its line.
func startProgress(stderr io.Writer, quiet bool, targets int, opts *scanner.Options) (stop func()) {
	if quiet || !isTerminal(stderr) {
		return func() {}
	}
	p := newProgress(targets, opts)
	p.run(stderr)
	return p.end
}

func newProgress(targets int, opts *scanner.Options) *progress {
	p := &progress{total: targets, stop: make(chan struct{})}
	opts.Progress = func(target string, n int64) {
		p.bytes.Add(n)
		p.current.Store(&target)
	}
	opts.TargetDone = func(string) { p.done.Add(1) }
	return p
}

func (p *progress) run(w io.Writer) {
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		select {
		case <-p.stop:
			return
		case <-time.After(progressDelay):
		}
		bar := progressbar.NewOptions(p.total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetWidth(20),
			progressbar.OptionShowCount(),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			bar.Describe(p.describe())
			bar.Set(int(p.done.Load()))
			select {
			case <-p.stop:
				bar.Finish() // clears the line
				return
			case <-tick.C:
			}
		}
	}()
}

// describe is "12.3 MB  app-07.apk": the target's base name only, quoted
// as file names are everywhere on the terminal.
func (p *progress) describe() string {
	d := humanSize(p.bytes.Load())
	if cur := p.current.Load(); cur != nil {
		d += "  " + oneLine(filepath.Base(*cur))
	}
	return d
}

func (p *progress) end() {
	close(p.stop)
	p.stopped.Wait()
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

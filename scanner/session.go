package scanner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/sourcegraph/conc/pool"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
)

// Options control a scan.
type Options struct {
	Workers  int // 0 means one per CPU
	Extract  extract.Options
	NoRedact bool
	// Ignore holds fingerprints to hide (.keyholeignore).
	Ignore map[string]bool
	// Baseline holds fingerprints of known findings to hide.
	Baseline map[string]bool
	// FirstSeen reports each fingerprint once, at its earliest date: in
	// history mode the same secret at the same path in many commits is
	// one finding, attributed to the commit that introduced it.
	FirstSeen bool
	// Progress, when set, is told as each file finishes.
	Progress func(target string, bytes int64)
	// TargetDone, when set, is told as each target finishes.
	TargetDone func(target string)
}

// Session collects findings from chunks delivered by extractors. It is an
// extract.Sink, safe for concurrent use.
type Session struct {
	eng      *Engine
	opts     Options
	ex       *extract.Extractor
	mu       sync.Mutex
	findings []Finding
	warnings []Warning
}

// NewSession prepares a scan of chunks with rs.
func NewSession(rs *rules.Ruleset, opts Options) (*Session, error) {
	eng, err := NewEngine(rs, opts.NoRedact)
	if err != nil {
		return nil, err
	}
	s := &Session{eng: eng, opts: opts}
	if slices.ContainsFunc(rs.Rules, func(r *rules.Rule) bool { return len(r.Required) > 0 }) {
		// A composite rule looks for its parts anywhere in a file, not
		// only in the lines a version changed.
		opts.Extract.WholeBlobs = true
	}
	s.ex = extract.New(opts.Extract, s)
	return s, nil
}

// Extractor returns the extractor that feeds this session.
func (s *Session) Extractor() *extract.Extractor { return s.ex }

// Chunk scans c.
func (s *Session) Chunk(c extract.Chunk) {
	found := s.eng.Scan(c)
	if len(found) == 0 {
		return
	}
	s.mu.Lock()
	s.findings = append(s.findings, found...)
	s.mu.Unlock()
}

// Warn records a problem with a target.
func (s *Session) Warn(w extract.Warning) {
	s.mu.Lock()
	s.warnings = append(s.warnings, Warning{
		Target: w.Origin.Target, Path: w.Origin.Path, Location: w.Origin.String(),
		Limit: w.Limit, Message: w.Err.Error(), Fatal: w.Fatal,
	})
	s.mu.Unlock()
}

// Result returns the findings so far in deterministic order, deduplicated,
// suppressed and redacted as the options say.
func (s *Session) Result() *Result {
	s.mu.Lock()
	findings := append([]Finding(nil), s.findings...)
	warnings := append([]Warning(nil), s.warnings...)
	s.mu.Unlock()

	SortFindings(findings)
	findings = dedup(findings, s.opts.FirstSeen)
	res := &Result{Warnings: warnings}
	used := map[string]bool{}
	for _, f := range findings {
		if s.opts.Ignore[f.Fingerprint] {
			res.Suppressed++
			continue
		}
		if s.opts.Baseline[f.Fingerprint] {
			used[f.Fingerprint] = true
			res.Suppressed++
			continue
		}
		res.Findings = append(res.Findings, f)
	}
	for fp := range s.opts.Baseline {
		if !used[fp] {
			res.BaselineUnused++
		}
	}
	sort.SliceStable(res.Warnings, func(i, j int) bool {
		a, b := res.Warnings[i], res.Warnings[j]
		if a.Target != b.Target {
			return a.Target < b.Target
		}
		return a.Path < b.Path
	})
	return res
}

// SortFindings puts findings in report order: by target, path, line,
// column, rule, format and date.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		switch {
		case a.Target != b.Target:
			return a.Target < b.Target
		case a.Path != b.Path:
			return a.Path < b.Path
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		case a.Format != b.Format:
			return a.Format < b.Format
		}
		return introducedBefore(a, b)
	})
}

// introducedBefore says a's commit came first: by date, then, for one
// date (commits made in the same second), by history order.
func introducedBefore(a, b *Finding) bool {
	switch {
	case a.Date == nil:
		return false
	case b.Date == nil || a.Date.Before(*b.Date):
		return true
	}
	return a.Date.Equal(*b.Date) && a.Seq < b.Seq
}

// dedup drops repeats: the same rule and secret at the same place (found
// again in decoded text, or through two overlapping windows); with
// firstSeen, every repeat of a fingerprint after its earliest date.
func dedup(fs []Finding, firstSeen bool) []Finding {
	type key struct {
		target, fp string
		line       int
	}
	seen := map[key]int{}
	out := fs[:0]
	for _, f := range fs {
		k := key{f.Target, f.Fingerprint, f.Line}
		if firstSeen {
			k.line = 0
		}
		if i, ok := seen[k]; ok {
			if firstSeen && introducedBefore(&f, &out[i]) {
				out[i] = f
			}
			continue
		}
		seen[k] = len(out)
		out = append(out, f)
	}
	return out
}

// Scan scans targets (files, directories, archives, app builds, or "-" for
// standard input) with rs, using a bounded pool of workers.
func Scan(ctx context.Context, rs *rules.Ruleset, targets []string, opts Options) (*Result, error) {
	s, err := NewSession(rs, opts)
	if err != nil {
		return nil, err
	}
	stats := make([]TargetResult, len(targets))
	var statsMu sync.Mutex
	p := pool.New().WithMaxGoroutines(workers(opts.Workers))
	var finishing sync.WaitGroup // the per-target goroutines that close each target's stats
	for i, target := range targets {
		began := time.Now()
		stats[i] = TargetResult{Target: target, Kind: targetKind(target)}
		var pending sync.WaitGroup
		done := func(size int64) {
			statsMu.Lock()
			stats[i].Files++
			stats[i].Bytes += size
			statsMu.Unlock()
			if opts.Progress != nil {
				opts.Progress(target, size)
			}
			pending.Done()
		}
		if target == "-" {
			pending.Add(1)
			p.Go(func() {
				defer done(0)
				s.ex.Reader(ctx, extract.Origin{Target: "-"}, "", os.Stdin)
			})
		} else {
			err := extract.Walk(ctx, target, s.Warn, func(f extract.File) {
				pending.Add(1)
				p.Go(func() {
					defer done(f.Size)
					tctx, cancel := targetContext(ctx, opts.Extract.Limits.TargetTimeout)
					defer cancel()
					s.ex.File(tctx, f.Origin, f.Path)
				})
			})
			if err != nil && !errors.Is(err, context.Canceled) {
				stats[i].Error = err.Error()
				s.Warn(extract.Warning{Origin: extract.Origin{Target: target}, Err: err, Fatal: true})
			}
		}
		finishing.Add(1)
		go func() {
			defer finishing.Done()
			pending.Wait()
			statsMu.Lock()
			stats[i].Duration = time.Since(began)
			statsMu.Unlock()
			if opts.TargetDone != nil {
				opts.TargetDone(target)
			}
		}()
	}
	p.Wait()
	finishing.Wait()
	res := s.Result()
	statsMu.Lock()
	res.Targets = stats
	statsMu.Unlock()
	countBySeverity(res)
	return res, ctx.Err()
}

func targetContext(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

func countBySeverity(res *Result) {
	index := map[string]int{}
	for i := range res.Targets {
		res.Targets[i].Counts = map[string]int{}
		index[res.Targets[i].Target] = i
	}
	for _, f := range res.Findings {
		if i, ok := index[f.Target]; ok {
			res.Targets[i].Counts[f.Severity]++
		}
	}
}

func workers(n int) int {
	if n > 0 {
		return n
	}
	return max(runtime.GOMAXPROCS(0), 1)
}

// Redact hides a secret, keeping a short prefix when the secret is long
// enough that the prefix (often a provider's fixed one) gives nothing away.
func Redact(secret string) string {
	if secret == "" {
		return ""
	}
	if len(secret) >= 16 {
		return fmt.Sprintf("%s…REDACTED", secret[:4])
	}
	return "REDACTED"
}

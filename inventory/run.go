package inventory

import (
	"context"
	"errors"
	"os"
	"runtime"
	"time"

	"github.com/sourcegraph/conc/pool"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// Options control an inventory run.
type Options struct {
	Workers int // 0 means one per CPU
	Extract extract.Options
	// FirstParty adds registrable domains to those inferred as the app's own.
	FirstParty []string
	// NoLinks skips running the scanner to link findings.
	NoLinks bool
}

// NewRunCollector returns the collector Run uses: addresses judged by rs's
// cleartext-endpoint rule, findings linked by rs unless opts.NoLinks.
func NewRunCollector(rs *rules.Ruleset, opts Options) (*Collector, error) {
	var linker *scanner.Engine
	if !opts.NoLinks {
		var err error
		if linker, err = scanner.NewEngine(rs, true); err != nil {
			return nil, err
		}
	}
	return NewCollector(NewJudge(rs), linker), nil
}

// Run inventories targets (files, directories, archives, app builds, or
// "-" for standard input) with a bounded pool of workers, as scanner.Scan
// scans them.
func Run(ctx context.Context, rs *rules.Ruleset, targets []string, opts Options) (*Inventory, error) {
	col, err := NewRunCollector(rs, opts)
	if err != nil {
		return nil, err
	}
	ex := extract.New(opts.Extract, col)
	n := opts.Workers
	if n <= 0 {
		n = max(runtime.GOMAXPROCS(0), 1)
	}
	budget := opts.Extract.Limits.TargetTimeout
	if opts.Extract.Limits == (extract.Limits{}) {
		budget = extract.DefaultLimits.TargetTimeout
	}
	p := pool.New().WithMaxGoroutines(n)
	for _, target := range targets {
		if target == "-" {
			p.Go(func() { ex.Reader(ctx, extract.Origin{Target: "-"}, "", os.Stdin) })
			continue
		}
		err := extract.Walk(ctx, target, col.Warn, func(f extract.File) {
			p.Go(func() {
				tctx, cancel := withBudget(ctx, budget)
				defer cancel()
				ex.File(tctx, f.Origin, f.Path)
			})
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			col.Warn(extract.Warning{Origin: extract.Origin{Target: target}, Err: err, Fatal: true})
		}
	}
	p.Wait()
	return col.Result(targets, opts.FirstParty), ctx.Err()
}

func withBudget(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// RunGit inventories the history of the repository at repo: every blob
// any commit introduced, each place attributed to its commit.
func RunGit(ctx context.Context, rs *rules.Ruleset, repo string, git extract.GitOptions, opts Options) (*Inventory, error) {
	col, err := NewRunCollector(rs, opts)
	if err != nil {
		return nil, err
	}
	if git.Workers == 0 {
		git.Workers = opts.Workers
	}
	if _, err := extract.New(opts.Extract, col).Git(ctx, repo, git); err != nil {
		return nil, err
	}
	return col.Result([]string{repo}, opts.FirstParty), nil
}

package main

import (
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/scanner"
)

func init() { commands = append(commands, newScanCmd) }

// defaultMemoryLimit is the heap size past which the garbage collector
// works harder. Scans hold little live data (members and chunks being
// read, findings), so garbage is most of the heap: without a limit a
// 100 MB app peaks near 400 MB, with it near 250 MB, for the same CPU.
// Under the limit the collector runs less often than Go's default (a
// tenth less CPU on a source tree), since the limit bounds the heap.
const (
	defaultMemoryLimit = 200 << 20
	defaultGCPercent   = 400
)

// softMemoryLimit applies the defaults unless GOMEMLIMIT or GOGC say
// otherwise.
func softMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(defaultGCPercent)
		}
	}
}

func newScanCmd() *cobra.Command {
	var f scanFlags
	var t targetFlags
	cmd := &cobra.Command{
		Use:   "scan [flags] TARGET...",
		Short: "Scan files, directories, archives and app builds (APK, AAB, XAPK, IPA); '-' reads standard input",
		Long: `Scan files, directories, archives and app builds (APK, AAB, XAPK, IPA);
'-' reads standard input.

Targets may be patterns (quoted, so that keyhole expands them: *, ?, [...],
{a,b}, and ** for any depth) and may come from a file (--targets-from). All
targets are scanned in one run, within the -j bound; one that cannot be read
is reported and the run goes on. --shard K/N scans a stable part of them, so
that N machines share a portfolio; 'keyhole merge' combines their reports.`,
		Args: anyArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			targets, err := t.expand(cmd.InOrStdin(), args)
			if err != nil {
				return err
			}
			opts, err := f.options(targets)
			if err != nil {
				return err
			}
			rs, err := loadRules(f.config)
			if err != nil {
				return err
			}
			stop := startProgress(cmd.ErrOrStderr(), f.quiet, len(targets), &opts)
			res, err := scanner.Scan(cmd.Context(), rs, targets, opts)
			stop()
			if err != nil {
				return err
			}
			if !t.sharded { // a shard sees only part of the targets a baseline covers
				noteUnusedBaseline(res, f.baseline)
			}
			return f.finish(cmd, rs, res)
		},
	}
	f.register(cmd)
	t.register(cmd)
	return cmd
}

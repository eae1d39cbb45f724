package main

import (
	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/scanner"
)

func init() { commands = append(commands, newScanCmd) }

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

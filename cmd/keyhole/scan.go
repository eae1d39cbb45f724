package main

import (
	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/scanner"
)

func init() { commands = append(commands, newScanCmd) }

func newScanCmd() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [flags] TARGET...",
		Short: "Scan files, directories, archives and app builds (APK, AAB, XAPK, IPA); '-' reads standard input",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, targets []string) error {
			opts, err := f.options(targets)
			if err != nil {
				return err
			}
			rs, err := loadRules(f.config)
			if err != nil {
				return err
			}
			res, err := scanner.Scan(cmd.Context(), rs, targets, opts)
			if err != nil {
				return err
			}
			return f.finish(cmd, rs, res)
		},
	}
	f.register(cmd)
	return cmd
}

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/scanner"
	"github.com/keyholesec/keyhole/scanner/portfolio"
)

func init() { commands = append(commands, newBaselineCmd) }

func newBaselineCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline create|update",
		Short: "Record the current findings as known, so that later scans (--baseline FILE) report only new ones",
		Long: `A baseline lists findings by content fingerprint (rule, path inside the
target, and a hash of the secret), with a redacted hint. It holds no line
numbers or times and is sorted, so it changes only when findings do: moving
a secret to another line does not revive it, and a different secret put on
the same line is not hidden.`,
	}
	cmd.AddCommand(newBaselineCreateCmd(), newBaselineUpdateCmd())
	return cmd
}

func newBaselineCreateCmd() *cobra.Command {
	var f scanFlags
	var t targetFlags
	cmd := &cobra.Command{
		Use:   "create [flags] -o FILE TARGET...",
		Short: "Scan the targets and write every finding to a baseline",
		Args:  anyArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := baselineScan(cmd, &f, &t, args)
			if err != nil {
				return err
			}
			b := portfolio.NewBaseline(res.Findings)
			if err := writeBaseline(cmd, f.output, b); err != nil {
				return err
			}
			f.note(cmd, "baseline: %d entries", len(b.Findings))
			return fatalExit(res)
		},
	}
	registerBaselineFlags(cmd, &f, &t)
	return cmd
}

func newBaselineUpdateCmd() *cobra.Command {
	var f scanFlags
	var t targetFlags
	var add bool
	cmd := &cobra.Command{
		Use:   "update --baseline FILE [flags] TARGET...",
		Short: "Scan the targets and drop baseline entries that no longer occur (--add: also add new findings)",
		Args:  anyArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.baseline == "" {
				return usageError{fmt.Errorf("--baseline FILE names the baseline to update")}
			}
			data, err := os.ReadFile(f.baseline)
			if err != nil {
				return fmt.Errorf("baseline: %v", err)
			}
			b, err := portfolio.ReadBaseline(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("baseline %s: %v", f.baseline, err)
			}
			file := f.baseline
			f.baseline = "" // scan for every finding, known or not
			res, err := baselineScan(cmd, &f, &t, args)
			if err != nil {
				return err
			}
			if fatalExit(res) != nil {
				// A target that could not be read has no findings; its
				// entries are not gone.
				return fmt.Errorf("baseline %s left as it was: a target could not be scanned", file)
			}
			dropped, added := b.Update(res.Findings, add)
			if f.output == "" {
				f.output = file
			}
			if err := writeBaseline(cmd, f.output, b); err != nil {
				return err
			}
			f.note(cmd, "baseline: %d entries (%d dropped, %d added)", len(b.Findings), dropped, added)
			return nil
		},
	}
	registerBaselineFlags(cmd, &f, &t)
	cmd.Flags().BoolVar(&add, "add", false, "also add findings the baseline does not have")
	return cmd
}

// registerBaselineFlags takes the scan flags, less those about reports.
func registerBaselineFlags(cmd *cobra.Command, f *scanFlags, t *targetFlags) {
	f.register(cmd)
	t.register(cmd)
	fl := cmd.Flags()
	for _, name := range []string{"format", "no-redact", "fail-on", "no-color", "summary"} {
		fl.MarkHidden(name)
	}
	fl.Lookup("output").Usage = "write the baseline to this file (update: default the --baseline file; create: standard output)"
}

func baselineScan(cmd *cobra.Command, f *scanFlags, t *targetFlags, args []string) (*scanner.Result, error) {
	targets, err := t.expand(cmd.InOrStdin(), args)
	if err != nil {
		return nil, err
	}
	opts, err := f.options(targets)
	if err != nil {
		return nil, err
	}
	opts.NoRedact = false // hints are redacted; fingerprints hash the real secret either way
	rs, err := loadRules(f.config)
	if err != nil {
		return nil, err
	}
	res, err := scanner.Scan(cmd.Context(), rs, targets, opts)
	if err != nil {
		return nil, err
	}
	if !f.quiet {
		for _, w := range res.Warnings {
			fmt.Fprintf(cmd.ErrOrStderr(), "keyhole: warning: %s\n", warningText(w))
		}
	}
	return res, nil
}

func writeBaseline(cmd *cobra.Command, path string, b *portfolio.Baseline) error {
	if path == "" {
		return b.Write(cmd.OutOrStdout())
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return err
	}
	return replaceFile(path, buf.Bytes())
}

// replaceFile writes data to path through a temporary file and a rename,
// so a reader never sees half a file. Only a regular file (or none) is
// replaced: a device or pipe (/dev/stdout, /dev/null) is written to as it
// is.
func replaceFile(path string, data []byte) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return os.WriteFile(path, data, 0o644)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// fatalExit is exit 2 when a target could not be scanned.
func fatalExit(res *scanner.Result) error {
	for _, w := range res.Warnings {
		if w.Fatal {
			return exitStatus{exitError}
		}
	}
	return nil
}

// note tells the user what a command did, on standard error, unless quiet.
func (f *scanFlags) note(cmd *cobra.Command, format string, args ...any) {
	if !f.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "keyhole: "+format+"\n", args...)
	}
}

// noteUnusedBaseline adds a warning (a SARIF notification, a line on
// standard error) when baseline entries matched nothing: fixed findings
// whose entries 'keyhole baseline update' would drop.
func noteUnusedBaseline(res *scanner.Result, file string) {
	if res.BaselineUnused == 0 {
		return
	}
	entries := "entries"
	if res.BaselineUnused == 1 {
		entries = "entry"
	}
	res.Warnings = append(res.Warnings, scanner.Warning{
		Target:  file,
		Message: fmt.Sprintf("%d baseline %s no longer found; 'keyhole baseline update --baseline %s TARGET...' drops them", res.BaselineUnused, entries, file),
	})
}

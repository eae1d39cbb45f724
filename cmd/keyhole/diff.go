package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/scanner"
	"github.com/keyholesec/keyhole/scanner/portfolio"
)

func init() { commands = append(commands, newDiffCmd) }

func newDiffCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "diff [flags] OLD NEW",
		Short: "Compare two reports (JSON, JSONL or SARIF): new, fixed and unchanged findings; exit 1 when any is new",
		Long: `Compare two keyhole reports, say of the last release and of this one.
Findings are matched by fingerprint (rule, path inside the target and the
secret; never the line), so one that moved is unchanged. Exit codes: 0 no
new findings, 1 new findings, 2 an error.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("--format %q: want text or json", format)}
			}
			before, err := readReport(args[0])
			if err != nil {
				return err
			}
			after, err := readReport(args[1])
			if err != nil {
				return err
			}
			d := portfolio.Compare(before.Findings, after.Findings)
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				err = enc.Encode(d)
			} else {
				err = writeDiffText(out, d)
			}
			if err != nil {
				return err
			}
			if len(d.New) > 0 {
				return exitStatus{exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	return cmd
}

// writeDiffText lists new and fixed findings one a line, then counts.
func writeDiffText(w io.Writer, d portfolio.Diff) error {
	for _, sec := range []struct {
		title string
		fs    []scanner.Finding
	}{{"new", d.New}, {"fixed", d.Fixed}, {"unchanged", d.Unchanged}} {
		if len(sec.fs) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s (%d)\n", sec.title, len(sec.fs))
		for _, f := range sec.fs {
			line := fmt.Sprintf("  %-8s  %s  %s", oneLine(f.Severity), oneLine(f.Rule), oneLine(findingPlace(f)))
			if f.Secret != "" && f.Kind != "misconfig" {
				line += "  " + oneLine(f.Secret)
			}
			fmt.Fprintln(w, line)
		}
		fmt.Fprintln(w)
	}
	_, err := fmt.Fprintf(w, "%d new, %d fixed, %d unchanged\n", len(d.New), len(d.Fixed), len(d.Unchanged))
	return err
}

// findingPlace is "target/path:line": a report read back no longer says
// whether the target was a directory or an archive.
func findingPlace(f scanner.Finding) string {
	place := f.Target
	if f.Path != "" {
		place += "/" + f.Path
	}
	if f.Line > 0 {
		place += fmt.Sprintf(":%d", f.Line)
	}
	return place
}

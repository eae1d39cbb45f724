package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
	"github.com/keyholesec/keyhole/scanner/portfolio"
	"github.com/keyholesec/keyhole/scanner/report"
)

func init() { commands = append(commands, newMergeCmd) }

func newMergeCmd() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "merge [flags] REPORT...",
		Short: "Combine the JSON, JSONL or SARIF reports of shards into one report",
		Long: `Combine the reports of 'keyhole scan --shard K/N' runs (JSON, JSONL or
SARIF, mixed as they come) into one report, as if one run had scanned every
target: findings in report order, each once, and a secret found in several
targets grouped in the text summary. SARIF output is one run with the union
of the rules. The exit code is that of a scan of every target.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			if rules.SeverityRank(f.failOn) == 0 {
				return usageError{fmt.Errorf("--fail-on %q: want one of %s", f.failOn, strings.Join(rules.Severities, ", "))}
			}
			var results []*scanner.Result
			for _, name := range files {
				res, err := readReport(name)
				if err != nil {
					return err
				}
				results = append(results, res)
			}
			rs, err := loadRules(f.config)
			if err != nil {
				return err
			}
			return f.finish(cmd, rs, portfolio.Merge(results))
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "report format: "+strings.Join(report.Formats(), ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVarP(&f.config, "config", "c", "", "rules file the shards used, for rule descriptions in SARIF")
	fl.StringVar(&f.failOn, "fail-on", "info", "exit 1 only for findings of this severity or above")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the text report (also: NO_COLOR)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no warnings on standard error")
	fl.BoolVar(&f.summary, "summary", true, "end the text report with a summary")
	return cmd
}

// readReport reads one keyhole report ('-': standard input).
func readReport(name string) (*scanner.Result, error) {
	file := os.Stdin
	if name != "-" {
		var err error
		if file, err = os.Open(name); err != nil {
			return nil, err
		}
		defer file.Close()
	}
	res, err := portfolio.ReadResult(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return res, nil
}

package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
	"github.com/keyholesec/keyhole/scanner/report"
)

// scanFlags are the flags every scanning command shares.
type scanFlags struct {
	config   string
	format   string
	output   string
	noRedact bool
	failOn   string
	baseline string
	workers  int
	noColor  bool
	quiet    bool
	summary  bool

	maxFileSize    string
	maxTotal       string
	maxRatio       int64
	maxDepth       int
	maxDecodeDepth int
	maxDecoded     string
	targetTimeout  time.Duration
	noDecode       bool
}

func (f *scanFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	d := extract.DefaultLimits
	fl.StringVarP(&f.config, "config", "c", "", "rules file (gitleaks TOML format); [extend] useDefault = true adds to the default rules")
	fl.StringVarP(&f.format, "format", "f", "text", "report format: "+strings.Join(report.Formats(), ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of standard output")
	fl.BoolVar(&f.noRedact, "no-redact", false, "show secrets in full in the report")
	fl.StringVar(&f.failOn, "fail-on", "info", "exit 1 only for findings of this severity or above ("+strings.Join(rules.Severities, ", ")+")")
	fl.StringVar(&f.baseline, "baseline", "", "hide findings already in this JSON report or baseline")
	fl.IntVarP(&f.workers, "jobs", "j", 0, "files scanned at once (default: number of CPUs)")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the text report (also: NO_COLOR)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no warnings or progress on standard error")
	fl.BoolVar(&f.summary, "summary", true, "end the text report with a per-target summary")
	fl.StringVar(&f.maxFileSize, "max-file-size", formatSize(d.MaxFileSize), "largest file or archive member scanned (e.g. 50MB)")
	fl.StringVar(&f.maxTotal, "max-total-bytes", formatSize(d.MaxTotalBytes), "most bytes decompressed from one target's archives")
	fl.Int64Var(&f.maxRatio, "max-ratio", d.MaxRatio, "highest compression ratio of an archive member (zip bombs)")
	fl.IntVar(&f.maxDepth, "max-depth", d.MaxDepth, "deepest archive nesting opened")
	fl.IntVar(&f.maxDecodeDepth, "max-decode-depth", d.MaxDecodeDepth, "layers of base64/hex/percent/unicode escapes decoded")
	fl.StringVar(&f.maxDecoded, "max-decoded-bytes", formatSize(d.MaxDecodedBytes), "most bytes produced by decoding, per chunk")
	fl.DurationVar(&f.targetTimeout, "timeout", d.TargetTimeout, "time budget for one file or archive (0: none)")
	fl.BoolVar(&f.noDecode, "no-decode", false, "do not decode base64, hex, percent or unicode escapes")
}

// options turns the flags into scanner options.
func (f *scanFlags) options(targets []string) (scanner.Options, error) {
	lim := extract.Limits{
		MaxRatio: f.maxRatio, MaxDepth: f.maxDepth, MaxDecodeDepth: f.maxDecodeDepth, TargetTimeout: f.targetTimeout,
	}
	var err error
	for _, s := range []struct {
		flag, value string
		into        *int64
	}{
		{"--max-file-size", f.maxFileSize, &lim.MaxFileSize},
		{"--max-total-bytes", f.maxTotal, &lim.MaxTotalBytes},
		{"--max-decoded-bytes", f.maxDecoded, &lim.MaxDecodedBytes},
	} {
		if *s.into, err = parseSize(s.value); err != nil {
			return scanner.Options{}, usageError{fmt.Errorf("%s: %v", s.flag, err)}
		}
	}
	if rules.SeverityRank(f.failOn) == 0 {
		return scanner.Options{}, usageError{fmt.Errorf("--fail-on %q: want one of %s", f.failOn, strings.Join(rules.Severities, ", "))}
	}
	if f.workers < 0 {
		return scanner.Options{}, usageError{fmt.Errorf("-j %d: want a positive number", f.workers)}
	}
	opts := scanner.Options{
		Workers:  f.workers,
		Extract:  extract.Options{Limits: lim, NoDecode: f.noDecode},
		NoRedact: f.noRedact,
		Ignore:   map[string]bool{},
	}
	ignoreFiles := []string{".keyholeignore"}
	for _, t := range targets {
		if st, err := os.Stat(t); err == nil && st.IsDir() {
			ignoreFiles = append(ignoreFiles, filepath.Join(t, ".keyholeignore"))
		}
	}
	for i, p := range ignoreFiles {
		err := scanner.ReadIgnoreFile(p, opts.Ignore)
		if i > 0 && errors.Is(err, fs.ErrPermission) {
			continue // an unreadable target directory: its scan reports it, after the others
		}
		if err != nil {
			return opts, fmt.Errorf("%s: %v", p, err)
		}
	}
	if f.baseline != "" {
		file, err := os.Open(f.baseline)
		if err != nil {
			return opts, fmt.Errorf("baseline: %v", err)
		}
		defer file.Close()
		if opts.Baseline, err = scanner.ReadBaseline(file); err != nil {
			return opts, fmt.Errorf("baseline %s: %v", f.baseline, err)
		}
	}
	return opts, nil
}

// loadRules loads the default rules, or the --config file (which replaces
// them unless it extends them, as in gitleaks).
func loadRules(config string) (*rules.Ruleset, error) {
	def := rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules, Trusted: true}
	if config == "" {
		return rules.Load(def, nil)
	}
	data, err := os.ReadFile(config)
	if err != nil {
		return nil, fmt.Errorf("config: %v", err)
	}
	return rules.Load(rules.Source{Name: config, Data: data}, &def)
}

// finish writes the report and works out the exit code: 2 when a target
// could not be scanned, else 1 when a finding reaches --fail-on, else 0.
func (f *scanFlags) finish(cmd *cobra.Command, rs *rules.Ruleset, res *scanner.Result) error {
	var out io.Writer = cmd.OutOrStdout()
	color := !f.noColor && os.Getenv("NO_COLOR") == "" && f.output == "" && isTerminal(out)
	if f.output != "" {
		file, err := os.Create(f.output)
		if err != nil {
			return err
		}
		defer file.Close()
		out = file
	}
	err := report.Write(out, res, report.Options{
		Format: f.format, Color: color, ToolVersion: keyhole.Version, Rules: rs, Summary: f.summary,
	})
	if err != nil {
		return err
	}
	if !f.quiet && f.format != "text" {
		for _, w := range res.Warnings {
			fmt.Fprintf(cmd.ErrOrStderr(), "keyhole: warning: %s\n", warningText(w))
		}
	}
	for _, w := range res.Warnings {
		if w.Fatal {
			return exitStatus{exitError}
		}
	}
	threshold := rules.SeverityRank(f.failOn)
	for _, fd := range res.Findings {
		if rules.SeverityRank(fd.Severity) >= threshold {
			return exitStatus{exitFindings}
		}
	}
	return nil
}

// warningText is one warning on one line, naming the limit hit if any (as
// the text report does): names are quoted so that a file name holding a
// newline cannot forge lines.
func warningText(w scanner.Warning) string {
	where := w.Location
	if where == "" {
		where = w.Target
	}
	if w.Limit != "" {
		where += ": limit " + w.Limit
	}
	return oneLine(where) + ": " + oneLine(w.Message)
}

// oneLine escapes control characters and invalid UTF-8, Go-style.
func oneLine(s string) string {
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// parseSize reads sizes such as 1048576, 64KB, 50MB, 2GiB.
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size (e.g. 50MB)", s)
	}
	return n * mult, nil
}

func formatSize(n int64) string {
	switch {
	case n%(1<<30) == 0:
		return fmt.Sprintf("%dGB", n>>30)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%dMB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%dKB", n>>10)
	}
	return strconv.FormatInt(n, 10)
}

package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/inventory"
)

func init() { commands = append(commands, newInventoryCmd) }

// inventoryFlags are the flags of `keyhole inventory`.
type inventoryFlags struct {
	config, format, output string
	workers                int
	firstParty             []string
	noLinks, quiet         bool
	git                    bool
	gitRange               string

	maxFileSize   string
	maxDepth      int
	targetTimeout time.Duration
	noDecode      bool
}

func newInventoryCmd() *cobra.Command {
	var f inventoryFlags
	cmd := &cobra.Command{
		Use:   "inventory [flags] TARGET...",
		Short: "List every network endpoint in files, directories, app builds or (--git) a repository's history",
		Long: `List every network endpoint found: URLs, hosts in network configuration,
IP addresses, cloud storage and database locations, and API paths, normalised
(path templates, query parameter names) and classified (first or third party,
named services, cleartext or TLS, private and reserved addresses set apart),
with where each was seen and the findings on the same text.

'keyhole inventory diff OLD.json NEW.json' compares two inventories.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, targets []string) error {
			return f.run(cmd, targets)
		},
	}
	fl := cmd.Flags()
	d := extract.DefaultLimits
	fl.StringVarP(&f.config, "config", "c", "", "rules file (gitleaks TOML format) used to link findings and judge addresses")
	fl.StringVarP(&f.format, "format", "f", "text", "output format: "+strings.Join(inventory.Formats(), ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the inventory to this file instead of standard output")
	fl.IntVarP(&f.workers, "jobs", "j", 0, "files read at once (default: number of CPUs)")
	fl.StringSliceVar(&f.firstParty, "first-party", nil, "domains to count as the app's own, besides those inferred (comma-separated)")
	fl.BoolVar(&f.noLinks, "no-links", false, "do not run the rules to link endpoints to findings")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no warnings on standard error")
	fl.BoolVar(&f.git, "git", false, "read the history of the repository TARGET (every ref) instead of its files")
	fl.StringVar(&f.gitRange, "range", "", "with --git: only what the commits in A..B introduced")
	fl.StringVar(&f.maxFileSize, "max-file-size", formatSize(d.MaxFileSize), "largest file or archive member read (e.g. 50MB)")
	fl.IntVar(&f.maxDepth, "max-depth", d.MaxDepth, "deepest archive nesting opened")
	fl.DurationVar(&f.targetTimeout, "timeout", d.TargetTimeout, "time budget for one file or archive (0: none)")
	fl.BoolVar(&f.noDecode, "no-decode", false, "do not decode base64, hex, percent or unicode escapes")
	cmd.AddCommand(newInventoryDiffCmd())
	return cmd
}

func (f *inventoryFlags) run(cmd *cobra.Command, targets []string) error {
	if !validFormat(f.format) {
		return usageError{fmt.Errorf("--format %q: want one of %s", f.format, strings.Join(inventory.Formats(), ", "))}
	}
	if f.git && len(targets) != 1 {
		return usageError{fmt.Errorf("--git takes one repository, got %d targets", len(targets))}
	}
	if f.gitRange != "" && !f.git {
		return usageError{fmt.Errorf("--range needs --git")}
	}
	lim := extract.DefaultLimits
	lim.MaxDepth, lim.TargetTimeout = f.maxDepth, f.targetTimeout
	var err error
	if lim.MaxFileSize, err = parseSize(f.maxFileSize); err != nil {
		return usageError{fmt.Errorf("--max-file-size: %v", err)}
	}
	rs, err := loadRules(f.config)
	if err != nil {
		return err
	}
	opts := inventory.Options{
		Workers: f.workers, Extract: extract.Options{Limits: lim, NoDecode: f.noDecode},
		FirstParty: f.firstParty, NoLinks: f.noLinks,
	}
	var inv *inventory.Inventory
	if f.git {
		inv, err = inventory.RunGit(cmd.Context(), rs, targets[0], extract.GitOptions{Range: f.gitRange}, opts)
	} else {
		inv, err = inventory.Run(cmd.Context(), rs, targets, opts)
	}
	if err != nil {
		return err
	}
	if err := writeTo(cmd, f.output, func(w io.Writer) error { return inventory.Write(w, inv, f.format) }); err != nil {
		return err
	}
	fatal := false
	for _, w := range inv.Warnings {
		if !f.quiet {
			fmt.Fprintf(cmd.ErrOrStderr(), "keyhole: warning: %s\n", warningText(w))
		}
		fatal = fatal || w.Fatal
	}
	if fatal {
		return exitStatus{exitError}
	}
	return nil
}

func newInventoryDiffCmd() *cobra.Command {
	var format, output string
	var failOnChange bool
	cmd := &cobra.Command{
		Use:   "diff [flags] OLD.json NEW.json",
		Short: "Show the endpoints added, removed or changed between two inventories (JSON or JSONL)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !validFormat(format) {
				return usageError{fmt.Errorf("--format %q: want one of %s", format, strings.Join(inventory.Formats(), ", "))}
			}
			var invs [2]*inventory.Inventory
			for i, path := range args {
				file, err := os.Open(path)
				if err != nil {
					return err
				}
				invs[i], err = inventory.Read(file)
				file.Close()
				if err != nil {
					return fmt.Errorf("%s: not an inventory: %v", path, err)
				}
			}
			d := inventory.Diff(invs[0], invs[1])
			if err := writeTo(cmd, output, func(w io.Writer) error { return inventory.WriteDelta(w, d, format) }); err != nil {
				return err
			}
			if failOnChange && !d.Empty() {
				return exitStatus{exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(inventory.Formats(), ", "))
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the difference to this file instead of standard output")
	cmd.Flags().BoolVar(&failOnChange, "exit-code", false, "exit 1 when anything was added, removed or changed")
	return cmd
}

func validFormat(format string) bool {
	for _, f := range inventory.Formats() {
		if f == format {
			return true
		}
	}
	return false
}

// writeTo runs write on the output file, or standard output when none.
func writeTo(cmd *cobra.Command, output string, write func(io.Writer) error) error {
	if output == "" {
		return write(cmd.OutOrStdout())
	}
	file, err := os.Create(output)
	if err != nil {
		return err
	}
	if err := write(file); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

package main

import (
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/scanner/portfolio"
)

// targetFlags choose what a scanning command scans: paths and patterns as
// arguments, a targets file, and one shard of the lot.
type targetFlags struct {
	from    string
	shard   string
	sharded bool
}

func (t *targetFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&t.from, "targets-from", "", "also scan the targets in this file, one path or pattern a line, # comments ('-': standard input)")
	fl.StringVar(&t.shard, "shard", "", "scan only shard K of N of the targets (K from 0); auto/N takes K from $"+portfolio.IndexEnv)
}

// anyArgs lets a command run without arguments: --targets-from may give
// every target, and expand says when nothing did.
func anyArgs(*cobra.Command, []string) error { return nil }

// expand returns the targets to scan: arguments and the targets file,
// patterns expanded, repeats dropped, then the shard's part.
func (t *targetFlags) expand(stdin io.Reader, args []string) ([]string, error) {
	all := slices.Clone(args)
	if t.from != "" {
		from, err := t.readFrom(stdin, args)
		if err != nil {
			return nil, err
		}
		all = append(all, from...)
	}
	if len(all) == 0 {
		return nil, usageError{fmt.Errorf("no target: give paths, patterns or --targets-from FILE")}
	}
	targets, err := portfolio.Expand(all)
	if err != nil {
		return nil, usageError{err}
	}
	if t.shard == "" {
		return targets, nil
	}
	sh, err := portfolio.ParseShard(t.shard, os.Getenv)
	if err != nil {
		return nil, usageError{err}
	}
	t.sharded = true
	wd, _ := os.Getwd()
	return sh.Select(targets, wd), nil
}

func (t *targetFlags) readFrom(stdin io.Reader, args []string) ([]string, error) {
	if t.from == "-" {
		if slices.Contains(args, "-") {
			return nil, usageError{fmt.Errorf("--targets-from - and the target - both want standard input")}
		}
		return portfolio.ReadTargets(stdin)
	}
	f, err := os.Open(t.from)
	if err != nil {
		return nil, fmt.Errorf("--targets-from: %v", err)
	}
	defer f.Close()
	return portfolio.ReadTargets(f)
}

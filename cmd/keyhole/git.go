package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/scanner"
)

func init() { commands = append(commands, newGitCmd) }

// gitFlags are the flags only `keyhole git` has.
type gitFlags struct {
	scanRange   string
	sinceCommit string
	staged      bool
	unreachable bool
	wholeBlobs  bool
}

func newGitCmd() *cobra.Command {
	var f scanFlags
	var g gitFlags
	cmd := &cobra.Command{
		Use:   "git [flags] [REPO]",
		Short: "Scan a git repository's history (every ref), a range of commits (--range), or what is staged (--staged)",
		Long: `Scan a git repository (default: the current directory).

By default every commit reachable from any ref (branches, tags, remotes,
stash) is scanned, with the commit messages: each file version is read once
and each finding is attributed to the commit that introduced it at its path.
A text file's later versions are scanned where they differ from the version
before, with 3 lines around (--whole-blobs: every version whole, slower).

--range A..B (or --since-commit A, meaning A..HEAD) reports only the lines
those commits added: for pull request checks and pre-push hooks.

--staged reports only the lines the next commit would add: for pre-commit
hooks (see 'keyhole hook install').`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			repo := "."
			if len(args) == 1 {
				repo = args[0]
			}
			if err := g.check(); err != nil {
				return err
			}
			opts, err := f.options([]string{repo})
			if err != nil {
				return err
			}
			opts.FirstSeen = !g.staged
			opts.Extract.WholeBlobs = g.wholeBlobs
			rs, err := loadRules(f.config)
			if err != nil {
				return err
			}
			sess, err := scanner.NewSession(rs, opts)
			if err != nil {
				return err
			}
			target := scanner.TargetResult{Target: repo, Kind: "git"}
			began := time.Now()
			if !g.staged {
				defer historyMemoryLimit()()
			}
			if g.staged {
				st, err := sess.Extractor().Staged(cmd.Context(), repo, extract.StagedOptions{
					IndexFile: os.Getenv("GIT_INDEX_FILE"), Workers: f.workers,
				})
				if err != nil {
					return fmt.Errorf("%s: %v", repo, err)
				}
				target.Kind, target.Files, target.Bytes = "git-staged", st.Files, st.Bytes
			} else {
				st, err := sess.Extractor().Git(cmd.Context(), repo, extract.GitOptions{
					Range: g.revRange(), Unreachable: g.unreachable, Workers: f.workers,
				})
				if err != nil {
					return fmt.Errorf("%s: %v", repo, err)
				}
				target.Files, target.Bytes = st.Blobs, st.Bytes
			}
			target.Duration = time.Since(began)
			res := sess.Result()
			target.Counts = map[string]int{}
			for _, fd := range res.Findings {
				target.Counts[fd.Severity]++
			}
			res.Targets = []scanner.TargetResult{target}
			return f.finish(cmd, rs, res)
		},
	}
	f.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&g.scanRange, "range", "", "only what the commits in A..B added (B reachable, A not)")
	fl.StringVar(&g.sinceCommit, "since-commit", "", "only what the commits after this one added (same as --range COMMIT..HEAD)")
	fl.BoolVar(&g.staged, "staged", false, "only what is staged for the next commit adds (pre-commit)")
	fl.BoolVar(&g.unreachable, "unreachable", false, "also scan commits and blobs no ref reaches (reset, dropped stashes, never-committed adds)")
	fl.BoolVar(&g.wholeBlobs, "whole-blobs", false, "scan every version of a file whole, not only where it differs from the version before")
	return cmd
}

// check rejects flags that cannot go together.
func (g gitFlags) check() error {
	switch {
	case g.scanRange != "" && g.sinceCommit != "":
		return usageError{fmt.Errorf("--range and --since-commit both choose commits; give one")}
	case g.staged && (g.scanRange != "" || g.sinceCommit != "" || g.unreachable):
		return usageError{fmt.Errorf("--staged scans the index; it takes no --range, --since-commit or --unreachable")}
	case g.unreachable && (g.scanRange != "" || g.sinceCommit != ""):
		return usageError{fmt.Errorf("--unreachable scans the whole object database; it takes no range")}
	}
	return nil
}

func (g gitFlags) revRange() string {
	if g.sinceCommit != "" {
		return g.sinceCommit + "..HEAD"
	}
	return g.scanRange
}

// Command keyhole finds hardcoded secrets, cleartext endpoints and disabled
// TLS validation in source trees, git histories and mobile app builds.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole"
)

// Exit codes.
const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

// exitStatus carries an exit code up through cobra.
type exitStatus struct{ code int }

func (e exitStatus) Error() string { return fmt.Sprintf("exit %d", e.code) }

// commands are the subcommands; each file adds its own.
var commands []func() *cobra.Command

func main() {
	softMemoryLimit()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// defaultMemoryLimit is the heap size past which the garbage collector
// works harder. Scans hold little live data (members and chunks being
// read, findings), so garbage is most of the heap: without a limit a
// 100 MB app peaks near 360 MB, with it near 240 MB, and a 20k-commit
// history at 154 MB instead of 185 MB with a 200 MiB limit, for about the
// same CPU. Under the limit the collector runs less often than Go's
// default, since the limit bounds the heap.
//
// History scans hold less live data still (about 50 MB on a 20k-commit
// history): a lower limit keeps their peak near 130 MB rather than 150 MB
// at no measurable cost, where app scans lose 10% of CPU to it.
const (
	defaultMemoryLimit = 128 << 20
	historyMemoryLimit = 104 << 20
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

// lowerMemoryLimit sets the limit of a history scan, unless GOMEMLIMIT
// says otherwise.
func lowerMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(historyMemoryLimit)
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "keyhole",
		Short:         "Find hardcoded secrets and disabled transport security in code, git history and app builds",
		Version:       keyhole.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	for _, newCmd := range commands {
		root.AddCommand(newCmd())
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	var st exitStatus
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &st):
		return st.code
	}
	fmt.Fprintln(stderr, "keyhole:", err)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "Run 'keyhole --help' for usage.")
	}
	return exitError
}

// usageError marks a mistake in the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func init() {
	commands = append(commands, func() *cobra.Command {
		return &cobra.Command{
			Use:   "version",
			Short: "Print keyhole's version",
			Args:  cobra.NoArgs,
			Run: func(cmd *cobra.Command, args []string) {
				fmt.Fprintln(cmd.OutOrStdout(), "keyhole", keyhole.Version)
			},
		}
	})
}

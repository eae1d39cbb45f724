// Command keyhole finds hardcoded secrets, cleartext endpoints and disabled
// TLS validation in source trees, git histories and mobile app builds.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

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
// History scans of a small history hold less live data still (about 50
// MB on a 20k-commit one): a lower limit keeps their peak near 130 MB
// rather than 150 MB at no measurable cost, where app scans lose 10% of
// CPU to it. Larger histories hold more (see historyMemoryLimit).
const (
	defaultMemoryLimit = 128 << 20
	historyMemoryFloor = 104 << 20
	historyHeadroom    = 64 << 20
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

// historyMemoryLimit sets the limit of a history scan, unless GOMEMLIMIT
// says otherwise, and moves it with what the scan holds (commits, blobs
// and paths: 150 MB live on a 100k-commit history), so that there is
// always historyHeadroom over it for the blobs being read: a limit under
// the live heap makes the collector run without pause (100k commits took
// 14 s so, 8 s with room). The returned function restores the limit.
func historyMemoryLimit() (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(historyMemoryFloor)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				live := int64(sample[0].Value.Uint64())
				debug.SetMemoryLimit(max(historyMemoryFloor, live+historyHeadroom))
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		debug.SetMemoryLimit(prev)
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

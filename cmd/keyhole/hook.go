package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyholesec/keyhole/extract"
)

func init() { commands = append(commands, newHookCmd) }

// hookMarker identifies a pre-commit hook keyhole wrote, which it may
// replace; any other hook is the user's.
const hookMarker = "# keyhole:pre-commit"

func newHookCmd() *cobra.Command {
	hook := &cobra.Command{
		Use:   "hook",
		Short: "Manage git hooks that run keyhole",
		Args:  cobra.NoArgs,
	}
	var force bool
	install := &cobra.Command{
		Use:   "install [REPO]",
		Short: "Install a pre-commit hook that refuses commits adding secrets (keyhole git --staged)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			repo := "."
			if len(args) == 1 {
				repo = args[0]
			}
			dir, err := extract.GitHooksDir(repo)
			if err != nil {
				return fmt.Errorf("%s: %v", repo, err)
			}
			path := filepath.Join(dir, "pre-commit")
			if old, err := os.ReadFile(path); err == nil && !bytes.Contains(old, []byte(hookMarker)) && !force {
				return errors.New(path + " exists and was not written by keyhole; add keyhole git --staged to it, or use --force to replace it")
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(path, []byte(hookScript()), 0o755); err != nil {
				return err
			}
			// WriteFile keeps an existing file's mode.
			if err := os.Chmod(path, 0o755); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "installed", path)
			return nil
		},
	}
	install.Flags().BoolVar(&force, "force", false, "replace a pre-commit hook keyhole did not write")
	hook.AddCommand(install)
	return hook
}

// hookScript runs keyhole from PATH, or from where it was when the hook
// was installed.
func hookScript() string {
	fallback := "keyhole"
	if exe, err := os.Executable(); err == nil {
		fallback = exe
	}
	return fmt.Sprintf(`#!/bin/sh
%s
# Refuses a commit whose staged changes add a secret. Skip once with
# 'git commit --no-verify'; allow a line with a keyhole:allow comment.
if command -v keyhole >/dev/null 2>&1; then
	exec keyhole git --staged
fi
exec %s git --staged
`, hookMarker, shellQuote(fallback))
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

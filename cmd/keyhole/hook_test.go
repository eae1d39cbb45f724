package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHookRefusesCommitWithSecret builds keyhole, installs its hook in a
// fresh repository and commits through the git CLI, as a user would.
func TestHookRefusesCommitWithSecret(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git executable")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "keyhole"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	repo := t.TempDir()
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	run := func(name string, args ...string) (string, error) {
		if name == "keyhole" {
			name = filepath.Join(bin, "keyhole") // exec looks names up in this process's PATH
		}
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(name string, args ...string) {
		t.Helper()
		if out, err := run(name, args...); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	must("git", "init", "-q")
	must("git", "config", "user.email", "dev@example.com")
	must("git", "config", "user.name", "Dev")
	must("keyhole", "hook", "install")

	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("README", "hello\n")
	must("git", "add", "README")
	must("git", "commit", "-q", "-m", "clean first commit")

	write("deploy.env", "GITHUB_TOKEN=ghp_R8rBwTHfqkGXiQ1MpcU2aNvLz06SJtC4dYe3\n")
	must("git", "add", "deploy.env")
	out, err := run("git", "commit", "-q", "-m", "add a token")
	if err == nil {
		t.Fatalf("commit with a secret went through:\n%s", out)
	}
	if !strings.Contains(out, "github-pat") || !strings.Contains(out, "deploy.env") || strings.Contains(out, "R8rBwTHfqkGX") {
		t.Errorf("hook output should name the rule and file, and redact the secret:\n%s", out)
	}
	if log, _ := run("git", "log", "--oneline"); strings.Count(log, "\n") != 1 {
		t.Errorf("history changed:\n%s", log)
	}

	// The user's own hook is not replaced without --force.
	hook := filepath.Join(repo, ".git", "hooks", "pre-commit")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := run("keyhole", "hook", "install"); err == nil || !strings.Contains(out, "--force") {
		t.Errorf("overwrote a foreign hook: %v\n%s", err, out)
	}
	must("keyhole", "hook", "install", "--force")
	if b, _ := os.ReadFile(hook); !strings.Contains(string(b), hookMarker) {
		t.Errorf("--force did not install the hook:\n%s", b)
	}
}

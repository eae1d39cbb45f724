package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/keyholesec/keyhole/internal/hostilegen"
)

// Hostile directory trees: links, special files, unreadable entries,
// hostile names, files that vanish. The walk must never follow a link out
// of the tree or around a loop, never open a FIFO, and keep going.

func TestHostileTree(t *testing.T) {
	dir := t.TempDir()
	good := goodFile(t, dir)
	outside := t.TempDir() // holds a secret that is not part of the target
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("token="+hostilegen.Secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, to := range map[string]string{
		"loop": "loop", "a": "b", "b": "a", "parent": "..", "self": ".",
		"out-dir": outside, "out-file": filepath.Join(outside, "secret.txt"),
	} {
		if err := os.Symlink(to, filepath.Join(dir, link)); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := scanEveryFormat(t, 20*time.Second, good, dir)
	if r.code != exitFindings {
		t.Errorf("exit %d, want %d: %s", r.code, exitFindings, r.stderr)
	}
	if strings.Contains(r.stdout, "secret.txt") {
		t.Error("a symlink out of the tree was followed")
	}
}

func TestHostileFIFOTarget(t *testing.T) {
	dir := t.TempDir()
	good := goodFile(t, dir)
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	r := runBounded(t, 10*time.Second, "scan", "--format", "json", fifo, good)
	checkReport(t, "json", r, good)
	if r.code != exitError {
		t.Errorf("exit %d, want %d", r.code, exitError)
	}
	expectWarning(t, r, `pipe: not a regular file`)
}

func TestHostileUnreadable(t *testing.T) {
	dir := t.TempDir()
	good := goodFile(t, dir)
	file := filepath.Join(dir, "locked.txt")
	sub := filepath.Join(dir, "locked-dir")
	os.WriteFile(file, []byte("token="+hostilegen.Secret+"\n"), 0o644)
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "in.txt"), []byte("token="+hostilegen.Secret+"\n"), 0o644)
	os.Chmod(file, 0)
	os.Chmod(sub, 0)
	defer os.Chmod(sub, 0o755) // so that t.TempDir can clean up
	if _, err := os.ReadFile(file); err == nil {
		t.Skip("running as root (or without permission checks): chmod 000 does not deny reads")
	}
	lockedTarget := t.TempDir()
	os.Chmod(lockedTarget, 0)
	defer os.Chmod(lockedTarget, 0o755)
	r := scanEveryFormat(t, 20*time.Second, good, dir, lockedTarget)
	if r.code != exitError {
		t.Errorf("exit %d, want %d: unreadable files are errors, after the full report", r.code, exitError)
	}
	expectWarning(t, r, `locked\.txt: permission denied`)
	expectWarning(t, r, `locked-dir: permission denied`)
	expectWarning(t, r, regexp.QuoteMeta(lockedTarget)+`: permission denied`)
}

// Names with invalid UTF-8 and newlines: findings in them are reported,
// and no report lets a name break its format or forge a line.
func TestHostileNames(t *testing.T) {
	dir := t.TempDir()
	good := goodFile(t, dir)
	names := []string{"bad\xffname.txt", "new\nline.txt", "tab\tand\x1b[31mescape.txt"}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("token="+goodToken+"\n"), 0o644); err != nil {
			t.Skipf("file system refuses %q: %v", n, err)
		}
	}
	r := scanEveryFormat(t, 20*time.Second, good, dir)
	var fs []struct{ Path string }
	json.Unmarshal([]byte(r.stdout), &fs)
	if len(fs) != 1+len(names) {
		t.Errorf("%d findings, want %d: %s", len(fs), 1+len(names), r.stdout)
	}
	for _, format := range []string{"json", "sarif"} {
		if r := runBounded(t, 20*time.Second, "scan", "--format", format, dir); strings.Contains(r.stderr+r.stdout, "\x1b") {
			t.Errorf("%s: a raw escape character from a name reached the output", format)
		}
	}
}

// Files deleted while the scan runs: the run ends, its reports are
// valid, and a file gone since the walk listed it is not an error.
func TestHostileVanishingFiles(t *testing.T) {
	dir := t.TempDir()
	good := goodFile(t, dir)
	var doomed []string
	for i := range 2000 {
		p := filepath.Join(dir, fmt.Sprintf("f%04d.txt", i))
		os.WriteFile(p, []byte(strings.Repeat("filler line\n", 50)), 0o644)
		doomed = append(doomed, p)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, p := range doomed {
			os.Remove(p)
		}
	}()
	r := runBounded(t, 20*time.Second, "scan", "--format", "json", dir)
	wg.Wait()
	checkReport(t, "json", r, good)
	if r.code != exitFindings {
		t.Errorf("exit %d, want %d: %s", r.code, exitFindings, r.stderr)
	}
}

// keyhole never extracts to disk: a member named ../../x is a name, and
// scanning writes nothing anywhere.
func TestHostileZipSlipWritesNothing(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "b")
	os.MkdirAll(dir, 0o755)
	good := goodFile(t, dir)
	z := hostilegen.Zip(hostilegen.Member{Name: "../../escaped.txt", Data: []byte("x")},
		hostilegen.Member{Name: "/tmp/escaped-abs.txt", Data: []byte("x")},
		hostilegen.Member{Name: "../../../../../../../../tmp/escaped-rel.txt", Data: []byte("x")})
	os.WriteFile(filepath.Join(dir, "slip.zip"), z, 0o644)
	before := listTree(t, root)
	cwd, _ := os.Getwd()
	cwdBefore := listTree(t, cwd)
	r := runBounded(t, 20*time.Second, "scan", "--format", "json", dir)
	checkReport(t, "json", r, good)
	if after := listTree(t, root); after != before {
		t.Errorf("the scan wrote into the tree:\nbefore %s\nafter  %s", before, after)
	}
	if after := listTree(t, cwd); after != cwdBefore {
		t.Error("the scan wrote into the working directory")
	}
	for _, p := range []string{"/tmp/escaped-abs.txt", "/tmp/escaped-rel.txt"} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s exists", p)
		}
	}
}

func listTree(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil {
			fmt.Fprintf(&b, "%s %d %v\n", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return b.String()
}

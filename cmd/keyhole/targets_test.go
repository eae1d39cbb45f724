package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Distinct GitHub tokens, so that findings tell targets apart.
const (
	tokenA = "ghp_Zq7Lm2Xc9Vb4Nn1Kk8Jh3Gf6Dd5Ss0Aa2PwX"
	tokenB = "ghp_Tt5Yy8Uu1Ii4Oo7Pp0Ll3Kk6Jj9Hh2Gg5FfQ"
)

// writeZip writes a zip whose members have the given contents.
func writeZip(t *testing.T, path string, members map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	names := make([]string, 0, len(members))
	for n := range members {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, _ := zw.Create(n)
		w.Write([]byte(members[n]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

type jsonFinding struct {
	Rule, Target, Path, Fingerprint, SecretHash string
	Line                                        int
}

func scanJSON(t *testing.T, args ...string) ([]jsonFinding, string, int) {
	t.Helper()
	out, stderr, code := runCLI(t, append([]string{"scan", "-f", "json"}, args...)...)
	var fs []jsonFinding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("scan %q: not JSON (%v); stderr %s", args, err, stderr)
	}
	return fs, stderr, code
}

func targetsOf(fs []jsonFinding) []string {
	var out []string
	for _, f := range fs {
		if !slices.Contains(out, f.Target) {
			out = append(out, f.Target)
		}
	}
	slices.Sort(out)
	return out
}

// A directory, a file, a zip and a quoted pattern in one run, with a
// target that cannot be read in the middle: every readable target is
// scanned, the bad one is named with its reason, and the exit code is 2.
func TestMixedTargetsWithAnUnreadableOne(t *testing.T) {
	root := t.TempDir()
	dir := tree(t, map[string]string{"config/app.env": "GITHUB_TOKEN=" + tokenA + "\n"})
	file := filepath.Join(root, "ci.env")
	os.WriteFile(file, []byte("TOKEN="+tokenB+"\n"), 0o644)
	os.MkdirAll(filepath.Join(root, "builds", "v2"), 0o755)
	archive := filepath.Join(root, "builds", "v1.zip")
	writeZip(t, archive, map[string]string{"assets/app.env": "GITHUB_TOKEN=" + tokenA + "\n"})
	writeZip(t, filepath.Join(root, "builds", "v2", "app.zip"), map[string]string{"res/raw/keys.txt": "token " + tokenB + "\n"})
	missing := filepath.Join(root, "gone.apk")

	fs, stderr, code := scanJSON(t, dir, file, missing, archive, filepath.Join(root, "builds", "**", "*.zip"))
	if code != 2 {
		t.Errorf("exit %d, want 2 (a target could not be read)", code)
	}
	if !strings.Contains(stderr, "gone.apk") || !strings.Contains(stderr, "no such file") {
		t.Errorf("stderr does not name the unreadable target and why: %q", stderr)
	}
	want := []string{dir, archive, filepath.Join(root, "builds", "v2", "app.zip"), file}
	slices.Sort(want)
	if got := targetsOf(fs); !slices.Equal(got, want) {
		t.Errorf("findings in targets %q\nwant %q", got, want)
	}
	// The zip named twice (literally and by the pattern) is scanned once.
	n := 0
	for _, f := range fs {
		if f.Target == archive {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d findings in %s, want 1", n, archive)
	}
}

func TestTargetsFrom(t *testing.T) {
	root := t.TempDir()
	for name, tok := range map[string]string{"a.env": tokenA, "b.env": tokenB, "c.env": tokenA} {
		os.WriteFile(filepath.Join(root, name), []byte("TOKEN="+tok+"\n"), 0o644)
	}
	list := filepath.Join(root, "targets.txt")
	os.WriteFile(list, []byte("# portfolio\n"+filepath.Join(root, "a.env")+"\n\n"+filepath.Join(root, "[bc].env")+"\n"), 0o644)

	fs, _, code := scanJSON(t, "--targets-from", list)
	if got := targetsOf(fs); code != 1 || len(got) != 3 {
		t.Errorf("--targets-from FILE: exit %d, targets %q", code, got)
	}

	// "-" reads the list from standard input.
	stdin, _ := os.Open(list)
	defer stdin.Close()
	saved := os.Stdin
	os.Stdin = stdin
	defer func() { os.Stdin = saved }()
	fs, _, code = scanJSON(t, "--targets-from", "-", filepath.Join(root, "a.env"))
	if got := targetsOf(fs); code != 1 || len(got) != 3 {
		t.Errorf("--targets-from -: exit %d, targets %q", code, got)
	}

	if _, stderr, code := runCLI(t, "scan", "--targets-from", "-", "-"); code != 2 || !strings.Contains(stderr, "standard input") {
		t.Errorf("--targets-from - with target -: exit %d, %q", code, stderr)
	}
	if _, stderr, code := runCLI(t, "scan"); code != 2 || !strings.Contains(stderr, "no target") {
		t.Errorf("no target: exit %d, %q", code, stderr)
	}
}

// The same key in a source tree and in a build, at different paths, is
// listed once with both places; the kinds come from content.
func TestSharedSecretGroupedAcrossTargets(t *testing.T) {
	src := tree(t, map[string]string{"config/prod.env": "GITHUB_TOKEN=" + tokenA + "\n", "other.env": "GITHUB_TOKEN=" + tokenB + "\n"})
	build := filepath.Join(t.TempDir(), "release.bin")
	writeZip(t, build, map[string]string{"AndroidManifest.xml": "<manifest/>", "assets/keys.txt": "token " + tokenA + "\n"})

	out, _, code := runCLI(t, "scan", src, build)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	_, group, ok := strings.Cut(out, "same secret in several targets\n")
	if !ok {
		t.Fatalf("no group of the shared secret:\n%s", out)
	}
	group, _, _ = strings.Cut(group, "\n\n")
	if !strings.Contains(group, src+"/config/prod.env:1:") || !strings.Contains(group, build+"!assets/keys.txt:1:") || strings.Contains(group, "other.env") {
		t.Errorf("group is not the two places of the shared key:\n%s", group)
	}
	if !strings.Contains(out, "release.bin  apk ") {
		t.Errorf("the zip with a manifest is not summarised as an apk:\n%s", out)
	}

	fs, _, _ := scanJSON(t, src, build)
	hashes := map[string][]string{}
	for _, f := range fs {
		if f.SecretHash == "" {
			t.Errorf("%s: no secretHash", f.Path)
		}
		hashes[f.SecretHash] = append(hashes[f.SecretHash], f.Path)
	}
	if len(fs) != 3 || len(hashes) != 2 {
		t.Errorf("%d findings with %d secret hashes, want 3 and 2: %v", len(fs), len(hashes), hashes)
	}
}

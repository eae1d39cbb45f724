package portfolio

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func touch(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	touch(t, dir, "b.apk", "a.apk", "c.ipa", "sub/deep/d.apk", "a[1].txt", "notes.txt")
	j := func(n string) string { return filepath.Join(dir, filepath.FromSlash(n)) }
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"star, sorted", []string{j("*.apk")}, []string{j("a.apk"), j("b.apk")}},
		{"any depth", []string{j("**/*.apk")}, []string{j("a.apk"), j("b.apk"), j("sub/deep/d.apk")}},
		{"alternatives and ?", []string{j("{c.ipa,?.apk}")}, []string{j("a.apk"), j("b.apk"), j("c.ipa")}},
		{"an existing name is literal", []string{j("a[1].txt")}, []string{j("a[1].txt")}},
		{"class", []string{j("[ab].apk")}, []string{j("a.apk"), j("b.apk")}},
		{"no match stays for the scan to report", []string{j("*.xapk")}, []string{j("*.xapk")}},
		{"plain paths, stdin, repeats dropped", []string{dir, "-", j("a.apk"), j("*.apk"), dir}, []string{dir, "-", j("a.apk"), j("b.apk")}},
	}
	for _, c := range cases {
		got, err := Expand(c.args)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: Expand(%q) = %q, %v; want %q", c.name, c.args, got, err, c.want)
		}
	}
	if _, err := Expand([]string{j("[unclosed*")}); err == nil {
		t.Error("a malformed pattern was accepted")
	}
}

func TestReadTargets(t *testing.T) {
	in := "# release builds\n  app.apk  \n\nbuild/*.ipa\n\t# indented comment\nsrc dir/with space\n"
	got, err := ReadTargets(strings.NewReader(in))
	want := []string{"app.apk", "build/*.ipa", "src dir/with space"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ReadTargets = %q, %v; want %q", got, err, want)
	}
	if _, err := ReadTargets(strings.NewReader(strings.Repeat("x", maxTargetLine+1))); err == nil {
		t.Error("an overlong line was accepted")
	}
}

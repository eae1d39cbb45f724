package scanner

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

func TestTargetKind(t *testing.T) {
	dir := t.TempDir()
	zipOf := func(name string, members ...string) string {
		p := filepath.Join(dir, name)
		f, _ := os.Create(p)
		zw := zip.NewWriter(f)
		for _, m := range members {
			zw.Create(m)
		}
		zw.Close()
		f.Close()
		return p
	}
	text := filepath.Join(dir, "notes.apk") // named like an app, but text
	os.WriteFile(text, []byte("PK is not enough"), 0o644)
	for path, want := range map[string]string{
		"-":                      "stdin",
		dir:                      "directory",
		filepath.Join(dir, "no"): "unreadable",
		text:                     "file",
		zipOf("a.bin", "AndroidManifest.xml", "classes.dex"):                  "apk",
		zipOf("b.zip", "base/manifest/AndroidManifest.xml", "base/dex/a.dex"): "aab",
		zipOf("c.zip", "manifest.json", "base.apk", "config.arm64_v8a.apk"):   "xapk",
		zipOf("d.zip", "Payload/App.app/Info.plist", "Payload/App.app/App"):   "ipa",
		zipOf("e.zip", "META-INF/MANIFEST.MF", "com/a/B.class"):               "jar",
		zipOf("f.ipa", "README.md"):                                           "zip",
		"../testdata/android/vulnerable.apk":                                  "apk",
		"../testdata/android/bundle.xapk":                                     "xapk",
		"../testdata/android/clean.aab":                                       "aab",
	} {
		if got := targetKind(path); got != want {
			t.Errorf("targetKind(%s) = %s, want %s", filepath.Base(path), got, want)
		}
	}
}

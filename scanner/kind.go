package scanner

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"strings"
)

// targetKind names what a target is for the summary, by content: an app
// build or archive by its zip entries, whatever its file name says.
func targetKind(target string) string {
	if target == "-" {
		return "stdin"
	}
	st, err := os.Stat(target)
	switch {
	case err != nil:
		return "unreadable"
	case st.IsDir():
		return "directory"
	case !st.Mode().IsRegular(): // never open a FIFO: it blocks until written
		return "file"
	}
	f, err := os.Open(target)
	if err != nil {
		return "file"
	}
	defer f.Close()
	head := make([]byte, 4)
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, []byte("PK\x03\x04")) {
		return "file"
	}
	zr, err := zip.NewReader(f, st.Size()) // reads the central directory only
	if err != nil {
		return "file"
	}
	return zipKind(zr.File)
}

// zipKind tells app builds and Java archives from other zips, as the
// extractor does (extract/apk.go) plus IPAs and JARs.
func zipKind(files []*zip.File) string {
	names := make(map[string]bool, len(files))
	apks, classes, ipa := 0, 0, false
	for _, f := range files {
		names[f.Name] = true
		lower := strings.ToLower(f.Name)
		switch {
		case strings.HasSuffix(lower, ".apk"):
			apks++
		case strings.HasSuffix(lower, ".class"):
			classes++
		}
		if rest, ok := strings.CutPrefix(f.Name, "Payload/"); ok && strings.Contains(rest, ".app/") {
			ipa = true
		}
	}
	switch {
	case names["AndroidManifest.xml"]:
		return "apk"
	case names["base/manifest/AndroidManifest.xml"]:
		return "aab"
	case apks > 0 && (names["manifest.json"] || names["toc.pb"]):
		return "xapk"
	case ipa:
		return "ipa"
	case names["META-INF/MANIFEST.MF"] || classes > 0:
		return "jar"
	}
	return "zip"
}

package inventory

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole/extract"
)

// FuzzFind checks that finding and normalising never panic and always
// produce well-formed endpoints: spans inside the text, lower-case hosts,
// templates that are stable under templating again, bounded sizes.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		`fetch("https://API.Shop.com:443/users/12345?page=2#x")`, `{"u":"https:\/\/a.b\/v1\/x"}`,
		"host: api.shop.com\nbaseUrl = \"a.b:80\"", `<domain x="y">a.shop.com</domain>`, `"http://[::1]:9/"`,
		`s3://b/k my.s3.amazonaws.com/x "/api/v1/x" "/v2/%s/{id}"`, "shopfast://product/1", `ftp://u:p@h.io/`,
	} {
		f.Add([]byte(s), false)
	}
	_ = filepath.WalkDir(filepath.Join(fixtures, "src"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data, false)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, data []byte, lines bool) {
		raws := find(data, lowerASCII(nil, data), lines)
		for i, r := range raws {
			if r.start < 0 || r.end > len(data) || r.start >= r.end {
				t.Fatalf("span %d..%d outside %d bytes", r.start, r.end, len(data))
			}
			if i > 0 && raws[i-1].start > r.start {
				t.Fatal("raws out of order")
			}
			p, ok := parseRaw(r)
			if !ok {
				continue
			}
			if p.host != strings.ToLower(p.host) || len(p.host) > maxHostLen+2 {
				t.Fatalf("host %q", p.host)
			}
			if p.path != "" && (p.path[0] != '/' || templatePath(p.path) != p.path) {
				t.Fatalf("path %q is not a stable template (%q)", p.path, templatePath(p.path))
			}
			if len(p.query) > maxQueryNames || len(p.key()) > maxURLLen+maxSchemeLen+16 {
				t.Fatalf("unbounded: %d query names, key of %d bytes", len(p.query), len(p.key()))
			}
			if p.host == "" && p.path == "" {
				t.Fatalf("empty endpoint from %q", r.text)
			}
		}
	})
}

// FuzzCollector runs whole chunks through the collector and its result.
func FuzzCollector(f *testing.F) {
	f.Add([]byte("url = \"http://10.0.0.1/a\"\nxmlns:a=\"http://schemas.android.com/apk/res/android\"\n"))
	f.Add([]byte("<string name=\"api_host\">api.shop.com</string>\nhttps://x.firebaseio.com"))
	f.Fuzz(func(t *testing.T, data []byte) {
		col := NewCollector(TableJudge{}, nil)
		col.Chunk(extract.Chunk{Origin: extract.Origin{Target: "t", Path: "AndroidManifest.xml"}, Data: data, Rendered: true})
		inv := col.Result([]string{"t"}, nil)
		for _, e := range inv.Endpoints {
			if e.Count < 1 || len(e.Seen) == 0 || len(e.Seen) > MaxSeen || e.Key == "" {
				t.Fatalf("malformed endpoint %+v", e)
			}
		}
	})
}

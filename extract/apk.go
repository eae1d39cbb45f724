package extract

import (
	"path"
	"strings"

	"github.com/klauspost/compress/zip"
)

// appContext is what members of one app build share while it is extracted:
// the resource table, read first (zip.go orders it so), resolves the
// references in the build's binary or protobuf XML.
type appContext struct {
	kind      string // "apk", "aab" or "xapk"
	tablePath string // origin path of the member holding the app's resource table
	table     *resTable
}

// appScope recognises an app build among zip archives and prepares the
// context its members share; other archives get none, so nothing leaks
// from an app into a zip nested inside it.
//
//	APK:        AndroidManifest.xml at the root (resources.arsc may be missing)
//	AAB:        base/manifest/AndroidManifest.xml (aapt2 protobuf files)
//	XAPK/APKS:  APKs and a manifest.json (or toc.pb); each APK gets its own
//	            context when it is extracted as a member
func (x *job) appScope(sc scope, zr *zip.Reader) scope {
	names := map[string]bool{}
	apks := 0
	for _, f := range zr.File {
		names[f.Name] = true
		if strings.HasSuffix(strings.ToLower(f.Name), ".apk") {
			apks++
		}
	}
	sc.app = nil
	switch {
	case names["AndroidManifest.xml"]:
		sc.app = &appContext{kind: "apk", tablePath: sc.origin.Member("resources.arsc").Path}
	case names["base/manifest/AndroidManifest.xml"]:
		sc.app = &appContext{kind: "aab", tablePath: sc.origin.Member("base/resources.pb").Path}
	case apks > 0 && (names["manifest.json"] || names["toc.pb"]):
		sc.app = &appContext{kind: "xapk"}
	}
	return sc
}

// resources returns the app's resource table, nil when none was read.
func (a *appContext) resources() *resTable {
	if a == nil {
		return nil
	}
	return a.table
}

// adopt keeps t as the app's table when it was read from the app's own
// table member (not from a copy elsewhere in the archive).
func (a *appContext) adopt(origin Origin, t *resTable) {
	if a != nil && t != nil && a.table == nil && origin.Path == a.tablePath {
		a.table = t
	}
}

// isTableMember says whether a zip member is an app's resource table, which
// must be read before the rest (see orderMembers).
func isTableMember(name string) bool {
	return strings.EqualFold(name, "resources.arsc") || path.Base(name) == "resources.pb"
}

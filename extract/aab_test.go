package extract

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// A bundle renders as its APK twin does: the same XML, facts and lines.
func TestAABRendersLikeTheAPK(t *testing.T) {
	for _, app := range []string{"vulnerable", "clean"} {
		for aabPath, apkPath := range map[string]string{
			"base/manifest/AndroidManifest.xml":        "AndroidManifest.xml",
			"base/res/xml/network_security_config.xml": "res/xml/network_security_config.xml",
		} {
			bundle, c := memberText(t, app+".aab", aabPath, "aab")
			apk, _ := memberText(t, app+".apk", apkPath, "axml")
			// aapt2 keeps an enum's source spelling; binary XML has its value.
			bundle = strings.ReplaceAll(bundle, `protectionLevel="signature"`, `protectionLevel="0x2"`)
			if normalizeBuildAttrs(bundle) != normalizeBuildAttrs(apk) {
				t.Errorf("%s.aab!%s:\n%s\nwant as in the APK:\n%s", app, aabPath, bundle, apk)
			}
			if len(c.warnings) > 0 {
				t.Errorf("%s.aab: warnings %v", app, c.warnings)
			}
		}
		table, _ := memberText(t, app+".aab", "base/resources.pb", "aab")
		apkTable, _ := memberText(t, app+".apk", "resources.arsc", "arsc")
		if sortedLines(table) != sortedLines(apkTable) {
			t.Errorf("%s.aab resources:\n%s\nwant:\n%s", app, table, apkTable)
		}
	}
}

func TestAABLegacyManifestFacts(t *testing.T) {
	text, _ := memberText(t, "legacy.aab", "base/manifest/AndroidManifest.xml", "aab")
	for _, want := range []string{
		`<application android:label="Legacy Example">`,
		"<!-- keyhole: cleartext-default targetSdk=27 networkSecurityConfig=absent -->",
		"<!-- keyhole: exported component=receiver name=com.example.legacy.BootReceiver reason=intent-filter permission=none -->",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
}

func TestAABMalformedFallsBackToStrings(t *testing.T) {
	c := extractBytes(t, Options{}, "resources.pb", []byte("\x12\xff\x01partial google_api_key"))
	if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), "malformed resources.pb") {
		t.Errorf("warnings: %v", c.warnings)
	}
	if !strings.Contains(c.text("", "strings"), "google_api_key") {
		t.Error("no strings fallback")
	}
}

// aapt and aapt2 stamp different build attributes on the manifest and
// order attributes differently; the rest must agree.
func normalizeBuildAttrs(s string) string {
	attr := regexp.MustCompile(` [\w:]+="[^"]*"`)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "<manifest ") {
			lines[i] = "<manifest>"
			continue
		}
		attrs := attr.FindAllString(l, -1)
		slices.Sort(attrs)
		lines[i] = attr.ReplaceAllString(l, "") + strings.Join(attrs, "")
	}
	return strings.Join(lines, "\n")
}

func sortedLines(s string) string {
	lines := strings.Split(s, "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func FuzzAABProto(f *testing.F) {
	for _, fixture := range []string{"vulnerable.aab", "legacy.aab"} {
		aab := androidFixture(f, fixture)
		f.Add(zipMember(f, aab, "base/manifest/AndroidManifest.xml"), false)
		f.Add(zipMember(f, aab, "base/resources.pb"), true)
	}
	table, _, _ := decodeResourcesPB(zipMember(f, androidFixture(f, "vulnerable.aab"), "base/resources.pb"))
	f.Fuzz(func(t *testing.T, data []byte, isTable bool) {
		if isTable {
			decodeResourcesPB(data)
			return
		}
		if root, _ := decodeXMLPB(data, table); root != nil {
			text, _ := renderXML(root)
			appendManifestFacts(text, root)
		}
	})
}

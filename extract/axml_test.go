package extract

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// memberText extracts an app fixture and returns the rendered text of one
// member (format "axml", "arsc", "aab" …) and the whole collection.
func memberText(t *testing.T, fixture, member, format string) (string, *collect) {
	t.Helper()
	c := extractBytes(t, Options{}, fixture, androidFixture(t, fixture))
	text := c.text(member, format)
	if text == "" {
		t.Fatalf("%s: no %s rendering of %s; got paths %q", fixture, format, member, c.paths())
	}
	return text, c
}

func TestAXMLManifestRendersAttributesReferencesAndFacts(t *testing.T) {
	text, c := memberText(t, "vulnerable.apk", "AndroidManifest.xml", "axml")
	for _, want := range []string{
		`<manifest xmlns:android="http://schemas.android.com/apk/res/android" android:versionCode="7" android:versionName="1.0.7"`,
		`<uses-sdk android:minSdkVersion="21" android:targetSdkVersion="26" />`,
		// references resolved through resources.arsc: strings to their value, files by name
		`<application android:label="Vulnerable Example" android:debuggable="true" android:usesCleartextTraffic="true" android:networkSecurityConfig="@xml/network_security_config">`,
		`<meta-data android:name="com.google.android.geo.API_KEY" android:value="AIzaSyB8k3Vn2Qw7Xr5Tz1Lm9Pd4Hc6Jf0Gs3Ea" />`,
		"    <service android:name=\".SyncService\">\n      <intent-filter>\n        <action android:name=\"com.example.vulnerable.SYNC\" />\n      </intent-filter>\n    </service>\n",
		"</manifest>\n<!-- keyhole: allowBackup absent -->\n<!-- keyhole: exported component=service name=com.example.vulnerable.SyncService reason=intent-filter permission=none -->\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("rendering lacks %q:\n%s", want, text)
		}
	}
	// The launcher and the receiver guarded by a permission are not facts;
	// NSC present, so no cleartext default.
	for _, not := range []string{"MainActivity reason", "PrivateReceiver reason", "cleartext-default"} {
		if strings.Contains(text, not) {
			t.Errorf("rendering has %q:\n%s", not, text)
		}
	}
	if len(c.warnings) > 0 {
		t.Errorf("warnings: %v", c.warnings)
	}
}

func TestAXMLNetworkSecurityConfig(t *testing.T) {
	text, _ := memberText(t, "clean.apk", "res/xml/network_security_config.xml", "axml")
	want := `<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
  <base-config cleartextTrafficPermitted="false">
    <trust-anchors>
      <certificates src="system" />
    </trust-anchors>
  </base-config>
  <domain-config cleartextTrafficPermitted="false">
    <domain includeSubdomains="true">api.clean-example.net</domain>
    <pin-set expiration="2030-01-01">
      <pin digest="SHA-256">7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=</pin>
    </pin-set>
  </domain-config>
  <debug-overrides>
    <trust-anchors>
      <certificates src="user" overridePins="true" />
    </trust-anchors>
  </debug-overrides>
</network-security-config>
`
	if text != want {
		t.Errorf("got:\n%s\nwant:\n%s", text, want)
	}
}

// Obfuscators empty the attribute name strings; the resource map still
// names them, so the rendering does not change.
func TestAXMLStrippedAttributeNamesResolveByResourceID(t *testing.T) {
	apk := androidFixture(t, "stripped.apk")
	raw := extractBytes(t, Options{}, "stripped.apk", apk)
	manifest := zipMember(t, apk, "AndroidManifest.xml")
	pool, err := parseStringPool(mustChunk(t, manifest[8:]))
	if err != nil {
		t.Fatal(err)
	}
	if got := pool.get(0); got != "" {
		t.Fatalf("fixture is not stripped: string 0 is %q", got)
	}
	stripped := raw.text("AndroidManifest.xml", "axml")
	clean, _ := memberText(t, "vulnerable.apk", "AndroidManifest.xml", "axml")
	if stripped != clean {
		t.Errorf("stripped manifest renders differently:\n%s\nwant:\n%s", stripped, clean)
	}
}

// Without resources.arsc every reference stays a raw id, and the rest of
// the app is still read (the failure FIELD-NOTES warns of elsewhere).
func TestAXMLWithoutResourceTable(t *testing.T) {
	text, c := memberText(t, "no-arsc.apk", "AndroidManifest.xml", "axml")
	if !strings.Contains(text, `android:label="@0x7f040000"`) || !strings.Contains(text, `android:networkSecurityConfig="@0x7f020000"`) {
		t.Errorf("references not kept as ids:\n%s", text)
	}
	if !strings.Contains(c.text("assets/config.json", ""), "hooks.slack.com") {
		t.Error("assets not scanned")
	}
}

func TestAXMLTruncatedRendersWhatItCanAndWarns(t *testing.T) {
	c := extractBytes(t, Options{}, "truncated.axml", androidFixture(t, "truncated.axml"))
	text := c.text("", "axml")
	if !strings.Contains(text, `android:debuggable="true"`) || !strings.HasSuffix(text, "<!-- keyhole: allowBackup absent -->\n") {
		t.Errorf("partial rendering:\n%s", text)
	}
	if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), "malformed Android binary XML") {
		t.Errorf("warnings: %v", c.warnings)
	}
	if !strings.Contains(c.text("", "strings"), "com.example.vulnerable") {
		t.Error("no strings fallback")
	}
}

// Hostile headers: counts and sizes that would cost far more than the file.
func TestAXMLHostileInputsStayBounded(t *testing.T) {
	pool := axmlStringPool("a", "b")
	elem := func(attrSize, count uint16) []byte {
		ext := make([]byte, 20)
		binary.LittleEndian.PutUint32(ext[0:], noIndex)
		binary.LittleEndian.PutUint32(ext[4:], 0)
		binary.LittleEndian.PutUint16(ext[8:], 20)
		binary.LittleEndian.PutUint16(ext[10:], attrSize)
		binary.LittleEndian.PutUint16(ext[12:], count)
		return axmlChunk(chunkXMLStartElem, 16, ext)
	}
	cases := map[string][]byte{
		"zero attribute size": axmlFile(pool, elem(0, 65535)),
		"attributes past end": axmlFile(pool, elem(20, 65535)),
		"deep nesting":        axmlFile(pool, bytes.Repeat(elem(20, 0), maxXMLDepth+10)),
		"chunk size zero":     axmlFile(pool, []byte{0x02, 0x01, 0x10, 0x00, 0, 0, 0, 0}),
		"header past chunk":   axmlFile(pool, []byte{0x02, 0x01, 0x40, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
		"huge string count":   axmlFile(axmlChunk(chunkStringPool, 28, []byte{}), nil),
	}
	binary.LittleEndian.PutUint32(cases["huge string count"][16:], 0x7fffffff)
	for name, data := range cases {
		root, _, err := decodeAXML(data, nil)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if root != nil && len(root.attrs) > 0 {
			t.Errorf("%s: attributes decoded from nothing: %d", name, len(root.attrs))
		}
	}
}

func FuzzAXML(f *testing.F) {
	for _, fixture := range []string{"vulnerable.apk", "clean.apk", "stripped.apk"} {
		apk := androidFixture(f, fixture)
		f.Add(zipMember(f, apk, "AndroidManifest.xml"))
		f.Add(zipMember(f, apk, "res/xml/network_security_config.xml"))
	}
	table, _, _ := parseARSC(zipMember(f, androidFixture(f, "vulnerable.apk"), "resources.arsc"))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, _, _ := decodeAXML(data, table)
		if root != nil {
			text, _ := renderXML(root)
			appendManifestFacts(text, root)
		}
	})
}

// axmlFile wraps chunks in a binary XML file chunk.
func axmlFile(chunks ...[]byte) []byte {
	return axmlChunk(chunkXML, 8, bytes.Join(chunks, nil))
}

// axmlChunk builds a chunk whose header is headerSize bytes (zero-filled
// past the type and sizes) followed by body.
func axmlChunk(typ uint16, headerSize int, body []byte) []byte {
	c := make([]byte, headerSize, headerSize+len(body))
	binary.LittleEndian.PutUint16(c, typ)
	binary.LittleEndian.PutUint16(c[2:], uint16(headerSize))
	binary.LittleEndian.PutUint32(c[4:], uint32(headerSize+len(body)))
	return append(c, body...)
}

// axmlStringPool builds a UTF-8 string pool (strings under 32 KiB).
func axmlStringPool(strs ...string) []byte {
	var offsets, data []byte
	for _, s := range strs {
		offsets = binary.LittleEndian.AppendUint32(offsets, uint32(len(data)))
		for range 2 { // the length in UTF-16 units, then in bytes
			if len(s) < 0x80 {
				data = append(data, byte(len(s)))
			} else {
				data = append(data, byte(len(s)>>8)|0x80, byte(len(s)))
			}
		}
		data = append(append(data, s...), 0)
	}
	c := axmlChunk(chunkStringPool, 28, append(offsets, data...))
	binary.LittleEndian.PutUint32(c[8:], uint32(len(strs)))
	binary.LittleEndian.PutUint32(c[16:], poolUTF8)
	binary.LittleEndian.PutUint32(c[20:], uint32(28+len(offsets)))
	return c
}

func mustChunk(t testing.TB, b []byte) resChunk {
	t.Helper()
	c, _, err := nextChunk(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

package extract

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

func TestARSCRendersEveryStringEntry(t *testing.T) {
	text, c := memberText(t, "vulnerable.apk", "resources.arsc", "arsc")
	want := `app_name = Vulnerable Example
google_api_key = AIzaSyD4n7Qm2Xc9Lp0Vt6Hs3Kb8Rw1Ye5Ju2Fg
google_maps_key = AIzaSyB8k3Vn2Qw7Xr5Tz1Lm9Pd4Hc6Jf0Gs3Ea
firebase_database_url = https://vulnerable-example-4f2a1.firebaseio.com
backend_url = http://api.vulnerable-example.net/v1
stripe_key = sk_live_51Hc3QpLm2Xv8Rt4Kd9Wn7Bz5Yf1Gs6Ja0Ue3Ti
`
	if text != want {
		t.Errorf("got:\n%s\nwant:\n%s", text, want)
	}
	if len(c.warnings) > 0 {
		t.Errorf("warnings: %v", c.warnings)
	}
}

func TestARSCConfigurationsAndArrays(t *testing.T) {
	clean, _ := memberText(t, "clean.apk", "resources.arsc", "arsc")
	if want := "# values-fr\napp_name = Exemple propre\n"; !strings.Contains(clean, want) {
		t.Errorf("no French section %q in:\n%s", want, clean)
	}
	legacy, _ := memberText(t, "bundle.xapk", "base.apk!resources.arsc", "arsc")
	if want := "endpoints = http://legacy-example.net/api\nendpoints = https://legacy-example.net/api\n"; !strings.Contains(legacy, want) {
		t.Errorf("string-array items missing from:\n%s", legacy)
	}
}

func TestARSCTableResolvesByID(t *testing.T) {
	table, _, err := parseARSC(zipMember(t, androidFixture(t, "vulnerable.apk"), "resources.arsc"))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[uint32]string{
		0x7f040000: "Vulnerable Example",           // a string: its value
		0x7f020000: "@xml/network_security_config", // a file: its name
		0x7f030000: "true",                         // bool/debug_build
		0x7f7f0000: "@0x7f7f0000",                  // unknown
		0x01010000: "@android:0x01010000",          // the framework's
	} {
		if got := table.reference(id, '@'); got != want {
			t.Errorf("0x%08x: %q, want %q", id, got, want)
		}
	}
}

func TestARSCTruncatedWarnsAndFallsBack(t *testing.T) {
	c := extractBytes(t, Options{}, "truncated.arsc", androidFixture(t, "truncated.arsc"))
	if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), "malformed resources.arsc") {
		t.Errorf("warnings: %v", c.warnings)
	}
	if !strings.Contains(c.text("", "strings"), "AIzaSyD4n7Qm2Xc9Lp0Vt6Hs3Kb8Rw1Ye5Ju2Fg") {
		t.Error("the key is not in the strings fallback")
	}
}

// A type chunk whose offsets all point at one large entry would render it
// once per offset: the rendering stops at maxRenderSize.
func TestARSCRepeatedEntriesStayBounded(t *testing.T) {
	data := hostileTable(4000, 30000) // 120 MB if rendered in full
	_, text, _ := parseARSC(data)
	if len(text) <= maxRenderSize || len(text) > maxRenderSize+30100 {
		t.Errorf("rendered %d bytes from %d; want the %d-byte cap and one line more", len(text), len(data), maxRenderSize)
	}
}

// hostileTable builds a table of one package with one string type whose
// count entries all share one entry holding a string of size bytes.
func hostileTable(count, size int) []byte {
	le := binary.LittleEndian
	values := axmlStringPool(strings.Repeat("v", size))
	types := axmlStringPool("string")
	keys := axmlStringPool("k")
	entry := make([]byte, 16)
	le.PutUint16(entry, 8)
	le.PutUint32(entry[4:], 0)  // key 0
	le.PutUint16(entry[8:], 8)  // value size
	entry[11] = valString       // value type
	le.PutUint32(entry[12:], 0) // string 0
	header := make([]byte, 20+64)
	header[8] = 1                            // type id
	le.PutUint32(header[12:], uint32(count)) // entry count
	le.PutUint32(header[16:], uint32(len(header)+4*count))
	le.PutUint32(header[20:], 64) // config size
	typeChunk := append(header, make([]byte, 4*count)...)
	typeChunk = append(typeChunk, entry...)
	le.PutUint16(typeChunk, chunkTableType)
	le.PutUint16(typeChunk[2:], uint16(len(header)))
	le.PutUint32(typeChunk[4:], uint32(len(typeChunk)))
	pkgHeader := make([]byte, 288)
	le.PutUint32(pkgHeader[8:], 0x7f)
	le.PutUint32(pkgHeader[268:], 288)
	le.PutUint32(pkgHeader[276:], uint32(288+len(types)))
	pkg := bytes.Join([][]byte{pkgHeader, types, keys, typeChunk}, nil)
	le.PutUint16(pkg, chunkTablePackage)
	le.PutUint16(pkg[2:], 288)
	le.PutUint32(pkg[4:], uint32(len(pkg)))
	return axmlChunk(chunkTable, 12, append(values, pkg...))
}

func FuzzARSC(f *testing.F) {
	for _, fixture := range []string{"vulnerable.apk", "clean.apk"} {
		f.Add(zipMember(f, androidFixture(f, fixture), "resources.arsc"))
	}
	f.Add(hostileTable(3, 10))
	f.Fuzz(func(t *testing.T, data []byte) {
		table, _, _ := parseARSC(data)
		if table == nil {
			return
		}
		for id := range table.entries {
			table.reference(id, '@')
		}
	})
}

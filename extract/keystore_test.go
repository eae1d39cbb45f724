package extract

import (
	"strings"
	"testing"
)

func TestKeystoreReportedAsSuch(t *testing.T) {
	for name, want := range map[string]string{
		"release.jks": "keyhole: keystore type=JKS version=2 entries=2 private-keys=1\n" +
			"keyhole: keystore alias=release kind=private-key\n" +
			"keyhole: keystore alias=upload kind=trusted-certificate\n",
		"client.bks": "keyhole: keystore type=BKS\n",
	} {
		c := extractBytes(t, Options{}, name, androidFixture(t, name))
		if got := c.text("", "keystore"); !strings.HasPrefix(got, want) {
			t.Errorf("%s:\n%s\nwant it to start with:\n%s", name, got, want)
		}
	}
}

// Counts and lengths past the end stop the walk without reading past it.
func TestKeystoreHostileJKS(t *testing.T) {
	for name, data := range map[string][]byte{
		"huge count":  {0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff},
		"alias past":  {0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff},
		"only magic":  {0xce, 0xce, 0xce, 0xce},
		"key too big": append([]byte{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 'k'}, append(make([]byte, 8), 0x7f, 0xff, 0xff, 0xff)...),
	} {
		got := describeKeystore(data, "")
		if !strings.HasPrefix(got, "keyhole: keystore type=") || strings.Count(got, "\n") > 2 {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func FuzzKeystore(f *testing.F) {
	f.Add(androidFixture(f, "release.jks"))
	f.Fuzz(func(t *testing.T, data []byte) { describeKeystore(data, "x.jks") })
}

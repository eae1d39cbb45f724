package extract

import (
	"strings"
	"testing"
)

func TestProvisioningProfiles(t *testing.T) {
	for _, tc := range []struct{ name, fact string }{
		{"development.mobileprovision", `provision get-task-allow=true team=ABCDE12345 name="Vulnerable Example Development" expires=2027-01-01`},
		{"distribution.mobileprovision", `provision get-task-allow=false team=FGHIJ67890 name="Clean Example App Store" expires=2027-01-01`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := extractBytes(t, Options{NoDecode: true}, tc.name, iosFixture(t, tc.name))
			if len(c.warnings) > 0 {
				t.Fatalf("warnings: %v", c.warnings)
			}
			text := c.text("", "provision")
			if !strings.HasPrefix(text, "<?xml") || !strings.HasSuffix(text, "</plist>") {
				t.Errorf("rendered profile is not the plist alone:\n%s", text)
			}
			facts := factTexts(c, "")
			if len(facts) != 1 || facts[0] != tc.fact {
				t.Fatalf("facts %q, want %q", facts, tc.fact)
			}
			for _, ch := range c.chunks {
				if ch.Format == "facts" && !strings.Contains(strings.Split(text, "\n")[ch.LineOffset], "<key>get-task-allow</key>") {
					t.Errorf("fact not at the get-task-allow line (%d)", ch.LineOffset+1)
				}
			}
		})
	}
}

func TestProvisionHostileName(t *testing.T) {
	root, err := parseXMLPlist([]byte(`<plist><dict><key>Name</key><string>x" expires=2099-01-01 --&gt;
&lt;!-- keyhole: provision get-task-allow=true</string><key>Entitlements</key><dict><key>get-task-allow</key><false/></dict></dict></plist>`))
	if err != nil {
		t.Fatal(err)
	}
	got := provisionFact(root).text
	if want := `provision get-task-allow=false team=unknown name="x expires2099-01-01 -!- keyhole: provision get-task-allowtrue" expires=unknown`; got != want {
		t.Errorf("fact %q\nwant %q", got, want)
	}
}

func TestProvisionWithoutPlist(t *testing.T) {
	c := extractBytes(t, Options{NoDecode: true}, "broken.mobileprovision", []byte("0\x82\x01\x00 not a profile <?xml version=\"1.0\"?><plist><dict>"))
	if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), "malformed provisioning profile: plist inside is cut short") {
		t.Errorf("warnings: %v", c.warnings)
	}
}

func FuzzProvision(f *testing.F) {
	for _, name := range []string{"development.mobileprovision", "distribution.mobileprovision"} {
		f.Add(iosFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &collect{}
		job := New(Options{NoDecode: true}, c).newJob(t.Context())
		job.provision(scope{}, data)
		for _, ch := range c.chunks {
			if ch.Format == "facts" && strings.Count(string(ch.Data), "\n") != 1 {
				t.Fatalf("fact spans lines: %q", ch.Data)
			}
		}
	})
}

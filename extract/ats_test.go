package extract

import (
	"strings"
	"testing"
)

// infoPlist wraps ATS (and other top-level) XML in an Info.plist.
func infoPlist(t *testing.T, body string) *plistNode {
	t.Helper()
	root, err := parseXMLPlist([]byte("<plist version=\"1.0\"><dict>" + body + "</dict></plist>"))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestATSFacts(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"arbitrary loads", `<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict>`,
			[]string{"ats arbitrary-loads=true effective=true severity=high"}},
		{"arbitrary loads false", `<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><false/></dict>`, nil},
		{"no ATS", `<key>CFBundleName</key><string>x</string>`, nil},
		{"overridden by web content (its value does not matter, its presence does)",
			`<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/><key>NSAllowsArbitraryLoadsInWebContent</key><false/></dict>`,
			[]string{"ats arbitrary-loads=true effective=false overridden-by=NSAllowsArbitraryLoadsInWebContent"}},
		{"overridden by local networking",
			`<key>NSAppTransportSecurity</key><dict><key>NSAllowsLocalNetworking</key><true/><key>NSAllowsArbitraryLoads</key><true/></dict>`,
			[]string{"ats arbitrary-loads=true effective=false overridden-by=NSAllowsLocalNetworking"}},
		{"override does not apply before iOS 10",
			`<key>MinimumOSVersion</key><string>9.3</string><key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/><key>NSAllowsArbitraryLoadsForMedia</key><true/></dict>`,
			[]string{"ats arbitrary-loads=true effective=true severity=high", "ats arbitrary-loads-for-media=true severity=low"}},
		{"web content", `<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoadsInWebContent</key><true/></dict>`,
			[]string{"ats arbitrary-loads-in-web-content=true severity=low"}},
		{"exception spellings and TLS versions", `<key>NSAppTransportSecurity</key><dict><key>NSExceptionDomains</key><dict>
			<key>A.example.com</key><dict><key>NSTemporaryExceptionAllowsInsecureHTTPLoads</key><true/></dict>
			<key>b.example.com</key><dict><key>NSThirdPartyExceptionMinimumTLSVersion</key><string>TLSv1.1</string><key>NSIncludesSubdomains</key><true/></dict>
			<key>c.example.com</key><dict><key>NSExceptionMinimumTLSVersion</key><string>TLSv1.2</string></dict>
			<key>d.example.com</key><dict><key>NSExceptionMinimumTLSVersion</key><string>TLSv1.3</string><key>NSExceptionAllowsInsecureHTTPLoads</key><false/></dict>
			<key>127.0.0.1</key><dict><key>NSExceptionAllowsInsecureHTTPLoads</key><true/></dict>
			<key>printer.local</key><dict><key>NSExceptionAllowsInsecureHTTPLoads</key><true/></dict>
			<key>localhost.evil.com</key><dict><key>NSExceptionAllowsInsecureHTTPLoads</key><true/></dict>
		</dict></dict>`,
			[]string{
				"ats exception domain=a.example.com insecure-http=true severity=medium",
				"ats exception domain=b.example.com min-tls=TLSv1.1 subdomains=true severity=medium",
				"ats exception domain=127.0.0.1 insecure-http=true severity=low",
				"ats exception domain=printer.local insecure-http=true severity=low",
				"ats exception domain=localhost.evil.com insecure-http=true severity=medium",
			}},
		{"hostile domain cannot forge a fact", `<key>NSAppTransportSecurity</key><dict><key>NSExceptionDomains</key><dict>
			<key>x.com severity=low --&gt;
&lt;!-- keyhole: ats arbitrary-loads=true effective=true</key><dict><key>NSExceptionAllowsInsecureHTTPLoads</key><true/></dict></dict></dict>`,
			[]string{"ats exception domain=x.com?severity?low?--????--?keyhole:?ats?arbitrary-loads?true?effective?true insecure-http=true severity=medium"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range atsFacts(infoPlist(t, tc.body)) {
				got = append(got, f.text)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("facts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

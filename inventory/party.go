package inventory

import (
	"regexp"
	"sort"
	"strings"
)

// multiLabelSuffixes are public suffixes of more than one label that
// registrableDomain must not treat as a domain: country second levels and
// hosting platforms whose tenants are separate owners. A bounded stand-in
// for the Public Suffix List, enough to tell apps' own domains apart.
var multiLabelSuffixes = map[string]bool{
	"co.uk": true, "org.uk": true, "ac.uk": true, "gov.uk": true, "com.au": true, "net.au": true,
	"org.au": true, "co.nz": true, "co.jp": true, "ne.jp": true, "or.jp": true, "co.kr": true,
	"com.br": true, "com.cn": true, "com.hk": true, "com.tw": true, "com.sg": true, "com.my": true,
	"co.in": true, "co.id": true, "co.za": true, "com.mx": true, "com.ar": true, "com.tr": true,
	"co.il": true, "com.ua": true, "com.pl": true, "com.vn": true, "co.th": true, "com.ph": true,
	"amazonaws.com": true, "s3.amazonaws.com": true, "cloudfront.net": true, "herokuapp.com": true,
	"appspot.com": true, "firebaseapp.com": true, "firebaseio.com": true, "web.app": true,
	"github.io": true, "netlify.app": true, "vercel.app": true, "azurewebsites.net": true,
	"blob.core.windows.net": true, "supabase.co": true, "pages.dev": true, "workers.dev": true,
	"run.app": true, "cloudfunctions.net": true, "page.link": true, "app.link": true,
	"firebasedatabase.app": true, "amplifyapp.com": true, "onrender.com": true, "fly.dev": true,
}

// registrableDomain returns the part of host that one owner registers:
// the label before the public suffix and the suffix (api.acme.co.uk ->
// acme.co.uk). IP addresses and single labels have none.
func registrableDomain(host string) string {
	if strings.HasPrefix(host, "[") || !strings.Contains(host, ".") || isIPv4(host) || multiLabelSuffixes[host] {
		return ""
	}
	labels := strings.Split(host, ".")
	n := 2
	for k := len(labels) - 1; k >= 2; k-- { // the longest listed suffix decides
		if multiLabelSuffixes[strings.Join(labels[len(labels)-k:], ".")] {
			n = k + 1
			break
		}
	}
	if n > len(labels) {
		return ""
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

func isIPv4(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}

// appIDPatterns find the app's own identifier: the Android package or
// application id, the iOS bundle id. Each has the id in group 1.
var appIDPatterns = []struct {
	file string // the base name of files it applies to
	re   *regexp.Regexp
}{
	{"AndroidManifest.xml", regexp.MustCompile(`<manifest\b[^>]{0,1000}?\bpackage\s*=\s*"([A-Za-z][\w.]{2,200})"`)},
	{"build.gradle", regexp.MustCompile(`\b(?:applicationId|namespace)\s*=?\s*["']([A-Za-z][\w.]{2,200})["']`)},
	{"build.gradle.kts", regexp.MustCompile(`\b(?:applicationId|namespace)\s*=?\s*["']([A-Za-z][\w.]{2,200})["']`)},
	{"Info.plist", regexp.MustCompile(`<key>CFBundleIdentifier</key>\s*<string>([A-Za-z][\w.-]{2,200})</string>`)},
	{"project.pbxproj", regexp.MustCompile(`PRODUCT_BUNDLE_IDENTIFIER = "?([A-Za-z][\w.-]{2,200})"?;`)},
}

// appIDOf returns the app id declared in a chunk from an app's manifest,
// build file or main Info.plist, or "". path is the chunk's origin path.
// Only the app's own Info.plist counts (Payload/X.app/Info.plist in an
// IPA, not those of embedded frameworks).
func appIDOf(path string, data []byte) string {
	base := path
	if i := strings.LastIndexAny(path, "/!"); i >= 0 {
		base = path[i+1:]
	}
	for _, p := range appIDPatterns {
		if base != p.file {
			continue
		}
		if p.file == "Info.plist" && !isMainBundle(path) {
			return ""
		}
		if m := p.re.FindSubmatch(data); m != nil && !strings.Contains(string(m[1]), "$") {
			return string(m[1])
		}
	}
	return ""
}

// isMainBundle says an Info.plist is not that of a framework, extension,
// resource bundle or dependency.
func isMainBundle(path string) bool {
	for _, s := range []string{".framework/", ".appex/", ".bundle/", "Pods/", "Carthage/", "node_modules/"} {
		if strings.Contains(path, s) {
			return false
		}
	}
	return true
}

// appDomain turns an app id into the domain it is reversed from:
// com.acme.shop -> acme.com, uk.co.acme.app -> acme.co.uk.
func appDomain(id string) string {
	labels := strings.Split(strings.ToLower(id), ".")
	if len(labels) < 2 {
		return ""
	}
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	d := registrableDomain(strings.Join(labels, "."))
	if d == "" || !isPlausibleHost(d, true, false) {
		return ""
	}
	return d
}

// inferFirstParty decides which registrable domains are the app's own:
// those its app ids (Android package, iOS bundle id) reverse to, plus the
// given ones; when there are neither, the registrable domain that the
// most endpoints of unnamed public hosts fall under (at least two, ties
// broken by name), since an app talks to its own backend the most.
func inferFirstParty(appIDs, given []string, eps []*Endpoint) []string {
	set := map[string]bool{}
	for _, d := range given {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			set[d] = true
		}
	}
	for _, id := range appIDs {
		if d := appDomain(id); d != "" {
			set[d] = true
		}
	}
	if len(set) == 0 {
		counts := map[string]int{}
		for _, e := range eps {
			if e.Host != "" && e.Service == "" && e.Address == AddrPublic {
				if d := registrableDomain(e.Host); d != "" {
					counts[d]++
				}
			}
		}
		best, n := "", 1
		for d, c := range counts {
			if c > n || c == n && best != "" && d < best {
				best, n = d, c
			}
		}
		if best != "" {
			set[best] = true
		}
	}
	out := make([]string, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// partyOf classifies a host against the first-party domains.
func partyOf(e *Endpoint, firstParty []string) string {
	if e.Host == "" || e.Address != AddrPublic {
		return "unknown"
	}
	for _, d := range firstParty {
		if e.Host == d || strings.HasSuffix(e.Host, "."+d) {
			return "first"
		}
	}
	return "third"
}

package extract

import (
	"net/netip"
	"strconv"
	"strings"
)

// App Transport Security facts, evaluated from an Info.plist's
// NSAppTransportSecurity dictionary as iOS applies it rather than by
// spotting keys:
//
//	ats arbitrary-loads=true effective=true severity=high
//	ats arbitrary-loads=true effective=false overridden-by=NSAllowsArbitraryLoadsInWebContent
//	ats arbitrary-loads-in-web-content=true severity=low
//	ats arbitrary-loads-for-media=true severity=low
//	ats exception domain=api.foo.com insecure-http=true min-tls=TLSv1.0 subdomains=true severity=medium
//
// On iOS 10 and later NSAllowsArbitraryLoads is ignored when
// NSAllowsArbitraryLoadsInWebContent, NSAllowsArbitraryLoadsForMedia or
// NSAllowsLocalNetworking is present; an app whose MinimumOSVersion is
// below 10 still runs with it on older systems, so it stays effective
// there. An exception domain gets a fact only when it weakens transport
// security: insecure HTTP allowed (the Exception, TemporaryException and
// ThirdPartyException spellings alike) or a minimum TLS version below 1.2;
// parts that do not apply are left out. Loopback and .local domains are
// severity=low. Domains are reduced to host characters so that a hostile
// key cannot forge a fact.
func atsFacts(info *plistNode) []fact {
	ats := info.get("NSAppTransportSecurity")
	if ats == nil || ats.kind != plistDict {
		return nil
	}
	var facts []fact
	add := func(key, text string) {
		facts = append(facts, fact{line: ats.keyLine(key), text: "ats " + text})
	}
	if ats.get("NSAllowsArbitraryLoads").isTrue() {
		overrider := ""
		for _, k := range []string{"NSAllowsArbitraryLoadsInWebContent", "NSAllowsArbitraryLoadsForMedia", "NSAllowsLocalNetworking"} {
			if ats.get(k) != nil {
				overrider = k
				break
			}
		}
		if overrider == "" || minimumOSBelow(info, 10) {
			add("NSAllowsArbitraryLoads", "arbitrary-loads=true effective=true severity=high")
		} else {
			add("NSAllowsArbitraryLoads", "arbitrary-loads=true effective=false overridden-by="+overrider)
		}
	}
	if ats.get("NSAllowsArbitraryLoadsInWebContent").isTrue() {
		add("NSAllowsArbitraryLoadsInWebContent", "arbitrary-loads-in-web-content=true severity=low")
	}
	if ats.get("NSAllowsArbitraryLoadsForMedia").isTrue() {
		add("NSAllowsArbitraryLoadsForMedia", "arbitrary-loads-for-media=true severity=low")
	}
	domains := ats.get("NSExceptionDomains")
	if domains == nil || domains.kind != plistDict {
		return facts
	}
	for i, domain := range domains.keys {
		if text := atsException(domain, domains.items[i]); text != "" {
			facts = append(facts, fact{line: domains.keyLine(domain), text: "ats " + text})
		}
	}
	return facts
}

// atsException describes one exception domain that weakens ATS, or
// returns "" when it does not.
func atsException(domain string, ex *plistNode) string {
	insecure, minTLS := false, ""
	for _, prefix := range []string{"NSException", "NSTemporaryException", "NSThirdPartyException"} {
		insecure = insecure || ex.get(prefix+"AllowsInsecureHTTPLoads").isTrue()
		if v := ex.get(prefix + "MinimumTLSVersion"); v != nil && minTLS == "" {
			minTLS = strings.TrimSpace(v.text)
		}
	}
	weakTLS := minTLS != "" && tlsBelow12(minTLS)
	if !insecure && !weakTLS {
		return ""
	}
	host := factWord(strings.ToLower(strings.TrimSpace(domain)))
	var b strings.Builder
	b.WriteString("exception domain=" + host)
	if insecure {
		b.WriteString(" insecure-http=true")
	}
	if weakTLS {
		b.WriteString(" min-tls=" + factWord(minTLS))
	}
	if ex.get("NSIncludesSubdomains").isTrue() {
		b.WriteString(" subdomains=true")
	}
	severity := "medium"
	if isLocalHost(host) {
		severity = "low"
	}
	b.WriteString(" severity=" + severity)
	return b.String()
}

// tlsBelow12 says whether an ATS TLS version name ("TLSv1.0", "TLSv1.1",
// "TLSv1.2", "TLSv1.3") is below 1.2. Unknown names count as weak only
// when they name SSL.
func tlsBelow12(v string) bool {
	l := strings.ToLower(v)
	if strings.HasPrefix(l, "ssl") {
		return true
	}
	l = strings.TrimPrefix(l, "tlsv")
	major, minor, _ := strings.Cut(l, ".")
	if major != "1" {
		return false
	}
	n, err := strconv.Atoi(minor)
	return minor == "" || err == nil && n < 2
}

// minimumOSBelow says whether the Info.plist's MinimumOSVersion is below
// major (absent means no: Xcode always writes it).
func minimumOSBelow(info *plistNode, major int) bool {
	v := info.get("MinimumOSVersion")
	if v == nil {
		return false
	}
	first, _, _ := strings.Cut(strings.TrimSpace(v.text), ".")
	n, err := strconv.Atoi(first)
	return err == nil && n < major
}

// isLocalHost says whether an ATS domain names this device or the local
// network: localhost, a loopback address or an mDNS .local name.
func isLocalHost(host string) bool {
	h := strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") || h == "local" || strings.HasSuffix(h, ".local") {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.IsLoopback()
}

// factWord keeps the characters of a host name or version, so that a value
// from a hostile file cannot end a fact or add words to it.
func factWord(s string) string {
	if len(s) > 253 {
		s = s[:253]
	}
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-_*:[]", c) >= 0) {
			b[i] = '?'
		}
	}
	if len(b) == 0 {
		return "?"
	}
	return string(b)
}

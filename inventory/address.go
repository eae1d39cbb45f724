package inventory

import (
	"net/netip"
	"strings"
	"sync"

	"github.com/keyholesec/keyhole/rules"
)

// AddressJudge says what kind of address a host is: one of the Addr*
// classes, or addrReference for a URL that is an identifier (an XML
// namespace, a DTD) rather than an endpoint. match is the URL with any
// context that precedes it on the line (xmlns:a="…), line the whole line,
// path the file's path as rules see it.
type AddressJudge interface {
	Address(host string, match, line []byte, path string) string
}

// TableJudge classifies by keyhole's own table of reserved names and
// address ranges.
type TableJudge struct{}

// Address implements AddressJudge.
func (TableJudge) Address(host string, match, _ []byte, _ string) string {
	if isReferenceMatch(match) {
		return addrReference
	}
	return tableAddress(host)
}

// tableAddress classifies a host by name or address range alone.
func tableAddress(host string) string {
	if addr, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return ipAddress(addr.Unmap())
	}
	switch {
	case host == "localhost" || strings.HasSuffix(host, ".localhost") || host == "localhost.localdomain",
		host == "host.docker.internal" || host == "gateway.docker.internal" || host == "kubernetes.docker.internal":
		return AddrLoopback
	case host == "metadata" || host == "metadata.google.internal" || host == "instance-data" || host == "instance-data.ec2.internal":
		return AddrMetadata
	case referenceHosts[host]:
		return addrReference
	case host == "example" || hasAnySuffix(host, ".example", ".test", ".invalid") ||
		registrableDomain(host) == "example.com" || registrableDomain(host) == "example.org" || registrableDomain(host) == "example.net":
		return AddrDocumentation
	case !strings.Contains(host, ".") || hasAnySuffix(host, ".local", ".internal", ".lan", ".corp", ".intranet",
		".localdomain", ".home.arpa", ".svc", ".cluster.local"):
		return AddrPrivate
	}
	return AddrPublic
}

var (
	metadataV4 = netip.MustParseAddr("169.254.169.254")
	alibabaV4  = netip.MustParseAddr("100.100.100.200")
	emulatorV4 = netip.MustParseAddr("10.0.2.2") // the Android emulator's host machine
	genymotion = netip.MustParseAddr("10.0.3.2")
	metadataV6 = netip.MustParseAddr("fd00:ec2::254")
	cgnat      = netip.MustParsePrefix("100.64.0.0/10")
	docRanges  = []netip.Prefix{
		netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("2001:db8::/32"),
	}
)

func ipAddress(a netip.Addr) string {
	for _, p := range docRanges {
		if p.Contains(a) {
			return AddrDocumentation
		}
	}
	switch {
	case a == metadataV4 || a == alibabaV4 || a == metadataV6:
		return AddrMetadata
	case a.IsLoopback() || a.IsUnspecified() || a == emulatorV4 || a == genymotion:
		return AddrLoopback
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast():
		return AddrLinkLocal
	case a.IsPrivate() || cgnat.Contains(a) || a.IsMulticast():
		return AddrPrivate
	}
	return AddrPublic
}

// referenceHosts serve XML namespaces and schema identifiers.
var referenceHosts = map[string]bool{
	"schemas.android.com": true, "www.w3.org": true, "w3.org": true, "schemas.xmlsoap.org": true,
	"schemas.microsoft.com": true, "schemas.openxmlformats.org": true, "xmlpull.org": true,
	"ns.adobe.com": true, "purl.org": true, "json-schema.org": true, "xmlns.com": true,
	"xml.apache.org": true, "xmlns.jcp.org": true, "java.sun.com": true, "tempuri.org": true,
}

// isReferenceMatch says the URL is an identifier by the way it is written:
// a namespace declaration, a DTD or schema file, Apple's DTDs.
func isReferenceMatch(match []byte) bool {
	m := strings.ToLower(string(match))
	if strings.HasPrefix(m, "xmlns") || strings.HasPrefix(m, "targetnamespace") || strings.HasPrefix(m, "namespace") {
		return true
	}
	u := strings.TrimRight(m, `"'<>) `)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return strings.HasSuffix(u, ".dtd") || strings.HasSuffix(u, ".xsd") || strings.Contains(u, "://www.apple.com/dtds/")
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// RuleJudge asks the allowlists of the cleartext-endpoint rule, so that
// the inventory and the rule agree on what is not a remote endpoint; the
// table refines its answers (the rule lumps loopback, link-local and
// metadata together) and decides where the rule has no opinion.
type RuleJudge struct {
	rs      *rules.Ruleset
	rule    *rules.Rule
	classes []string // per rule allowlist: the class it stands for, "" to skip
	hosts   sync.Map // host -> class, for the host-only allowlists
}

// NewJudge returns a RuleJudge on rs's cleartext-endpoint rule, or the
// table alone when rs has no such rule.
func NewJudge(rs *rules.Ruleset) AddressJudge {
	r := rs.Rule("cleartext-endpoint")
	if r == nil {
		return TableJudge{}
	}
	j := &RuleJudge{rs: rs, rule: r}
	for _, a := range r.Allowlists {
		j.classes = append(j.classes, allowlistClass(a))
	}
	return j
}

// allowlistClass reads what an allowlist of the rule stands for from its
// description. Allowlists about context (comment lines, documentation
// files) say nothing about the address and are skipped.
func allowlistClass(a *rules.Allowlist) string {
	d := strings.ToLower(a.Description)
	switch {
	case len(a.Paths) > 0 || a.RegexTarget == "line":
		return ""
	case strings.Contains(d, "namespace") || strings.Contains(d, "schema") || strings.Contains(d, "dtd"):
		return addrReference
	case strings.Contains(d, "loopback"):
		return AddrLoopback
	case strings.Contains(d, "documentation"):
		return AddrDocumentation
	case strings.Contains(d, "private"):
		return AddrPrivate
	}
	return ""
}

// Address implements AddressJudge.
func (j *RuleJudge) Address(host string, match, line []byte, path string) string {
	c := rules.Candidate{Path: path, Secret: []byte(host), Match: match, Line: line}
	for i, a := range j.rule.Allowlists {
		if j.classes[i] == addrReference && a.RegexTarget == "match" && a.Allows(&c) {
			return addrReference
		}
	}
	if isReferenceMatch(match) {
		return addrReference
	}
	if v, ok := j.hosts.Load(host); ok {
		return v.(string)
	}
	class := j.hostClass(&c)
	j.hosts.Store(host, class)
	return class
}

func (j *RuleJudge) hostClass(c *rules.Candidate) string {
	table := tableAddress(string(c.Secret))
	for i, a := range j.rule.Allowlists {
		class := j.classes[i]
		if class == "" || a.RegexTarget == "match" || !a.Allows(c) {
			continue
		}
		if class == AddrLoopback && (table == AddrLinkLocal || table == AddrMetadata) {
			return table
		}
		return class
	}
	return table
}

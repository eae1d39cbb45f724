package inventory

import (
	"net/netip"
	"strconv"
	"strings"
)

// parsed is an endpoint normalised from one raw sighting.
type parsed struct {
	scheme      string // lower-case; empty for bare hosts, paths and scheme-less cloud URLs
	host        string // lower-case, no trailing dot; IPv6 in brackets
	port        int    // 0 when absent or the scheme's default
	path        string // templated (see templatePath); "/" for a URL's root
	query       []string
	credentials bool // user info in the URL
	resource    *Resource
}

// key identifies the endpoint: scheme://host:port/path, host:port, or /path.
func (p *parsed) key() string {
	var b strings.Builder
	if p.scheme != "" {
		b.WriteString(p.scheme)
		b.WriteString("://")
	}
	b.WriteString(p.host)
	if p.port != 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(p.port))
	}
	b.WriteString(p.path)
	return b.String()
}

// webSchemes carry DNS hosts, so their hosts are held to DNS syntax.
var webSchemes = map[string]bool{"http": true, "https": true, "ws": true, "wss": true, "ftp": true, "ftps": true}

// defaultPorts are left out of normalised endpoints.
var defaultPorts = map[string]int{
	"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21, "ftps": 990, "sftp": 22, "ssh": 22,
	"telnet": 23, "ldap": 389, "ldaps": 636, "mqtt": 1883, "mqtts": 8883, "redis": 6379, "rediss": 6379,
	"amqp": 5672, "amqps": 5671, "mongodb": 27017, "postgres": 5432, "postgresql": 5432, "mysql": 3306,
}

// localSchemes name files, app resources, in-process content or other
// apps' entry points rather than a place on the network, though they are
// written scheme://something.
var localSchemes = map[string]bool{
	"file": true, "content": true, "android.resource": true, "android-app": true, "res": true,
	"asset": true, "assets": true, "jar": true, "zip": true, "blob": true, "data": true, "about": true,
	"javascript": true, "chrome": true, "chrome-extension": true, "moz-extension": true,
	"safari-extension": true, "resource": true, "ms-appx": true, "ms-appx-web": true, "ms-appdata": true,
	"app": true, "bundle": true, "classpath": true, "vfs": true, "jrt": true, "node": true,
	"webpack": true, "webpack-internal": true, "x-apple-data-detectors": true, "intent": true,
	"package": true, "urn": true, "sqlite": true, "realm": true, "memory": true, "mem": true,
	"inmemory": true, "fd": true, "pipe": true, "unix": true, "npipe": true, "mock": true,
	"test": true, "example": true, "ipfs": true, "ipns": true, "local": true, "localhost": true,
	"capacitor": true, "ionic": true, "cdvfile": true, "tauri": true, "electron": true, "xmlns": true,
	"urn-x": true, "assets-library": true, "ph": true, "photos": true, "music": true, "itms-services": true,
	"prefs": true, "app-settings": true, "settings": true, "tel": true, "sms": true, "mailto": true,
	"geo": true, "maps": true, "market": true,
}

// parseRaw normalises r; ok is false when r is no network endpoint.
func parseRaw(r raw) (parsed, bool) {
	switch r.kind {
	case rawPath:
		path, query := splitPathQuery(r.text)
		return parsed{path: templatePath(path), query: queryNames(query)}, true
	case rawHost:
		host, port, ok := parseHostPort(r.text, "")
		if !ok || !isPlausibleHost(host, true, true) {
			return parsed{}, false
		}
		p := parsed{host: host, port: port}
		p.resource = resourceOf(&p, "")
		return p, true
	}
	scheme := ""
	rest := r.text
	if i := strings.Index(rest, "://"); i >= 0 {
		scheme, rest = strings.ToLower(rest[:i]), rest[i+3:]
		if localSchemes[scheme] {
			return parsed{}, false
		}
	}
	authority := rest
	tail := ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	var p parsed
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		p.credentials = i > 0
		authority = authority[i+1:]
	}
	host, port, ok := parseHostPort(authority, scheme)
	path, query := splitPathQuery(tail)
	if !ok || !isPlausibleHost(host, webSchemes[scheme] || scheme == "", scheme == "") {
		if isTemplated(authority) && strings.Count(path, "/") > 1 {
			// https://${HOST}/api/v1/users: the host is filled in at run
			// time, the path is still the API's.
			return parsed{path: templatePath(path), query: queryNames(query)}, true
		}
		return parsed{}, false
	}
	p.scheme, p.host, p.port = scheme, host, port
	p.path = templatePath(path)
	if p.path == "" && scheme != "" {
		p.path = "/"
	}
	p.query = queryNames(query)
	p.resource = resourceOf(&p, path)
	return p, true
}

// parseHostPort splits and checks host[:port]; the port is dropped when it
// is the scheme's default.
func parseHostPort(s, scheme string) (string, int, bool) {
	host, portText := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", 0, false
		}
		addr, err := netip.ParseAddr(s[1:end])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return "", 0, false
		}
		host, portText = "["+addr.String()+"]", s[end+1:]
		if portText != "" && portText[0] != ':' {
			return "", 0, false
		}
		portText = strings.TrimPrefix(portText, ":")
	} else if i := strings.LastIndexByte(s, ':'); i >= 0 {
		host, portText = s[:i], s[i+1:]
	}
	port := 0
	if portText != "" {
		n, err := strconv.Atoi(portText)
		if err != nil || n < 1 || n > 65535 || portText[0] == '+' || portText[0] == '-' {
			return "", 0, false
		}
		port = n
	}
	if defaultPorts[scheme] == port {
		port = 0
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return host, port, host != ""
}

// isPlausibleHost checks DNS syntax (letters, digits, hyphens, underscores
// in labels of at most 63 bytes) and, for DNS schemes, that the name is an
// IP address, a single label (an intranet name) or ends in an alphabetic
// top-level label. A bare name (no scheme says it is a host) must also
// have a dot, not end like a file (config.json) and not read like a
// package (com.acme.app).
func isPlausibleHost(host string, dns, bare bool) bool {
	if strings.HasPrefix(host, "[") {
		return true // checked by parseHostPort
	}
	if len(host) > maxHostLen {
		return false
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isLower(l[i]) && !isDigit(l[i]) && l[i] != '-' && l[i] != '_' {
				return false
			}
		}
	}
	if !dns {
		return true
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		return addr.Is4()
	}
	tld := labels[len(labels)-1]
	if len(labels) == 1 {
		return !bare && hasLetter(tld) && !strings.Contains(tld, "_")
	}
	if len(tld) < 2 || len(tld) > 24 || !isAlpha(tld) {
		return false
	}
	return !bare || !fileExtensions[tld] && !reverseDNSRoots[labels[0]]
}

// fileExtensions end names that look like hosts but are files or code.
var fileExtensions = map[string]bool{
	"json": true, "xml": true, "html": true, "htm": true, "js": true, "mjs": true, "ts": true, "tsx": true,
	"jsx": true, "css": true, "png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true, "webp": true,
	"java": true, "kt": true, "kts": true, "swift": true, "py": true, "rb": true, "go": true, "php": true,
	"txt": true, "md": true, "yml": true, "yaml": true, "toml": true, "ini": true, "cfg": true, "conf": true,
	"properties": true, "gradle": true, "plist": true, "strings": true, "so": true, "dex": true, "apk": true,
	"ipa": true, "jar": true, "zip": true, "gz": true, "pdf": true, "mp3": true, "mp4": true, "wav": true,
	"ttf": true, "otf": true, "woff": true, "db": true, "sqlite": true, "lock": true, "log": true,
	"class": true, "dart": true, "vue": true, "scss": true, "map": true, "bin": true, "dat": true,
	"pem": true, "crt": true, "cer": true, "key": true, "env": true, "sh": true, "bat": true, "exe": true,
	"dll": true, "dylib": true, "framework": true, "nib": true, "storyboard": true, "xib": true,
	"xcconfig": true, "pbxproj": true, "h": true, "m": true, "c": true, "cc": true, "cpp": true,
	"length": true, "get": true, "set": true, "put": true, "post": true, "value": true, "name": true,
	"string": true, "size": true, "id": true, "type": true, "prototype": true, "call": true, "apply": true,
}

// reverseDNSRoots start Java packages and bundle ids, not host names:
// com.acme.app is a package.
var reverseDNSRoots = map[string]bool{
	"com": true, "org": true, "net": true, "io": true, "android": true, "androidx": true, "java": true,
	"javax": true, "kotlin": true, "kotlinx": true, "dalvik": true, "sun": true, "edu": true, "gov": true,
}

func isTemplated(s string) bool { return strings.ContainsAny(s, "{}$%<>") }

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) {
			return true
		}
	}
	return false
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return true
}

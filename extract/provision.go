package extract

import (
	"bytes"
	"errors"
	"strings"
	"time"
)

// provision renders a provisioning profile (embedded.mobileprovision): an
// XML plist signed into a CMS (PKCS#7 SignedData) envelope. The plist is
// the envelope's content, stored whole, so it is found by its delimiters
// rather than by decoding the DER. It is scanned as text, followed by one
// fact (placed at the get-task-allow key, or the plist's first line):
//
//	provision get-task-allow=true team=ABCDE12345 name="App Dev" expires=2027-01-01
//
// get-task-allow true marks a development build: a debugger may attach.
// team is the first TeamIdentifier, name the profile's Name (quotes, '=',
// angle brackets and line breaks dropped, so a name cannot forge a fact),
// expires the ExpirationDate's day ("unknown" when absent). The
// certificates and signature around the plist are not scanned.
func (x *job) provision(sc scope, data []byte) {
	content, err := provisionPlist(data)
	if err != nil {
		x.malformed(sc, "provisioning profile", err, data)
		return
	}
	x.emitRendered(sc, "provision", content)
	root, err := parseXMLPlist(content)
	if err != nil {
		x.warn(Warning{Origin: sc.origin, Err: errors.New("provisioning profile's plist does not parse; scanned as text only")})
		return
	}
	x.emitFacts(sc, []fact{provisionFact(root)})
}

// provisionPlist returns the XML plist inside a signed profile (or the
// profile itself when it is an unsigned plist).
func provisionPlist(data []byte) ([]byte, error) {
	start := bytes.Index(data, []byte("<?xml"))
	if start < 0 {
		start = bytes.Index(data, []byte("<plist"))
	}
	if start < 0 {
		return nil, errors.New("no plist inside")
	}
	end := bytes.Index(data[start:], []byte("</plist>"))
	if end < 0 {
		return nil, errors.New("plist inside is cut short")
	}
	return data[start : start+end+len("</plist>")], nil
}

func provisionFact(root *plistNode) fact {
	ent := root.get("Entitlements")
	allow := ent.get("get-task-allow")
	line := root.line
	if allow != nil {
		line = ent.keyLine("get-task-allow")
	}
	team := "unknown"
	if ids := root.get("TeamIdentifier"); ids != nil && ids.kind == plistArray && len(ids.items) > 0 {
		team = factWord(ids.items[0].text)
	} else if id := ent.get("com.apple.developer.team-identifier"); id != nil {
		team = factWord(id.text)
	}
	name := ""
	if n := root.get("Name"); n != nil {
		name = strings.Map(func(r rune) rune {
			if r == '"' || r < 0x20 || r == '>' || r == '<' || r == '=' {
				return -1
			}
			return r
		}, n.text)
		name = strings.ReplaceAll(name, "--", "-")
		if len(name) > 120 {
			name = strings.ToValidUTF8(name[:120], "")
		}
	}
	expires := "unknown"
	if d := root.get("ExpirationDate"); d != nil {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(d.text)); err == nil {
			expires = t.UTC().Format("2006-01-02")
		}
	}
	text := "provision get-task-allow=" + boolWord(allow.isTrue()) + " team=" + team +
		` name="` + name + `" expires=` + expires
	return fact{line: line, text: text}
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

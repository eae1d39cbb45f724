package extract

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// plist renders a property list (Info.plist, GoogleService-Info.plist,
// settings bundles, binary .strings …). A binary plist becomes XML plist
// text; XML source is scanned as it is, so that findings keep its lines.
// Either way, what only the parsed tree tells (how ATS applies, see
// ats.go) follows as fact chunks placed at the line of the key they are
// about.
func (x *job) plist(sc scope, data []byte) {
	if bytes.HasPrefix(data, []byte("bplist")) {
		root, err := readBinaryPlist(data)
		if err != nil {
			x.malformed(sc, "binary plist", err, data)
			return
		}
		text, complete := renderPlist(root, plistRenderBudget(len(data)))
		if !complete {
			x.warn(Warning{Origin: sc.origin, Limit: "plist-size",
				Err: errors.New("binary plist expands past its rendering budget (shared objects referenced many times?); the rest was not rendered")})
		}
		x.emitRendered(sc, "plist", text)
		x.emitFacts(sc, plistFacts(root))
		return
	}
	x.emitText(sc, data)
	root, err := parseXMLPlist(data)
	if err != nil {
		// Source that merely mentions <plist (a test, a doc) is no plist:
		// only a document that starts as one is worth a warning.
		if isPlistDocument(data) {
			x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("XML plist does not parse (%v); scanned as text only", err)})
		}
		return
	}
	x.emitFacts(sc, plistFacts(root))
}

func isPlistDocument(data []byte) bool {
	head := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	return bytes.HasPrefix(head, []byte("<?xml")) || bytes.HasPrefix(head, []byte("<!DOCTYPE plist")) || bytes.HasPrefix(head, []byte("<plist"))
}

// fact is a line that states what a parsed file means, for rules to match
// (see ats.go and provision.go for the formats), and the line of the text
// it is about.
type fact struct {
	line int
	text string
}

// emitFacts emits each fact as its own chunk so that its finding points
// at the line the fact is about.
func (x *job) emitFacts(sc scope, facts []fact) {
	for _, f := range facts {
		x.emit(sc, Chunk{Data: []byte("<!-- keyhole: " + f.text + " -->\n"), Rendered: true,
			Format: "facts", LineOffset: max(f.line-1, 0)})
	}
}

// plistFacts are the facts of a property list that is an app's Info.plist.
func plistFacts(root *plistNode) []fact {
	if root == nil || root.kind != plistDict {
		return nil
	}
	return atsFacts(root)
}

type plistKind uint8

const (
	plistString plistKind = iota
	plistInteger
	plistReal
	plistBool
	plistDate
	plistData // text holds base64
	plistUID
	plistArray
	plistDict
)

var plistTags = [...]string{"string", "integer", "real", "", "date", "data", "uid", "array", "dict"}

// plistNode is one value of a property list. A binary plist may share a
// node among several parents (the reader refuses cycles). line is where
// the node starts in the text that was scanned (source or rendered).
type plistNode struct {
	kind     plistKind
	text     string       // scalars; "true"/"false" for booleans
	keys     []string     // dict keys, parallel to items
	items    []*plistNode // dict values or array elements
	line     int
	keyLines []int // dict: line of each key
}

// get returns a dict's value for key, nil when absent.
func (n *plistNode) get(key string) *plistNode {
	if n == nil || n.kind != plistDict {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.items[i]
		}
	}
	return nil
}

// keyLine returns the line of key in a dict, or the dict's own line.
func (n *plistNode) keyLine(key string) int {
	for i, k := range n.keys {
		if k == key && i < len(n.keyLines) {
			return n.keyLines[i]
		}
	}
	return n.line
}

// isTrue says whether a value is a true boolean (or, as CFBundle tolerates,
// the string "YES"/"true").
func (n *plistNode) isTrue() bool {
	if n == nil {
		return false
	}
	switch n.kind {
	case plistBool:
		return n.text == "true"
	case plistString:
		return strings.EqualFold(n.text, "yes") || strings.EqualFold(n.text, "true")
	case plistInteger:
		return n.text != "0"
	}
	return false
}

// maxPlistDepth bounds nesting; real plists nest a dozen levels.
const maxPlistDepth = 256

// parseXMLPlist reads an XML plist into a tree, recording the line of each
// value and dict key. The XML decoder is iterative and the tree is built
// with an explicit stack, so nesting is bounded without recursion.
func parseXMLPlist(data []byte) (*plistNode, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var (
		stack   []*plistNode
		root    *plistNode
		pending []string // key text waiting for its value, per open dict
		text    strings.Builder
		inKey   bool
		keyLine int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := d.InputPos()
		switch t := tok.(type) {
		case xml.StartElement:
			text.Reset()
			name := t.Name.Local
			if name == "plist" {
				continue
			}
			if name == "key" {
				inKey, keyLine = true, line
				continue
			}
			if len(stack) >= maxPlistDepth {
				return nil, fmt.Errorf("nested deeper than %d levels", maxPlistDepth)
			}
			n := &plistNode{line: line}
			switch name {
			case "dict":
				n.kind = plistDict
			case "array":
				n.kind = plistArray
			case "true", "false":
				n.kind, n.text = plistBool, name
			case "integer":
				n.kind = plistInteger
			case "real":
				n.kind = plistReal
			case "date":
				n.kind = plistDate
			case "data":
				n.kind = plistData
			default:
				n.kind = plistString
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one top-level value")
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				if parent.kind == plistDict {
					parent.keys = append(parent.keys, pending[len(pending)-1])
					parent.keyLines = append(parent.keyLines, keyLine)
					if keyLine == 0 {
						parent.keyLines[len(parent.keyLines)-1] = line
					}
					keyLine = 0
				}
				parent.items = append(parent.items, n)
			}
			stack = append(stack, n)
			pending = append(pending, "")
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			name := t.Name.Local
			switch {
			case name == "plist":
			case name == "key":
				if len(pending) > 0 {
					pending[len(pending)-1] = strings.TrimSpace(text.String())
				}
				inKey = false
			case len(stack) > 0:
				n := stack[len(stack)-1]
				if n.kind != plistDict && n.kind != plistArray && n.kind != plistBool {
					n.text = text.String()
					if n.kind != plistString {
						n.text = strings.TrimSpace(n.text)
					}
				}
				stack, pending = stack[:len(stack)-1], pending[:len(pending)-1]
			}
			text.Reset()
		}
	}
	if inKey || len(stack) > 0 {
		return nil, errors.New("unterminated element")
	}
	if root == nil {
		return nil, errors.New("no value")
	}
	return root, nil
}

// utf16 extracts text that starts with a UTF-16 byte-order mark, as
// Localizable.strings and InfoPlist.strings often are in iOS sources: it
// is decoded to UTF-8 (bounded by the input) and extracted as that text
// would be, so an XML plist still becomes plist facts. detect.go's text
// check rejects UTF-16 (its ASCII has NUL bytes), so this must be reached
// by the BOM before that check.
func (x *job) utf16(sc scope, data []byte) {
	var order binary.ByteOrder = binary.LittleEndian
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		order = binary.BigEndian
	}
	text := []byte(utf16Text(data[2:], order))
	kind := detect(text[:min(len(text), sniffLen)], sc.name)
	if kind != formatText && kind != formatPlistXML {
		kind = formatText
	}
	x.render(sc, kind, text)
}

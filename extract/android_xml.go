package extract

import (
	"bytes"
	"strings"
)

// xmlNode is an element (or, with an empty name, a text node) of Android
// XML decoded from binary XML or an AAB's protobuf XML. Both decoders
// build this tree so that one renderer and one set of manifest facts
// serve APKs and bundles alike.
type xmlNode struct {
	name     string    // qualified: "activity", "android:name" style prefixes included
	nsDecls  []xmlAttr // xmlns:prefix="uri" declared on this element
	attrs    []xmlAttr
	children []*xmlNode
	text     string
}

type xmlAttr struct {
	name  string // qualified, e.g. "android:exported"
	value string
}

// Limits of one decoded XML tree: Android's own files are far smaller.
const (
	maxXMLNodes   = 1 << 20
	maxXMLDepth   = 256
	maxRenderSize = 64 << 20
)

const androidNS = "http://schemas.android.com/apk/res/android"

// attr returns the value of the attribute named name and whether it is set.
func (n *xmlNode) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

// elements returns the element children named name.
func (n *xmlNode) elements(name string) []*xmlNode {
	var out []*xmlNode
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// treeBuilder assembles a tree from start/end events within the limits.
type treeBuilder struct {
	root    *xmlNode
	stack   []*xmlNode
	nodes   int
	pending []xmlAttr // namespace declarations for the next element
}

func (b *treeBuilder) start(n *xmlNode) bool {
	if b.nodes >= maxXMLNodes || len(b.stack) >= maxXMLDepth {
		return false
	}
	b.nodes++
	n.nsDecls, b.pending = b.pending, nil
	switch {
	case len(b.stack) > 0:
		top := b.stack[len(b.stack)-1]
		top.children = append(top.children, n)
	case b.root == nil:
		b.root = n
	default: // a second root: keep it under the first so nothing is lost
		b.root.children = append(b.root.children, n)
	}
	b.stack = append(b.stack, n)
	return true
}

func (b *treeBuilder) end() {
	if len(b.stack) > 0 {
		b.stack = b.stack[:len(b.stack)-1]
	}
}

func (b *treeBuilder) text(s string) {
	if len(b.stack) == 0 || b.nodes >= maxXMLNodes || strings.TrimSpace(s) == "" {
		return
	}
	b.nodes++
	top := b.stack[len(b.stack)-1]
	top.children = append(top.children, &xmlNode{text: s})
}

// renderXML writes the tree as indented XML text, one element a line with
// its attributes, the way source XML reads, so that the same rules match a
// project's XML and the app's compiled XML. It stops at maxRenderSize and
// says so.
func renderXML(root *xmlNode) (text []byte, complete bool) {
	r := xmlRenderer{}
	r.buf.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
	r.node(root, 0)
	return r.buf.Bytes(), !r.full
}

type xmlRenderer struct {
	buf  bytes.Buffer
	full bool
}

func (r *xmlRenderer) node(n *xmlNode, depth int) {
	if r.full || n == nil {
		return
	}
	if r.buf.Len() > maxRenderSize {
		r.full = true
		return
	}
	indent := strings.Repeat("  ", min(depth, 32))
	if n.name == "" {
		r.buf.WriteString(indent)
		escapeXML(&r.buf, n.text, false)
		r.buf.WriteByte('\n')
		return
	}
	r.buf.WriteString(indent)
	r.buf.WriteByte('<')
	r.buf.WriteString(n.name)
	for _, a := range n.nsDecls {
		r.attr("xmlns:"+a.name, a.value)
	}
	for _, a := range n.attrs {
		r.attr(a.name, a.value)
	}
	switch {
	case len(n.children) == 0:
		r.buf.WriteString(" />\n")
		return
	case len(n.children) == 1 && n.children[0].name == "":
		r.buf.WriteByte('>')
		escapeXML(&r.buf, n.children[0].text, false)
	default:
		r.buf.WriteString(">\n")
		for _, c := range n.children {
			r.node(c, depth+1)
		}
		r.buf.WriteString(indent)
	}
	r.buf.WriteString("</")
	r.buf.WriteString(n.name)
	r.buf.WriteString(">\n")
}

func (r *xmlRenderer) attr(name, value string) {
	r.buf.WriteByte(' ')
	r.buf.WriteString(name)
	r.buf.WriteString(`="`)
	escapeXML(&r.buf, value, true)
	r.buf.WriteByte('"')
}

// escapeXML writes s as XML character data; newlines become character
// references so that an attribute or a text stays on one line.
func escapeXML(buf *bytes.Buffer, s string, attr bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '&':
			buf.WriteString("&amp;")
		case c == '<':
			buf.WriteString("&lt;")
		case c == '"' && attr:
			buf.WriteString("&quot;")
		case c == '\n':
			buf.WriteString("&#10;")
		case c == '\r':
			buf.WriteString("&#13;")
		default:
			buf.WriteByte(c)
		}
	}
}

// qualifiedName prefixes local with the prefix declared for namespace uri
// ("android" for Android's even when undeclared, as stripped files are).
func qualifiedName(prefixes map[string]string, uri, local string) string {
	prefix := prefixes[uri]
	if prefix == "" && uri == androidNS {
		prefix = "android"
	}
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

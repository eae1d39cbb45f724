package extract

import (
	"errors"
	"fmt"
)

// axml renders Android binary XML (AndroidManifest.xml, res/xml/*, any
// file with its magic) as XML text. Attribute names come from their
// resource ids where those are android: attributes, so obfuscated or
// stripped name strings do not hide them; references are resolved through
// the app's resource table when it has been read.
func (x *job) axml(sc scope, data []byte) {
	root, pool, err := decodeAXML(data, sc.app.resources())
	if err != nil && pool.len() > 0 {
		// The pool holds every name and value, UTF-16 more often than
		// not, which printable strings would miss.
		data = poolStrings(pool)
	}
	x.emitAndroidXML(sc, "axml", "Android binary XML", root, err, data)
}

// poolStrings lists a string pool one string a line, within maxRenderSize.
func poolStrings(p *stringPool) []byte {
	var out []byte
	for i := 0; i < p.len() && len(out) <= maxRenderSize; i++ {
		if s := p.get(uint32(i)); s != "" {
			out = append(append(out, s...), '\n')
		}
	}
	return out
}

// emitAndroidXML emits a decoded tree (with facts after a manifest) and
// reports a decoding error with the strings fallback (the printable
// strings of fallback), so a damaged file still shows what was decoded and
// everything else legible in it.
func (x *job) emitAndroidXML(sc scope, format, what string, root *xmlNode, err error, fallback []byte) {
	if root != nil {
		text, complete := renderXML(root)
		if root.name == "manifest" {
			text = appendManifestFacts(text, root)
		}
		x.emitRendered(sc, format, text)
		if !complete {
			x.warn(Warning{Origin: sc.origin, Limit: "max-rendered",
				Err: fmt.Errorf("rendering stopped at %d bytes", maxRenderSize)})
		}
	}
	if err != nil {
		x.malformed(sc, what, err, fallback)
	}
}

const noIndex = 0xffffffff

// axmlDecoder holds what the chunks of one file share.
type axmlDecoder struct {
	pool     *stringPool
	resIDs   []byte            // resource id of string i at 4*i
	prefixes map[string]string // namespace uri -> prefix
	table    *resTable
}

// decodeAXML decodes a binary XML file; on error it returns what it had
// decoded and the string pool, if it got that far.
func decodeAXML(data []byte, table *resTable) (*xmlNode, *stringPool, error) {
	file, _, cut := nextChunk(data)
	if file.data == nil {
		return nil, nil, cut
	}
	if file.typ != chunkXML {
		return nil, nil, fmt.Errorf("not binary XML (chunk type 0x%04x)", file.typ)
	}
	d := axmlDecoder{prefixes: map[string]string{}, table: table}
	var b treeBuilder
	for body := file.body(); len(body) > 0; {
		c, rest, err := nextChunk(body)
		if c.data != nil {
			if err := d.chunk(&b, c); err != nil {
				return b.root, d.pool, err
			}
		}
		if err != nil {
			return b.root, d.pool, err
		}
		body = rest
	}
	if b.root == nil && cut == nil {
		cut = errors.New("no elements")
	}
	return b.root, d.pool, cut
}

func (d *axmlDecoder) chunk(b *treeBuilder, c resChunk) error {
	ext := c.body() // XML node chunks: line number and comment in the header, then this
	switch c.typ {
	case chunkStringPool:
		pool, err := parseStringPool(c)
		d.pool = pool
		return err
	case chunkXMLResourceID:
		d.resIDs = ext
	case chunkXMLStartNS:
		prefix, uri := d.pool.get(u32(ext, 0)), d.pool.get(u32(ext, 4))
		d.prefixes[uri] = prefix
		b.pending = append(b.pending, xmlAttr{name: prefix, value: uri})
	case chunkXMLStartElem:
		n, err := d.element(ext)
		if err != nil {
			return err
		}
		if !b.start(n) {
			return fmt.Errorf("more than %d elements or nesting deeper than %d", maxXMLNodes, maxXMLDepth)
		}
	case chunkXMLEndElem:
		b.end()
	case chunkXMLCData:
		b.text(d.pool.get(u32(ext, 0)))
	}
	return nil
}

// element decodes a ResXMLTree_attrExt and its attributes.
func (d *axmlDecoder) element(ext []byte) (*xmlNode, error) {
	if len(ext) < 20 {
		return nil, errTruncated
	}
	n := &xmlNode{name: d.qualify(u32(ext, 0), d.pool.get(u32(ext, 4)))}
	start, size, count := int(u16(ext, 8)), int(u16(ext, 10)), int(u16(ext, 12))
	if count > 0 && size < 20 {
		return nil, fmt.Errorf("attribute size %d is below 20", size)
	}
	for i := range count {
		off := start + i*size
		if off+20 > len(ext) {
			return nil, fmt.Errorf("attribute %d of %d: %w", i, count, errTruncated)
		}
		name := d.attrName(u32(ext, off), u32(ext, off+4))
		raw, val := u32(ext, off+8), parseResValue(ext, off+12)
		value := val.format(d.pool, d.table)
		if val.typ == valNull && raw != noIndex {
			value = d.pool.get(raw)
		}
		n.attrs = append(n.attrs, xmlAttr{name: name, value: value})
	}
	return n, nil
}

// attrName names an attribute, preferring what its resource id says: the
// runtime goes by the id, and obfuscators empty or scramble the string.
func (d *axmlDecoder) attrName(ns, name uint32) string {
	local := d.pool.get(name)
	var id uint32
	if name != noIndex && int64(name)*4+4 <= int64(len(d.resIDs)) {
		id = u32(d.resIDs, int(name)*4)
	}
	switch {
	case id>>16 == 0x0101:
		if known := androidAttrName(id); known != "" {
			local = known
		} else if local == "" {
			local = fmt.Sprintf("attr_0x%08x", id)
		}
		return "android:" + local
	case local == "" && id != 0:
		if e := d.table.entry(id); e != nil {
			local = e.key
		} else {
			local = fmt.Sprintf("attr_0x%08x", id)
		}
	case local == "":
		local = fmt.Sprintf("attr_%d", name)
	}
	return d.qualify(ns, local)
}

func (d *axmlDecoder) qualify(ns uint32, local string) string {
	if ns == noIndex {
		return local
	}
	return qualifiedName(d.prefixes, d.pool.get(ns), local)
}

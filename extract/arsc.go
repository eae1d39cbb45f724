package extract

import (
	"bytes"
	"cmp"
	"fmt"
	"strings"
)

// arsc renders resources.arsc as "name = value" lines, one for every
// string in the table (all packages, types and configurations; values of
// a non-default configuration under a "# values-fr"-style line), and keeps
// the table for the app's binary XML when this is the app's own.
func (x *job) arsc(sc scope, data []byte) {
	t, text, err := parseARSC(data)
	x.emitResources(sc, "arsc", "resources.arsc", t, text, err, data)
}

// emitResources is shared by resources.arsc and an AAB's resources.pb.
func (x *job) emitResources(sc scope, format, what string, t *resTable, text []byte, err error, data []byte) {
	sc.app.adopt(sc.origin, t)
	x.emitRendered(sc, format, text)
	if len(text) > maxRenderSize {
		x.warn(Warning{Origin: sc.origin, Limit: "max-rendered",
			Err: fmt.Errorf("rendering stopped at %d bytes", maxRenderSize)})
	}
	if err != nil {
		x.malformed(sc, what, err, data)
	}
}

// resTable is what references need: every entry by resource id.
type resTable struct {
	entries map[uint32]*resEntry
}

type resEntry struct {
	typ, key string
	value    string // the value, when it is a plain one (string, bool, number …)
	plain    bool
	ref      uint32 // the entry refers to another
	dflt     bool   // value comes from the default configuration
}

func newResTable() *resTable { return &resTable{entries: map[uint32]*resEntry{}} }

func (t *resTable) entry(id uint32) *resEntry {
	if t == nil {
		return nil
	}
	return t.entries[id]
}

// add records an entry, keeping the default configuration's value.
func (t *resTable) add(id uint32, e *resEntry) {
	if old := t.entries[id]; old == nil || e.dflt && !old.dflt {
		t.entries[id] = e
	}
}

// plainTypes hold values worth inlining where they are referenced; the
// values of other types (xml, drawable, style …) are files or structures.
var plainTypes = map[string]bool{"string": true, "bool": true, "integer": true, "color": true, "dimen": true, "fraction": true}

// reference renders a reference: the referenced plain value, else
// @type/name, else the raw id (@android:0x… for the framework's).
func (t *resTable) reference(id uint32, prefix byte) string {
	if id == 0 {
		return "@null"
	}
	first := t.entry(id)
	for e, hops := first, 0; e != nil && prefix == '@' && hops < 8; hops++ {
		if e.plain {
			return e.value
		}
		if e.ref == 0 {
			break
		}
		e = t.entry(e.ref)
	}
	switch {
	case first != nil:
		return string(prefix) + first.typ + "/" + first.key
	case id>>24 == 1:
		return fmt.Sprintf("%candroid:0x%08x", prefix, id)
	default:
		return fmt.Sprintf("%c0x%08x", prefix, id)
	}
}

// lineEscaper keeps a value on its line, as strings.xml would escape it.
var lineEscaper = strings.NewReplacer("\\", `\\`, "\n", `\n`, "\r", `\r`)

// tableWriter renders entries as lines within maxRenderSize.
type tableWriter struct {
	buf     bytes.Buffer
	section string // the configuration whose header was written last
}

func (w *tableWriter) line(section, key, value string) {
	if w.buf.Len() > maxRenderSize {
		return
	}
	if section != w.section {
		w.section = section
		if section != "" {
			fmt.Fprintf(&w.buf, "# values-%s\n", section)
		}
	}
	w.buf.WriteString(key)
	w.buf.WriteString(" = ")
	w.buf.WriteString(lineEscaper.Replace(value))
	w.buf.WriteByte('\n')
}

// parseARSC walks the whole table: the global string pool, then every
// package's type and key pools and type chunks.
func parseARSC(data []byte) (*resTable, []byte, error) {
	top, _, cut := nextChunk(data)
	if top.data == nil {
		return nil, nil, cut
	}
	if top.typ != chunkTable {
		return nil, nil, fmt.Errorf("not a resource table (chunk type 0x%04x)", top.typ)
	}
	t, w := newResTable(), &tableWriter{}
	var values *stringPool
	for body := top.body(); len(body) > 0; {
		c, rest, err := nextChunk(body)
		var bad error
		switch {
		case c.data == nil:
		case c.typ == chunkStringPool:
			values, bad = parseStringPool(c)
		case c.typ == chunkTablePackage:
			bad = parsePackage(c, values, t, w)
		}
		if bad != nil || err != nil {
			return t, w.buf.Bytes(), cmp.Or(bad, err)
		}
		body = rest
	}
	return t, w.buf.Bytes(), cut
}

func parsePackage(c resChunk, values *stringPool, t *resTable, w *tableWriter) error {
	if len(c.header) < 284 {
		return fmt.Errorf("package header of %d bytes: %w", len(c.header), errTruncated)
	}
	pkg := u32(c.header, 8)
	typeIDOffset := u32(c.header, 284) // zero when the header is the older, shorter one
	types, err := poolAt(c.data, int(u32(c.header, 268)))
	if err != nil {
		return fmt.Errorf("type strings: %w", err)
	}
	keys, err := poolAt(c.data, int(u32(c.header, 276)))
	if err != nil {
		return fmt.Errorf("key strings: %w", err)
	}
	for body := c.body(); len(body) > 0; {
		tc, rest, err := nextChunk(body)
		if tc.data != nil && tc.typ == chunkTableType {
			typeID := uint32(tc.header[8])
			typeName := types.get(typeID - 1 - typeIDOffset)
			if bad := parseType(tc, pkg<<24|typeID<<16, typeName, values, keys, t, w); bad != nil {
				return bad
			}
		}
		if err != nil {
			return err
		}
		body = rest
	}
	return nil
}

func poolAt(b []byte, off int) (*stringPool, error) {
	if off <= 0 || off >= len(b) {
		return nil, fmt.Errorf("string pool offset %d is outside the package", off)
	}
	c, _, err := nextChunk(b[off:])
	if err != nil {
		return nil, err
	}
	return parseStringPool(c)
}

// Flags of ResTable_type and ResTable_entry.
const (
	typeSparse   = 0x01
	typeOffset16 = 0x02
	entryComplex = 0x0001
	entryCompact = 0x0008
)

func parseType(c resChunk, idBase uint32, typeName string, values, keys *stringPool, t *resTable, w *tableWriter) error {
	if len(c.header) < 24 {
		return fmt.Errorf("type header of %d bytes: %w", len(c.header), errTruncated)
	}
	flags := c.header[9]
	count := int64(u32(c.header, 12))
	entries := int64(u32(c.header, 16))
	config := c.header[20:]
	dflt, section := configName(config)
	width := int64(4)
	if flags&(typeSparse|typeOffset16) != 0 {
		width = 2
		if flags&typeSparse != 0 {
			width = 4
		}
	}
	offsets := int64(len(c.header))
	if offsets+count*width > int64(len(c.data)) || entries > int64(len(c.data)) {
		return fmt.Errorf("type %q with %d entries: %w", typeName, count, errTruncated)
	}
	for i := range int(count) {
		at := int(offsets) + i*int(width)
		index, off := uint32(i), int64(-1)
		switch {
		case flags&typeSparse != 0:
			index, off = uint32(u16(c.data, at)), int64(u16(c.data, at+2))*4
		case flags&typeOffset16 != 0:
			if o := u16(c.data, at); o != 0xffff {
				off = int64(o) * 4
			}
		default:
			if o := u32(c.data, at); o != noIndex {
				off = int64(o)
			}
		}
		if off < 0 {
			continue
		}
		parseEntry(c.data, entries+off, idBase|index, typeName, dflt, section, values, keys, t, w)
	}
	return nil
}

// parseEntry reads one ResTable_entry (plain, compact or a map) at off.
func parseEntry(b []byte, off int64, id uint32, typeName string, dflt bool, section string, values, keys *stringPool, t *resTable, w *tableWriter) {
	if off < 0 || off+8 > int64(len(b)) {
		return
	}
	at := int(off)
	size, flags := int(u16(b, at)), u16(b, at+2)
	e := &resEntry{typ: typeName, dflt: dflt}
	var v resValue
	switch {
	case flags&entryCompact != 0:
		e.key = keys.get(uint32(size))
		v = resValue{typ: uint8(flags >> 8), data: u32(b, at+4)}
	case flags&entryComplex != 0:
		e.key = keys.get(u32(b, at+4))
		count := int64(u32(b, at+12))
		for i, m := int64(0), off+int64(size); i < count && m+12 <= int64(len(b)); i, m = i+1, m+12 {
			item := parseResValue(b, int(m)+4)
			if item.typ == valString {
				w.line(section, e.key, values.get(item.data))
			}
		}
		t.add(id, e)
		return
	default:
		e.key = keys.get(u32(b, at+4))
		v = parseResValue(b, at+size)
	}
	switch {
	case v.typ == valReference || v.typ == valDynamicRef:
		e.ref = v.data
	case plainTypes[typeName]:
		e.plain = true
		e.value = v.format(values, nil)
	}
	if v.typ == valString && (plainTypes[typeName] || !strings.HasPrefix(values.get(v.data), "res/")) {
		w.line(section, e.key, values.get(v.data))
	}
	t.add(id, e)
}

// configName tells whether a ResTable_config is the default one and names
// the others by their commonest qualifiers (fr-rCA, v21, 480dpi …).
func configName(c []byte) (bool, string) {
	size := min(int(u32(c, 0)), len(c))
	if size <= 4 || !bytes.ContainsFunc(c[4:size], func(r rune) bool { return r != 0 }) {
		return true, ""
	}
	c = append(make([]byte, 0, 32), c[:size]...)
	c = append(c, make([]byte, max(0, 32-size))...) // short (older) configs read as zero
	var parts []string
	if mcc := u16(c, 4); mcc != 0 {
		parts = append(parts, fmt.Sprintf("mcc%d", mcc))
	}
	if lang := c[8:10]; lang[0] != 0 && lang[0] < 0x80 {
		parts = append(parts, string(lang))
		if country := c[10:12]; country[0] != 0 && country[0] < 0x80 {
			parts = append(parts, "r"+string(country))
		}
	}
	if density := u16(c, 14); density != 0 {
		parts = append(parts, fmt.Sprintf("%ddpi", density))
	}
	if sdk := u16(c, 24); sdk != 0 {
		parts = append(parts, fmt.Sprintf("v%d", sdk))
	}
	if len(parts) == 0 {
		return false, "config"
	}
	return false, strings.Join(parts, "-")
}

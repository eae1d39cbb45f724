package extract

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// readBinaryPlist reads a binary property list (bplist00). howett.net/plist
// reads them too, but expands shared objects into a tree (a small file can
// reference one array from itself a billion times over) and recurses
// without a depth limit, so keyhole reads the format itself: each object is
// decoded once, nesting is bounded and cycles are refused.
func readBinaryPlist(data []byte) (*plistNode, error) {
	if len(data) < 8+32 || string(data[:7]) != "bplist0" {
		return nil, errors.New("too short for a binary plist")
	}
	t := data[len(data)-32:]
	r := &bplistReader{
		data:       data,
		offsetSize: int(t[6]),
		refSize:    int(t[7]),
		count:      binary.BigEndian.Uint64(t[8:]),
		table:      binary.BigEndian.Uint64(t[24:]),
		nodes:      map[uint64]*plistNode{},
		open:       map[uint64]bool{},
	}
	top := binary.BigEndian.Uint64(t[16:])
	end := uint64(len(data) - 32)
	switch {
	case r.offsetSize < 1 || r.offsetSize > 8 || r.refSize < 1 || r.refSize > 8:
		return nil, fmt.Errorf("offset or reference size out of range (%d, %d)", r.offsetSize, r.refSize)
	case r.table < 8 || r.table > end:
		return nil, errors.New("offset table outside the file")
	case r.count > (end-r.table)/uint64(r.offsetSize):
		return nil, fmt.Errorf("%d objects do not fit the offset table", r.count)
	case top >= r.count:
		return nil, errors.New("top object out of range")
	}
	return r.object(top, 0)
}

type bplistReader struct {
	data                []byte
	offsetSize, refSize int
	count, table        uint64
	nodes               map[uint64]*plistNode // decoded objects, shared
	open                map[uint64]bool       // containers being decoded: a reference back is a cycle
}

// uint reads an n-byte big-endian unsigned integer at off, within the
// object area (everything before the offset table).
func (r *bplistReader) uint(off uint64, n int, limit uint64) (uint64, error) {
	if off > limit || uint64(n) > limit-off {
		return 0, fmt.Errorf("read past the end at 0x%x", off)
	}
	var v uint64
	for _, b := range r.data[off : off+uint64(n)] {
		v = v<<8 | uint64(b)
	}
	return v, nil
}

func (r *bplistReader) object(ref uint64, depth int) (*plistNode, error) {
	if ref >= r.count {
		return nil, fmt.Errorf("reference %d out of range", ref)
	}
	if n, ok := r.nodes[ref]; ok {
		return n, nil
	}
	if r.open[ref] {
		return nil, errors.New("a container contains itself")
	}
	if depth > maxPlistDepth {
		return nil, fmt.Errorf("nested deeper than %d levels", maxPlistDepth)
	}
	off, err := r.uint(r.table+ref*uint64(r.offsetSize), r.offsetSize, uint64(len(r.data)-32))
	if err != nil {
		return nil, err
	}
	if off < 8 || off >= r.table {
		return nil, fmt.Errorf("object %d outside the object area", ref)
	}
	r.open[ref] = true
	n, err := r.parse(off, depth)
	delete(r.open, ref)
	if err != nil {
		return nil, err
	}
	r.nodes[ref] = n
	return n, nil
}

// length reads the count after a marker whose low nibble is 0xF.
func (r *bplistReader) length(off uint64) (count, start uint64, err error) {
	lo := uint64(r.data[off] & 0x0f)
	if lo != 0x0f {
		return lo, off + 1, nil
	}
	if off+1 >= r.table || r.data[off+1]>>4 != 0x1 {
		return 0, 0, errors.New("bad length marker")
	}
	size := 1 << (r.data[off+1] & 0x0f)
	if size > 8 {
		return 0, 0, errors.New("length too wide")
	}
	count, err = r.uint(off+2, size, r.table)
	return count, off + 2 + uint64(size), err
}

// span checks that n units of size bytes from start lie in the object area.
func (r *bplistReader) span(start, n, size uint64) error {
	if n > (r.table-min(start, r.table))/size {
		return errors.New("object runs past the object area")
	}
	return nil
}

func (r *bplistReader) parse(off uint64, depth int) (*plistNode, error) {
	marker := r.data[off]
	switch marker >> 4 {
	case 0x0:
		switch marker {
		case 0x08:
			return &plistNode{kind: plistBool, text: "false"}, nil
		case 0x09:
			return &plistNode{kind: plistBool, text: "true"}, nil
		}
		return &plistNode{kind: plistString}, nil // null and fill
	case 0x1:
		size := 1 << (marker & 0x0f)
		if size > 16 {
			return nil, errors.New("integer too wide")
		}
		v, err := r.uint(off+1+uint64(max(size-8, 0)), min(size, 8), r.table)
		if err != nil {
			return nil, err
		}
		text := strconv.FormatUint(v, 10)
		if size == 8 {
			text = strconv.FormatInt(int64(v), 10)
		}
		return &plistNode{kind: plistInteger, text: text}, nil
	case 0x2, 0x3:
		size := 1 << (marker & 0x0f)
		if size != 4 && size != 8 {
			return nil, errors.New("real of odd width")
		}
		bits, err := r.uint(off+1, size, r.table)
		if err != nil {
			return nil, err
		}
		f := math.Float64frombits(bits)
		if size == 4 {
			f = float64(math.Float32frombits(uint32(bits)))
		}
		if marker>>4 == 0x3 {
			return &plistNode{kind: plistDate, text: plistDateText(f)}, nil
		}
		return &plistNode{kind: plistReal, text: strconv.FormatFloat(f, 'g', -1, 64)}, nil
	case 0x4, 0x5, 0x6:
		n, start, err := r.length(off)
		if err != nil {
			return nil, err
		}
		unit := uint64(1)
		if marker>>4 == 0x6 {
			unit = 2
		}
		if err := r.span(start, n, unit); err != nil {
			return nil, err
		}
		b := r.data[start : start+n*unit]
		switch marker >> 4 {
		case 0x4:
			return &plistNode{kind: plistData, text: base64.StdEncoding.EncodeToString(b)}, nil
		case 0x5:
			return &plistNode{kind: plistString, text: string(b)}, nil
		}
		return &plistNode{kind: plistString, text: utf16Text(b, binary.BigEndian)}, nil
	case 0x8:
		v, err := r.uint(off+1, int(marker&0x0f)+1, r.table)
		if err != nil {
			return nil, err
		}
		return &plistNode{kind: plistUID, text: strconv.FormatUint(v, 10)}, nil
	case 0xA, 0xC, 0xD: // array, set, dict
		n, start, err := r.length(off)
		if err != nil {
			return nil, err
		}
		refs := n
		if marker>>4 == 0xD {
			if n > math.MaxUint64/2 {
				return nil, errors.New("dictionary too large")
			}
			refs = 2 * n
		}
		if err := r.span(start, refs, uint64(r.refSize)); err != nil {
			return nil, err
		}
		node := &plistNode{kind: plistArray, items: make([]*plistNode, 0, min(n, 1024))}
		at := func(i uint64) (*plistNode, error) {
			ref, err := r.uint(start+i*uint64(r.refSize), r.refSize, r.table)
			if err != nil {
				return nil, err
			}
			return r.object(ref, depth+1)
		}
		if marker>>4 == 0xD {
			node.kind = plistDict
			node.keys = make([]string, 0, min(n, 1024))
			for i := uint64(0); i < n; i++ {
				k, err := at(i)
				if err != nil {
					return nil, err
				}
				if k.kind != plistString {
					return nil, errors.New("dictionary key is not a string")
				}
				node.keys = append(node.keys, k.text)
			}
		}
		for i := refs - n; i < refs; i++ {
			v, err := at(i)
			if err != nil {
				return nil, err
			}
			node.items = append(node.items, v)
		}
		return node, nil
	}
	return nil, fmt.Errorf("unknown object marker 0x%02x", marker)
}

// plistDateText renders seconds since 2001-01-01 UTC as XML plists do.
func plistDateText(secs float64) string {
	if math.IsNaN(secs) || math.Abs(secs) > 1e11 {
		return "invalid"
	}
	return time.Unix(int64(secs)+978307200, 0).UTC().Format("2006-01-02T15:04:05Z")
}

// utf16Text decodes UTF-16 in the given byte order to UTF-8.
func utf16Text(b []byte, order binary.ByteOrder) string {
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	return string(utf16.Decode(units))
}

// plistRenderBudget bounds the XML rendered from a binary plist of size
// bytes: shared objects are rendered at each reference, so the text may
// rightly be larger than the file, but not without limit.
func plistRenderBudget(size int) int { return 16*size + 64<<10 }

// renderPlist writes root as XML plist text and records each node's line.
// It stops at budget bytes and then reports complete=false.
func renderPlist(root *plistNode, budget int) (text []byte, complete bool) {
	w := &plistWriter{line: 1, budget: budget}
	w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n")
	w.node(root, 0)
	w.raw("</plist>\n")
	return w.out, !w.over
}

type plistWriter struct {
	out    []byte
	line   int
	budget int
	over   bool
}

func (w *plistWriter) raw(s string) {
	if w.over || len(w.out)+len(s) > w.budget {
		w.over = true
		return
	}
	w.out = append(w.out, s...)
	w.line += strings.Count(s, "\n")
}

func (w *plistWriter) node(n *plistNode, depth int) {
	if w.over {
		return
	}
	indent := strings.Repeat("\t", depth)
	if n.line == 0 {
		n.line = w.line
	}
	switch n.kind {
	case plistBool:
		w.raw(indent + "<" + n.text + "/>\n")
	case plistArray, plistDict:
		tag := plistTags[n.kind]
		if len(n.items) == 0 {
			w.raw(indent + "<" + tag + "/>\n")
			return
		}
		w.raw(indent + "<" + tag + ">\n")
		if n.kind == plistDict && n.keyLines == nil {
			n.keyLines = make([]int, len(n.keys))
		}
		for i, item := range n.items {
			if w.over {
				return
			}
			if n.kind == plistDict {
				if n.keyLines[i] == 0 {
					n.keyLines[i] = w.line
				}
				w.raw(indent + "\t<key>" + xmlEscape(n.keys[i]) + "</key>\n")
			}
			w.node(item, depth+1)
		}
		w.raw(indent + "</" + tag + ">\n")
	default:
		tag := plistTags[n.kind]
		w.raw(indent + "<" + tag + ">" + xmlEscape(n.text) + "</" + tag + ">\n")
	}
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func xmlEscape(s string) string { return xmlEscaper.Replace(s) }

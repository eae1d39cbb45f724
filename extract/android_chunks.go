package extract

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// Android's compiled resources (binary XML, resources.arsc) are trees of
// chunks, each starting with a ResChunk_header: type, header size, total
// size, all little-endian.
const (
	chunkStringPool    = 0x0001
	chunkTable         = 0x0002
	chunkXML           = 0x0003
	chunkXMLStartNS    = 0x0100
	chunkXMLEndNS      = 0x0101
	chunkXMLStartElem  = 0x0102
	chunkXMLEndElem    = 0x0103
	chunkXMLCData      = 0x0104
	chunkXMLResourceID = 0x0180
	chunkTablePackage  = 0x0200
	chunkTableType     = 0x0201
	chunkTableTypeSpec = 0x0202
)

var errTruncated = errors.New("truncated")

// resChunk is one chunk: its type, its header and its whole bytes.
type resChunk struct {
	typ    uint16
	header []byte // the chunk header, starting at the chunk
	data   []byte // the whole chunk, header included
}

// body is what follows the header.
func (c resChunk) body() []byte { return c.data[len(c.header):] }

// nextChunk splits the first chunk off b. A chunk cut short by the end of
// b is still returned, clamped, with an error, so callers decode what is
// there before they stop.
func nextChunk(b []byte) (resChunk, []byte, error) {
	if len(b) < 8 {
		return resChunk{}, nil, errTruncated
	}
	typ := binary.LittleEndian.Uint16(b)
	hsize := int(binary.LittleEndian.Uint16(b[2:]))
	size := int64(binary.LittleEndian.Uint32(b[4:]))
	if hsize < 8 || int64(hsize) > size {
		return resChunk{}, nil, fmt.Errorf("chunk 0x%04x has a bad header size %d", typ, hsize)
	}
	if size > int64(len(b)) {
		if hsize > len(b) {
			return resChunk{}, nil, fmt.Errorf("chunk 0x%04x of %d bytes: %w", typ, size, errTruncated)
		}
		return resChunk{typ: typ, header: b[:hsize], data: b}, nil,
			fmt.Errorf("chunk 0x%04x of %d bytes has %d: %w", typ, size, len(b), errTruncated)
	}
	return resChunk{typ: typ, header: b[:hsize], data: b[:size]}, b[size:], nil
}

func u16(b []byte, off int) uint16 {
	if off < 0 || off+2 > len(b) {
		return 0
	}
	return binary.LittleEndian.Uint16(b[off:])
}

func u32(b []byte, off int) uint32 {
	if off < 0 || off+4 > len(b) {
		return 0
	}
	return binary.LittleEndian.Uint32(b[off:])
}

// stringPool is a ResStringPool: strings are decoded on first use.
type stringPool struct {
	chunk   []byte
	offsets []byte // stringCount u32 offsets, relative to strings
	strings int    // where string data starts in chunk
	utf8    bool
	decoded []string
	done    []bool
}

const poolUTF8 = 1 << 8

func parseStringPool(c resChunk) (*stringPool, error) {
	if len(c.header) < 28 {
		return nil, errors.New("string pool header too short")
	}
	count := int64(u32(c.header, 8))
	flags := u32(c.header, 16)
	start := int64(u32(c.header, 20))
	idx := int64(len(c.header))
	if idx+count*4 > int64(len(c.data)) {
		return nil, fmt.Errorf("string pool of %d strings: %w", count, errTruncated)
	}
	if start > int64(len(c.data)) {
		return nil, errors.New("string pool data starts past its end")
	}
	return &stringPool{
		chunk:   c.data,
		offsets: c.data[idx : idx+count*4],
		strings: int(start),
		utf8:    flags&poolUTF8 != 0,
		decoded: make([]string, count),
		done:    make([]bool, count),
	}, nil
}

func (p *stringPool) len() int {
	if p == nil {
		return 0
	}
	return len(p.decoded)
}

// get returns string i, or "" when i is out of range or damaged.
func (p *stringPool) get(i uint32) string {
	if p == nil || int64(i) >= int64(len(p.decoded)) {
		return ""
	}
	if !p.done[i] {
		p.decoded[i] = p.decode(int64(p.strings) + int64(u32(p.offsets, int(i)*4)))
		p.done[i] = true
	}
	return p.decoded[i]
}

func (p *stringPool) decode(at int64) string {
	if at < 0 || at >= int64(len(p.chunk)) {
		return ""
	}
	b := p.chunk[at:]
	if p.utf8 {
		_, n := utf8Len(b) // the UTF-16 length comes first; the byte length is what counts
		size, m := utf8Len(b[n:])
		b = b[n+m:]
		return string(b[:min(size, len(b))])
	}
	size, n := utf16Len(b)
	b = b[n:]
	units := make([]uint16, 0, min(size, len(b)/2))
	for i := 0; i < size && 2*i+1 < len(b); i++ {
		units = append(units, binary.LittleEndian.Uint16(b[2*i:]))
	}
	return string(utf16.Decode(units))
}

// utf8Len reads a UTF-8 pool length: one byte, or two with the high bit set.
func utf8Len(b []byte) (int, int) {
	switch {
	case len(b) == 0:
		return 0, 0
	case b[0]&0x80 == 0:
		return int(b[0]), 1
	case len(b) < 2:
		return 0, 1
	default:
		return int(b[0]&0x7f)<<8 | int(b[1]), 2
	}
}

// utf16Len reads a UTF-16 pool length: one unit, or two with the high bit set.
func utf16Len(b []byte) (int, int) {
	l := int(u16(b, 0))
	if l&0x8000 == 0 {
		return l, min(2, len(b))
	}
	return (l&0x7fff)<<16 | int(u16(b, 2)), min(4, len(b))
}

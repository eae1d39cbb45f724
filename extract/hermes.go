package extract

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// hermesMagic opens every Hermes bytecode bundle (little-endian u64).
const hermesMagic = 0x1F1903C103BC1FC6

// Hermes bytecode (React Native's index.android.bundle, main.jsbundle in
// iOS apps) keeps all of a bundle's strings in one storage blob, packed
// back to back and overlapping, so the printable strings of the file run
// string into string. The string tables say where each one starts and
// ends. The layout (hermes/include/hermes/BCGen/HBC/BytecodeFileFormat.h)
// is the same from bytecode version 76 (React Native 0.64) to 96 and on:
// a 128-byte header whose first counts keep their offsets, then function
// headers, string kinds, identifier hashes, the small string table, the
// overflow table and the storage. testdata/hermes/hermesc.sh checks it
// against real compilers.
const (
	hermesMinVersion = 76
	hermesMaxVersion = 99
	hermesHeaderSize = 128
)

// hermes renders a Hermes bundle's string table, one string a line. Other
// versions, and files whose tables do not add up, fall back to printable
// strings.
func (x *job) hermes(sc scope, data []byte) {
	if len(data) >= 12 {
		if v := binary.LittleEndian.Uint32(data[8:]); v < hermesMinVersion || v > hermesMaxVersion {
			x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("Hermes bytecode version %d is not one keyhole reads (%d to %d); scanned its printable strings instead", v, hermesMinVersion, hermesMaxVersion)})
			x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
			return
		}
	}
	text, err := hermesStrings(data)
	if err != nil {
		x.malformed(sc, "Hermes bytecode", err, data)
		return
	}
	x.emitRendered(sc, "hermes", text)
}

func hermesStrings(data []byte) ([]byte, error) {
	if len(data) < hermesHeaderSize {
		return nil, errors.New("shorter than a Hermes header")
	}
	u32 := func(at uint64) uint32 { return binary.LittleEndian.Uint32(data[at:]) }
	fileLength := uint64(u32(32))
	if fileLength > uint64(len(data)) {
		return nil, fmt.Errorf("file is %d bytes, header says %d", len(data), fileLength)
	}
	functions, kinds, identifiers := uint64(u32(40)), uint64(u32(44)), uint64(u32(48))
	count, overflowCount, storageSize := uint64(u32(52)), uint64(u32(56)), uint64(u32(60))

	// The sections follow the header in this order, each 4-byte aligned.
	at := uint64(hermesHeaderSize)
	section := func(size uint64) uint64 {
		at = (at + 3) &^ 3
		start := at
		at += size
		return start
	}
	section(16 * functions) // small function headers
	section(4 * kinds)      // string kind runs
	section(4 * identifiers)
	table := section(4 * count)
	overflow := section(8 * overflowCount)
	storage := section(storageSize)
	if at > fileLength {
		return nil, fmt.Errorf("string tables (%d strings, %d bytes of storage) run past the end of the file", count, storageSize)
	}

	// Storage may be shared between strings, so the output is bounded by
	// a budget rather than by the storage size.
	budget := 4*len(data) + 1<<16
	out := make([]byte, 0, storageSize+count)
	for i := range count {
		e := u32(table + 4*i)
		utf16Str, off, length := e&1 == 1, uint64(e>>1&0x7fffff), uint64(e>>24)
		if length == 255 { // overflowed: off indexes the overflow table
			if off >= overflowCount {
				return nil, fmt.Errorf("string %d refers to overflow entry %d of %d", i, off, overflowCount)
			}
			off, length = uint64(u32(overflow+8*off)), uint64(u32(overflow+8*off+4))
		}
		size := length
		if utf16Str {
			size *= 2
		}
		if off > storageSize || size > storageSize-off {
			return nil, fmt.Errorf("string %d lies outside the string storage", i)
		}
		if budget -= int(size); budget < 0 {
			return nil, errors.New("strings overlap so much that rendering them would take too long")
		}
		s := data[storage+off : storage+off+size]
		if utf16Str {
			out = appendUTF16LE(out, s)
		} else {
			out = appendLatin1(out, s)
		}
		out = append(out, '\n')
	}
	return out, nil
}

func appendLatin1(out, s []byte) []byte {
	for _, c := range s {
		if c < 0x80 {
			out = append(out, c)
		} else {
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}

func appendUTF16LE(out, s []byte) []byte {
	for i := 0; i+1 < len(s); i += 2 {
		u := rune(binary.LittleEndian.Uint16(s[i:]))
		if utf16.IsSurrogate(u) && u < 0xdc00 && i+3 < len(s) {
			if v := rune(binary.LittleEndian.Uint16(s[i+2:])); v >= 0xdc00 && v < 0xe000 {
				out = utf8.AppendRune(out, utf16.DecodeRune(u, v))
				i += 2
				continue
			}
		}
		out = utf8.AppendRune(out, u) // a lone surrogate becomes U+FFFD
	}
	return out
}

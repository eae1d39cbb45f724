// Package hermesgen writes Hermes bytecode files (React Native's
// index.android.bundle and main.jsbundle) for tests: a header, one empty
// function header, the string tables and string storage, and the SHA-1
// footer. It follows the layout of bytecode version 96 (Hermes as shipped
// with React Native 0.72 to 0.76), in
// hermes/include/hermes/BCGen/HBC/BytecodeFileFormat.h.
package hermesgen

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"unicode/utf16"
)

// Magic opens every Hermes bytecode file (little-endian).
const Magic = 0x1F1903C103BC1FC6

// HeaderSize is the size of BytecodeFileHeader: magic, version, source
// hash, 19 counts and sizes, options, padding.
const HeaderSize = 128

// File is the content of a bundle: just its strings.
type File struct {
	Version uint32 // 96 when zero
	Strings []string
}

// Bytes writes the file. Strings that are pure ASCII are stored one byte a
// character, others as UTF-16; an ASCII string already present in the
// storage is not stored again (Hermes packs its storage the same way), and
// strings too long or too far for a small table entry go through the
// overflow table.
func (f *File) Bytes() []byte {
	var storage bytes.Buffer
	var small []uint32
	var overflow [][2]uint32
	for _, s := range f.Strings {
		ascii := isASCII(s)
		var off, length uint32
		if i := bytes.Index(storage.Bytes(), []byte(s)); ascii && i >= 0 && s != "" {
			off, length = uint32(i), uint32(len(s))
		} else if ascii {
			off, length = uint32(storage.Len()), uint32(len(s))
			storage.WriteString(s)
		} else {
			u := utf16.Encode([]rune(s))
			off, length = uint32(storage.Len()), uint32(len(u))
			for _, c := range u {
				storage.Write(binary.LittleEndian.AppendUint16(nil, c))
			}
		}
		utf16Bit := uint32(0)
		if !ascii {
			utf16Bit = 1
		}
		if length >= 255 || off >= 1<<23 {
			small = append(small, utf16Bit|uint32(len(overflow))<<1|255<<24)
			overflow = append(overflow, [2]uint32{off, length})
		} else {
			small = append(small, utf16Bit|off<<1|length<<24)
		}
	}

	var body bytes.Buffer
	u32 := func(v uint32) { body.Write(binary.LittleEndian.AppendUint32(nil, v)) }
	align := func() {
		for (HeaderSize+body.Len())%4 != 0 {
			body.WriteByte(0)
		}
	}
	body.Write(make([]byte, 16)) // one SmallFuncHeader: the global function
	u32(uint32(len(f.Strings)))  // one string kind run: all plain strings
	for _, e := range small {
		u32(e)
	}
	for _, e := range overflow {
		u32(e[0])
		u32(e[1])
	}
	body.Write(storage.Bytes())
	align()

	version := f.Version
	if version == 0 {
		version = 96
	}
	total := HeaderSize + body.Len() + sha1.Size
	h := make([]byte, 0, total)
	h = binary.LittleEndian.AppendUint64(h, Magic)
	h = binary.LittleEndian.AppendUint32(h, version)
	h = append(h, make([]byte, 20)...) // source hash
	for _, v := range []uint32{
		uint32(total),         // fileLength
		0,                     // globalCodeIndex
		1,                     // functionCount
		1,                     // stringKindCount
		0,                     // identifierCount
		uint32(len(small)),    // stringCount
		uint32(len(overflow)), // overflowStringCount
		uint32(storage.Len()), // stringStorageSize
		// bigIntCount, bigIntStorageSize, regExpCount, regExpStorageSize,
		// arrayBufferSize, objKeyBufferSize, objValueBufferSize, segmentID,
		// cjsModuleCount, functionSourceCount, debugInfoOffset
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	} {
		h = binary.LittleEndian.AppendUint32(h, v)
	}
	h = append(h, make([]byte, HeaderSize-len(h))...) // options, padding
	out := append(h, body.Bytes()...)
	sum := sha1.Sum(out)
	return append(out, sum[:]...)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

package extract

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// format is what a file is, decided by its content; names are only a hint
// for formats without magic bytes.
type format int

const (
	formatText format = iota
	formatBinary
	formatZip
	formatDEX
	formatAXML     // Android binary XML
	formatARSC     // resources.arsc
	formatAABProto // aapt2 protobuf XML or resource table inside an AAB
	formatMachO
	formatMachOFat
	formatELF
	formatBPlist
	formatPlistXML
	formatProvision // CMS-signed plist: embedded.mobileprovision
	formatHermes
	formatKeystore
)

// sniffLen is how much of a file detection looks at.
const sniffLen = 8 << 10

func detect(head []byte, name string) format {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return formatZip
	case bytes.HasPrefix(head, []byte("dex\n")):
		return formatDEX
	case bytes.HasPrefix(head, []byte{0x03, 0x00, 0x08, 0x00}):
		return formatAXML
	case bytes.HasPrefix(head, []byte{0x02, 0x00, 0x0c, 0x00}):
		return formatARSC
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return formatELF
	case bytes.HasPrefix(head, []byte("bplist0")):
		return formatBPlist
	case isMachO(head):
		return formatMachO
	case isFatMachO(head):
		return formatMachOFat
	case len(head) >= 8 && binary.LittleEndian.Uint64(head) == hermesMagic:
		return formatHermes
	case bytes.HasPrefix(head, []byte{0xfe, 0xed, 0xfe, 0xed}): // JKS
		return formatKeystore
	case bytes.HasPrefix(head, []byte{0xce, 0xce, 0xce, 0xce}): // JCEKS
		return formatKeystore
	}
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".mobileprovision") || strings.HasSuffix(lower, ".provisionprofile") {
		return formatProvision
	}
	if !looksText(head) {
		switch {
		case isAABProtoName(lower):
			return formatAABProto
		case isKeystoreName(lower):
			return formatKeystore
		}
		return formatBinary
	}
	if bytes.Contains(head, []byte("<plist")) {
		return formatPlistXML
	}
	return formatText
}

// render turns data of a known format into chunks.
func (x *job) render(sc scope, kind format, data []byte) {
	switch kind {
	case formatText:
		x.emitText(sc, data)
	case formatBinary:
		x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
	case formatDEX:
		x.dex(sc, data)
	case formatAXML:
		x.axml(sc, data)
	case formatARSC:
		x.arsc(sc, data)
	case formatAABProto:
		x.aabProto(sc, data)
	case formatMachO, formatMachOFat:
		x.macho(sc, data)
	case formatELF:
		x.elf(sc, data)
	case formatBPlist, formatPlistXML:
		x.plist(sc, data)
	case formatProvision:
		x.provision(sc, data)
	case formatHermes:
		x.hermes(sc, data)
	case formatKeystore:
		x.keystore(sc, data)
	default:
		x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
	}
}

func isMachO(h []byte) bool {
	if len(h) < 4 {
		return false
	}
	m := binary.BigEndian.Uint32(h)
	return m == 0xfeedface || m == 0xfeedfacf || m == 0xcefaedfe || m == 0xcffaedfe
}

// isFatMachO tells a fat Mach-O from a Java class file: both start with
// 0xCAFEBABE, but a fat header's next word is a small architecture count
// while a class file's is its version (45 or more).
func isFatMachO(h []byte) bool {
	if len(h) < 8 {
		return false
	}
	m := binary.BigEndian.Uint32(h)
	if m != 0xcafebabe && m != 0xcafebabf {
		return false
	}
	n := binary.BigEndian.Uint32(h[4:])
	return n > 0 && n < 45
}

// looksText says whether a file's head is text: no NUL bytes and mostly
// valid UTF-8 (a truncated rune at the cut is fine).
func looksText(h []byte) bool {
	if bytes.IndexByte(h, 0) >= 0 {
		return false
	}
	bad := 0
	for i := 0; i < len(h); {
		// Eight ASCII bytes at a time, control characters found by mask:
		// a history scan asks this of every blob.
		if i+8 <= len(h) {
			if w := binary.LittleEndian.Uint64(h[i:]); w&highBits == 0 {
				for ctl := asciiControls(w); ctl != 0; ctl &= ctl - 1 {
					if !textControl(h[i+bits.TrailingZeros64(ctl)/8]) {
						bad++
					}
				}
				i += 8
				continue
			}
		}
		r, n := utf8.DecodeRune(h[i:])
		if r == utf8.RuneError && n == 1 {
			if len(h)-i < utf8.UTFMax {
				break
			}
			bad++
		} else if r < 0x20 && !textControl(byte(r)) {
			bad++
		}
		i += n
	}
	return bad*100 <= len(h)
}

const highBits = 0x8080808080808080

// asciiControls marks with its high bit each byte of w under 0x20; w
// holds ASCII only. Setting the high bits first keeps 0x20 taken from
// each byte from borrowing from the next.
func asciiControls(w uint64) uint64 {
	return ^((w | highBits) - 0x2020202020202020) & highBits
}

// textControl says whether control character c is one text has.
func textControl(c byte) bool {
	return c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0x1b
}

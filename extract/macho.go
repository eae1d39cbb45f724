package extract

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
)

// macho renders a Mach-O file (an app's executable, a framework, an app
// extension, a dylib; thin or fat) as the strings of the sections where
// string literals, Objective-C selector and class names and Swift
// reflection names live, one a line. A fat file's slices are rendered in
// turn, each string once. Code, symbol tables and signatures are left out
// as noise; what imported symbols and selectors say about TLS validation
// follows as facts (macho_trust.go). An encrypted App Store binary is
// scanned where it is not encrypted, with a warning.
func (x *job) macho(sc scope, data []byte) {
	slices, err := machoSlices(data)
	if err != nil {
		x.malformed(sc, "Mach-O file", err, data)
		return
	}
	r := &machoRender{seen: map[string]bool{}, dedupe: len(slices) > 1}
	var facts []fact
	for i, s := range slices {
		what := "Mach-O file"
		if len(slices) > 1 {
			what = fmt.Sprintf("Mach-O slice %d of %d", i+1, len(slices))
		}
		if s.err != nil {
			x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("malformed %s: %v; scanned its printable strings instead", what, s.err)})
			r.lines(printableStrings(s.data, minStringLen))
			continue
		}
		bin, err := readMachO(s.data)
		if err != nil {
			x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("malformed %s: %v; scanned its printable strings instead", what, err)})
			r.lines(printableStrings(s.data, minStringLen))
			continue
		}
		if bin.encrypted {
			x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("%s is an encrypted (App Store) binary: its code could not be scanned; decrypt it first", what)})
		}
		if bin.problem != nil {
			x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("%s: %v", what, bin.problem)})
		}
		r.lines(bin.text)
		facts = appendUnique(facts, trustFacts(bin))
	}
	x.emitRendered(sc, "macho", r.out)
	x.emitFacts(sc, facts)
}

// machoRender joins the strings of a file's slices, each once when there
// are several (the arm64 and x86_64 slices share their literals).
type machoRender struct {
	out    []byte
	seen   map[string]bool
	dedupe bool
}

func (r *machoRender) lines(text []byte) {
	if !r.dedupe {
		r.out = append(r.out, text...)
		return
	}
	for len(text) > 0 {
		line, rest, _ := bytes.Cut(text, []byte("\n"))
		text = rest
		if !r.seen[string(line)] {
			r.seen[string(line)] = true
			r.out = append(append(r.out, line...), '\n')
		}
	}
}

func appendUnique(facts, more []fact) []fact {
	for _, f := range more {
		dup := false
		for _, g := range facts {
			dup = dup || g.text == f.text
		}
		if !dup {
			facts = append(facts, f)
		}
	}
	return facts
}

// machoSlice is one architecture of a Mach-O file: its bytes, or why they
// could not be had.
type machoSlice struct {
	data []byte
	err  error
}

// maxFatArchs bounds the architecture table; real files have two or three.
const maxFatArchs = 32

// machoSlices splits a fat file into its architectures (a thin file is one
// slice). The table is read here rather than by debug/macho so that one
// slice pointing past the end costs only that slice.
func machoSlices(data []byte) ([]machoSlice, error) {
	if !isFatMachO(data) {
		return []machoSlice{{data: data}}, nil
	}
	wide := binary.BigEndian.Uint32(data) == 0xcafebabf // fat_arch_64
	n := int(binary.BigEndian.Uint32(data[4:]))
	entry := 20
	if wide {
		entry = 32
	}
	if n > maxFatArchs {
		return nil, fmt.Errorf("%d architectures", n)
	}
	if 8+n*entry > len(data) {
		return nil, errors.New("architecture table runs past the end of the file")
	}
	out := make([]machoSlice, 0, n)
	total := uint64(0) // slices may not overlap, or one file could be rendered many times over
	for i := 0; i < n; i++ {
		e := data[8+i*entry:]
		var off, size uint64
		if wide {
			off, size = binary.BigEndian.Uint64(e[8:]), binary.BigEndian.Uint64(e[16:])
		} else {
			off, size = uint64(binary.BigEndian.Uint32(e[8:])), uint64(binary.BigEndian.Uint32(e[12:]))
		}
		end := uint64(len(data))
		switch {
		case total+min(size, end) > end:
			out = append(out, machoSlice{err: errors.New("slice overlaps another")})
		case off >= end:
			out = append(out, machoSlice{err: errors.New("slice starts past the end of the file")})
		case size > end-off:
			out = append(out, machoSlice{data: data[off:], err: errors.New("slice runs past the end of the file")})
		default:
			out = append(out, machoSlice{data: data[off : off+size]})
		}
		total += uint64(len(out[len(out)-1].data))
	}
	return out, nil
}

// machoBinary is what one thin Mach-O yields.
type machoBinary struct {
	text      []byte          // strings of the string sections, one a line
	classes   map[string]bool // Objective-C classes defined here
	selectors map[string]bool // Objective-C selectors used or defined here
	imports   []string        // undefined symbols: what the code uses from other binaries
	encrypted bool
	problem   error // sections that could not be read whole
}

// machoStringSections are the sections (by name, in any segment) that hold
// literals and names; __const sections mix them with binary data, which
// printable-string extraction sorts out. __cfstring holds only pointers to
// __cstring.
var machoStringSections = map[string]bool{
	"__cstring": true, "__objc_methname": true, "__objc_classname": true,
	"__swift5_reflstr": true, "__swift5_typeref": true, "__const": true,
	"__oslogstring": true, "__rodata": true, "__ustring": true,
}

const (
	lcEncryptionInfo   = 0x21
	lcEncryptionInfo64 = 0x2c
	sectionTypeMask    = 0xff
)

// zerofill section types occupy no bytes in the file.
var zerofill = map[uint32]bool{0x1: true, 0xc: true, 0x12: true}

func readMachO(data []byte) (bin *machoBinary, err error) {
	defer func() {
		// debug/macho can panic on hostile load commands: that costs this
		// slice its structure only.
		if r := recover(); r != nil {
			bin, err = nil, fmt.Errorf("unreadable load commands (%v)", r)
		}
	}()
	f, err := macho.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	bin = &machoBinary{classes: map[string]bool{}, selectors: map[string]bool{}}
	cryptStart, cryptEnd := cryptRange(f)
	bin.encrypted = cryptEnd > cryptStart
	size, scanned := uint64(len(data)), uint64(0)
	for _, s := range f.Sections {
		// Offset 0 is where the header is: sections without file content
		// (a dSYM's copies of __TEXT) say so.
		if !machoStringSections[s.Name] || zerofill[s.Flags&sectionTypeMask] || s.Size == 0 || s.Offset == 0 {
			continue
		}
		start, end := uint64(s.Offset), uint64(s.Offset)+s.Size
		if start < cryptEnd && end > cryptStart {
			continue // encrypted: noise
		}
		if end > size {
			bin.problem = fmt.Errorf("section %s,%s runs past the end of the file; scanned up to the end", s.Seg, s.Name)
			end = max(start, size)
			if start > size {
				continue
			}
		}
		if scanned += end - start; scanned > size {
			bin.problem = errors.New("string sections overlap; the rest were not scanned")
			break
		}
		sec := data[start:end]
		switch s.Name {
		case "__ustring":
			bin.text = append(bin.text, utf16Strings(sec, f.ByteOrder)...)
		case "__objc_classname", "__objc_methname":
			names := cStrings(sec)
			for _, n := range names {
				if s.Name == "__objc_classname" {
					bin.classes[n] = true
				} else {
					bin.selectors[n] = true
				}
			}
			bin.text = append(bin.text, printableStrings(sec, minStringLen)...)
		default:
			bin.text = append(bin.text, printableStrings(sec, minStringLen)...)
		}
	}
	if f.Symtab != nil {
		for _, sym := range f.Symtab.Syms {
			const nType, nUndf, nExt = 0x0e, 0x0, 0x01
			if sym.Type&nType == nUndf && sym.Type&nExt != 0 && sym.Name != "" {
				bin.imports = append(bin.imports, sym.Name)
			}
		}
	}
	return bin, nil
}

// cryptRange returns the file range an LC_ENCRYPTION_INFO(_64) with a
// non-zero cryptid says is encrypted (debug/macho has no type for it).
func cryptRange(f *macho.File) (start, end uint64) {
	for _, l := range f.Loads {
		raw := l.Raw()
		if len(raw) < 20 {
			continue
		}
		cmd := f.ByteOrder.Uint32(raw)
		if cmd != lcEncryptionInfo && cmd != lcEncryptionInfo64 {
			continue
		}
		if f.ByteOrder.Uint32(raw[16:]) != 0 {
			off, size := uint64(f.ByteOrder.Uint32(raw[8:])), uint64(f.ByteOrder.Uint32(raw[12:]))
			return off, off + size
		}
	}
	return 0, 0
}

// cStrings splits a section of NUL-terminated strings.
func cStrings(sec []byte) []string {
	var out []string
	for len(sec) > 0 {
		s, rest, _ := bytes.Cut(sec, []byte{0})
		if len(s) > 0 {
			out = append(out, string(s))
		}
		sec = rest
	}
	return out
}

// utf16Strings renders a __ustring section (UTF-16 literals the compiler
// keeps for non-ASCII NSString constants, each ending in a zero unit).
// Non-Latin text is dense, so shorter strings are kept than in 8-bit ones.
func utf16Strings(sec []byte, order binary.ByteOrder) []byte {
	const minUnits = 3
	var out []byte
	start := 0
	for i := 0; i+1 < len(sec); i += 2 {
		if order.Uint16(sec[i:]) != 0 {
			continue
		}
		if (i-start)/2 >= minUnits {
			out = append(append(out, utf16Text(sec[start:i], order)...), '\n')
		}
		start = i + 2
	}
	return out
}

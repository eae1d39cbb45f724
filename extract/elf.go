package extract

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
)

// elf renders an ELF file (a native library in an APK, any Linux binary)
// as the printable strings of the sections that hold initialised data,
// where string literals live. Code, symbol names, unwind tables and the
// compiler's .comment are left out as noise. A file without section
// headers (as sstrip leaves it) is reduced to the strings of the whole
// file; one whose headers cannot be read is reported as malformed.
func (x *job) elf(sc scope, data []byte) {
	text, err := elfStrings(data)
	switch {
	case errors.Is(err, errELFNoSections):
		x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
	case err != nil:
		x.malformed(sc, "ELF file", err, data)
	default:
		x.emitRendered(sc, "elf", text)
	}
}

var errELFNoSections = errors.New("no section headers")

// elfNoise are allocated, non-executable PROGBITS sections that hold no
// strings worth scanning.
var elfNoise = map[string]bool{
	".eh_frame": true, ".eh_frame_hdr": true, ".gcc_except_table": true, ".interp": true,
	".got": true, ".got.plt": true, ".gopclntab": true, ".typelink": true, ".itablink": true,
}

func elfStrings(data []byte) (text []byte, err error) {
	defer func() {
		// debug/elf is fuzzed upstream, but a panic here must only cost
		// this file its structure, not the whole target.
		if r := recover(); r != nil {
			text, err = nil, fmt.Errorf("unreadable headers (%v)", r)
		}
	}()
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if len(f.Sections) == 0 {
		return nil, errELFNoSections
	}
	size, scanned := uint64(len(data)), uint64(0)
	for _, s := range f.Sections {
		if s.Type != elf.SHT_PROGBITS || s.Flags&elf.SHF_ALLOC == 0 || s.Flags&elf.SHF_EXECINSTR != 0 || elfNoise[s.Name] {
			continue
		}
		// Raw bytes, never s.Data(): a compressed section could be a bomb.
		if s.Offset > size || s.FileSize > size-s.Offset {
			return nil, fmt.Errorf("section %q lies past the end of the file", s.Name)
		}
		// Overlapping sections could render the file many times over.
		if scanned += s.FileSize; scanned > size {
			return nil, errors.New("data sections overlap")
		}
		text = append(text, printableStrings(data[s.Offset:s.Offset+s.FileSize], minStringLen)...)
	}
	return text, nil
}

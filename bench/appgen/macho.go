package main

import (
	"encoding/binary"
	"math/rand"
)

// Mach-O writing, laid out as ld64 lays out an arm64 app or framework:
// __PAGEZERO (executables), __TEXT from file offset 0 with the header and
// load commands, then __DATA_CONST, __DATA and __LINKEDIT, each starting
// on a 16 KB page; LC_SYMTAB, LC_ID_DYLIB or LC_LOAD_DYLIB, and an
// LC_ENCRYPTION_INFO_64 with cryptid 0 as in a development build.

const (
	mhExecute = 2
	mhDylib   = 6
	cpuARM64  = 0x0100000c
	page      = 16 << 10
	vmBase    = 0x100000000
)

type section struct {
	seg, name string
	flags     uint32
	data      []byte
}

type machO struct {
	filetype uint32
	id       string   // install name of a dylib
	dylibs   []string // install names of the frameworks it links
	sections []section
	imports  []string // undefined symbols
	exports  []string // defined external symbols
}

type segment struct {
	name          string
	secs          []int // indexes into machO.sections
	fileoff, size int
}

func (m *machO) bytes() []byte {
	var segs []*segment
	bySeg := map[string]*segment{}
	for i, s := range m.sections {
		if bySeg[s.seg] == nil {
			bySeg[s.seg] = &segment{name: s.seg}
			segs = append(segs, bySeg[s.seg])
		}
		bySeg[s.seg].secs = append(bySeg[s.seg].secs, i)
	}
	linkedit := &segment{name: "__LINKEDIT"}
	all := append(append([]*segment{}, segs...), linkedit)
	if m.filetype == mhExecute {
		all = append([]*segment{{name: "__PAGEZERO"}}, all...)
	}

	dylibCmd := func(name string) int { return align(24+len(name)+1, 8) }
	ncmds, cmdsize := 2, 24+24 // LC_SYMTAB, LC_ENCRYPTION_INFO_64
	for _, s := range all {
		ncmds++
		cmdsize += 72 + 80*len(s.secs)
	}
	if m.id != "" {
		ncmds++
		cmdsize += dylibCmd(m.id)
	}
	for _, d := range m.dylibs {
		ncmds++
		cmdsize += dylibCmd(d)
	}

	offsets := make([]int, len(m.sections))
	at := 32 + cmdsize
	for i, s := range segs {
		if i > 0 {
			at = align(at, page)
		}
		s.fileoff = at
		if i == 0 {
			s.fileoff = 0 // __TEXT maps the header too
		}
		for _, j := range s.secs {
			at = align(at, 16)
			offsets[j] = at
			at += len(m.sections[j].data)
		}
		s.size = at - s.fileoff
	}

	strtab := []byte{' ', 0}
	var syms []byte
	symbol := func(name string, typ, sect uint8, value uint64) {
		syms = binary.LittleEndian.AppendUint32(syms, uint32(len(strtab)))
		syms = append(syms, typ, sect, 0, 0)
		syms = binary.LittleEndian.AppendUint64(syms, value)
		strtab = append(append(strtab, name...), 0)
	}
	for i, name := range m.exports {
		symbol(name, 0x0f, 1, vmBase+uint64(offsets[0]+i*4)) // N_SECT | N_EXT in __text
	}
	for _, name := range m.imports {
		symbol(name, 0x01, 0, 0) // N_UNDF | N_EXT
	}
	linkedit.fileoff = align(at, page)
	symoff := linkedit.fileoff
	stroff := symoff + len(syms)
	linkedit.size = align(stroff+len(strtab), 16) - linkedit.fileoff

	le := binary.LittleEndian
	var out []byte
	u32 := func(v uint32) { out = le.AppendUint32(out, v) }
	u64 := func(v uint64) { out = le.AppendUint64(out, v) }
	name16 := func(s string) { b := make([]byte, 16); copy(b, s); out = append(out, b...) }
	u32(0xfeedfacf)
	u32(cpuARM64)
	u32(0)
	u32(m.filetype)
	u32(uint32(ncmds))
	u32(uint32(cmdsize))
	u32(0x00200085) // NOUNDEFS | DYLDLINK | TWOLEVEL | PIE
	u32(0)
	for _, s := range all {
		vmaddr, vmsize := uint64(vmBase+s.fileoff), uint64(align(s.size, page))
		if s.name == "__PAGEZERO" {
			vmaddr, vmsize = 0, vmBase
		}
		u32(0x19) // LC_SEGMENT_64
		u32(uint32(72 + 80*len(s.secs)))
		name16(s.name)
		u64(vmaddr)
		u64(vmsize)
		u64(uint64(s.fileoff))
		u64(uint64(s.size))
		prot := uint32(3) // rw
		if s.name == "__TEXT" {
			prot = 5 // rx
		}
		u32(prot)
		u32(prot)
		u32(uint32(len(s.secs)))
		u32(0)
		for _, j := range s.secs {
			sec := m.sections[j]
			name16(sec.name)
			name16(sec.seg)
			u64(vmBase + uint64(offsets[j]))
			u64(uint64(len(sec.data)))
			u32(uint32(offsets[j]))
			u32(4) // 2^4 alignment
			u32(0)
			u32(0)
			u32(sec.flags)
			u32(0)
			u32(0)
			u32(0)
		}
	}
	u32(0x2) // LC_SYMTAB
	u32(24)
	u32(uint32(symoff))
	u32(uint32(len(syms) / 16))
	u32(uint32(stroff))
	u32(uint32(len(strtab)))
	crypt := offsets[segs[0].secs[0]] // from the first section to the end of __TEXT
	u32(0x2c)                         // LC_ENCRYPTION_INFO_64, cryptid 0: not encrypted
	u32(24)
	u32(uint32(crypt))
	u32(uint32(segs[0].size - crypt))
	u32(0)
	u32(0)
	dylib := func(cmd uint32, name string) {
		u32(cmd)
		u32(uint32(dylibCmd(name)))
		u32(24)
		u32(2)
		u32(0x10000)
		u32(0x10000)
		out = append(out, name...)
		out = append(out, make([]byte, dylibCmd(name)-24-len(name))...)
	}
	if m.id != "" {
		dylib(0xd, m.id) // LC_ID_DYLIB
	}
	for _, d := range m.dylibs {
		dylib(0xc, d) // LC_LOAD_DYLIB
	}
	out = append(out, make([]byte, linkedit.fileoff+linkedit.size-len(out))...)
	for j, s := range m.sections {
		copy(out[offsets[j]:], s.data)
	}
	copy(out[symoff:], syms)
	copy(out[stroff:], strtab)
	return out
}

func align(n, a int) int { return (n + a - 1) / a * a }

// code stands in for arm64 machine code: instruction words from a few
// opcodes with small register and immediate fields, so that it deflates
// about as real code does rather than not at all.
func code(rng *rand.Rand, size int) []byte {
	ops := [...]uint32{0xf9400000, 0xf9000000, 0xaa0003e0, 0x91000000, 0x94000000, 0xb4000000, 0x52800000, 0xa9bf7bfd, 0xd65f03c0, 0x17ffffff, 0x35000000, 0xeb00001f}
	out := make([]byte, 0, size)
	for len(out)+4 <= size {
		w := ops[rng.Intn(len(ops))] | uint32(rng.Intn(64))<<10 | uint32(rng.Intn(8))<<5 | uint32(rng.Intn(8))
		out = binary.LittleEndian.AppendUint32(out, w)
	}
	return append(out, make([]byte, size-len(out))...)
}

// pointers stands in for __DATA: rebased addresses into the image, mostly
// nearby, with some zeros.
func pointers(rng *rand.Rand, size int) []byte {
	out := make([]byte, 0, size)
	for len(out)+8 <= size {
		v := uint64(0)
		if rng.Intn(4) > 0 {
			v = vmBase + uint64(rng.Intn(1<<22))&^7
		}
		out = binary.LittleEndian.AppendUint64(out, v)
	}
	return append(out, make([]byte, size-len(out))...)
}

package extract

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// dexFile is a DEX file whose id tables were checked to lie inside it.
// Everything else (string data, type lists, class data, code) is reached
// through offsets that are checked on every read, and all work is charged
// to a budget proportional to the file's size, so that hostile files whose
// items all point at the same big item cannot make reading quadratic.
type dexFile struct {
	data                                               []byte
	strings, types, protos, fields, methods, classDefs dexTable
	budget                                             int
	insns                                              []uint16 // reused by codeInsns
}

// dexTable is n fixed-size entries at off.
type dexTable struct{ off, n uint32 }

const dexHeaderSize = 0x70

// dexNoIndex marks an absent index (a class without superclass).
const dexNoIndex = 0xffffffff

var (
	errDexBounds = errors.New("an item is cut short or points outside the file")
	errDexBudget = errors.New("items refer to each other so much that reading them would take too long")
)

func parseDex(data []byte) (*dexFile, error) {
	if len(data) < dexHeaderSize {
		return nil, errors.New("shorter than a DEX header")
	}
	if binary.LittleEndian.Uint32(data[0x28:]) != 0x12345678 {
		return nil, errors.New("not a little-endian DEX file")
	}
	d := &dexFile{data: data, budget: 4*len(data) + 1<<16}
	for _, t := range []struct {
		t    *dexTable
		at   int
		size uint64
		name string
	}{
		{&d.strings, 0x38, 4, "string_ids"}, {&d.types, 0x40, 4, "type_ids"},
		{&d.protos, 0x48, 12, "proto_ids"}, {&d.fields, 0x50, 8, "field_ids"},
		{&d.methods, 0x58, 8, "method_ids"}, {&d.classDefs, 0x60, 32, "class_defs"},
	} {
		n, off := binary.LittleEndian.Uint32(data[t.at:]), binary.LittleEndian.Uint32(data[t.at+4:])
		if uint64(off)+uint64(n)*t.size > uint64(len(data)) {
			return nil, fmt.Errorf("%s table (%d entries at %#x) runs past the end of the file", t.name, n, off)
		}
		*t.t = dexTable{off: off, n: n}
	}
	return d, nil
}

// spend charges n units of work to the budget and reports whether any is left.
func (d *dexFile) spend(n int) bool {
	d.budget -= n
	return d.budget >= 0
}

func (d *dexFile) u16(off uint64) (uint32, bool) {
	if off+2 > uint64(len(d.data)) {
		return 0, false
	}
	return uint32(binary.LittleEndian.Uint16(d.data[off:])), true
}

func (d *dexFile) u32(off uint64) (uint32, bool) {
	if off+4 > uint64(len(d.data)) {
		return 0, false
	}
	return binary.LittleEndian.Uint32(d.data[off:]), true
}

// entry returns the offset of field at of entry i of t (i checked).
func (t dexTable) entry(i uint32, size, at uint64) (uint64, bool) {
	if i >= t.n {
		return 0, false
	}
	return uint64(t.off) + uint64(i)*size + at, true
}

// uleb128 reads an unsigned LEB128 value of at most five bytes at off,
// returning it and the offset after it.
func (d *dexFile) uleb128(off uint64) (uint32, uint64, bool) {
	var v uint32
	for i := uint64(0); i < 5; i++ {
		if off+i >= uint64(len(d.data)) {
			return 0, 0, false
		}
		b := d.data[off+i]
		v |= uint32(b&0x7f) << (7 * i)
		if b < 0x80 {
			return v, off + i + 1, true
		}
	}
	return 0, 0, false
}

// stringData returns string i's MUTF-8 bytes, without the length prefix
// and the terminating NUL.
func (d *dexFile) stringData(i uint32) ([]byte, bool) {
	at, ok := d.strings.entry(i, 4, 0)
	if !ok {
		return nil, false
	}
	off, ok := d.u32(at)
	if !ok {
		return nil, false
	}
	units, start, ok := d.uleb128(uint64(off))
	if !ok {
		return nil, false
	}
	// A UTF-16 unit takes at most three bytes: the NUL is no further.
	end := min(start+3*uint64(units)+1, uint64(len(d.data)))
	n := bytes.IndexByte(d.data[start:end], 0)
	if n < 0 {
		d.spend(int(end - start)) // what the search cost
		return nil, false
	}
	if !d.spend(n + 1) {
		return nil, false
	}
	return d.data[start : start+uint64(n)], true
}

// typeName returns the descriptor of type i, e.g. "Lcom/a/B;".
func (d *dexFile) typeName(i uint32) ([]byte, bool) {
	at, ok := d.types.entry(i, 4, 0)
	if !ok {
		return nil, false
	}
	s, ok := d.u32(at)
	if !ok {
		return nil, false
	}
	return d.stringData(s)
}

// typeList returns the type indices of the type_list at off (0: empty).
func (d *dexFile) typeList(off uint32, max int) ([]uint32, bool) {
	if off == 0 {
		return nil, true
	}
	n, ok := d.u32(uint64(off))
	if !ok || uint64(off)+4+2*uint64(n) > uint64(len(d.data)) || int(n) > max || !d.spend(int(n)) {
		return nil, false
	}
	out := make([]uint32, n)
	for i := range out {
		out[i], _ = d.u16(uint64(off) + 4 + 2*uint64(i))
	}
	return out, true
}

// memberRef is a field_id or method_id: its class, its name, and its type
// (field) or proto (method).
type memberRef struct{ class, typ, name uint32 }

func (d *dexFile) member(t dexTable, i uint32) (memberRef, bool) {
	at, ok := t.entry(i, 8, 0)
	if !ok {
		return memberRef{}, false
	}
	c, _ := d.u16(at)
	ty, _ := d.u16(at + 2)
	n, _ := d.u32(at + 4)
	return memberRef{class: c, typ: ty, name: n}, true
}

// protoString renders proto i as "(params)ret".
func (d *dexFile) protoString(i uint32) ([]byte, bool) {
	ret, ok1 := d.u32(uint64(d.protos.off) + 12*uint64(i) + 4)
	params, ok2 := d.u32(uint64(d.protos.off) + 12*uint64(i) + 8)
	if i >= d.protos.n || !ok1 || !ok2 {
		return nil, false
	}
	list, ok := d.typeList(params, 255) // a method has at most 255 parameter words
	if !ok {
		return nil, false
	}
	out := []byte{'('}
	for _, t := range list {
		name, ok := d.typeName(t)
		if !ok {
			return nil, false
		}
		out = append(out, name...)
	}
	name, ok := d.typeName(ret)
	if !ok {
		return nil, false
	}
	return append(append(out, ')'), name...), true
}

// classDef is the part of a class_def_item the analysis reads.
type classDef struct {
	class, super           uint32
	interfacesOff, dataOff uint32
}

func (d *dexFile) classDef(i uint32) (classDef, bool) {
	at, ok := d.classDefs.entry(i, 32, 0)
	if !ok {
		return classDef{}, false
	}
	c, _ := d.u32(at)
	s, _ := d.u32(at + 8)
	in, _ := d.u32(at + 12)
	cd, _ := d.u32(at + 24)
	return classDef{class: c, super: s, interfacesOff: in, dataOff: cd}, true
}

// encodedMethod is a method of a class: its method_id and code offset.
type encodedMethod struct{ method, code uint32 }

// classMethods decodes a class_data_item's direct and virtual methods.
func (d *dexFile) classMethods(off uint32) ([]encodedMethod, error) {
	if off == 0 {
		return nil, nil
	}
	var sizes [4]uint32
	p := uint64(off)
	for i := range sizes {
		var ok bool
		if sizes[i], p, ok = d.uleb128(p); !ok {
			return nil, errDexBounds
		}
	}
	// Each encoded field takes two bytes at least, each method three.
	fields := uint64(sizes[0]) + uint64(sizes[1])
	methods := uint64(sizes[2]) + uint64(sizes[3])
	if p+2*fields+3*methods > uint64(len(d.data)) {
		return nil, errDexBounds
	}
	if !d.spend(int(fields + methods)) {
		return nil, errDexBudget
	}
	for range fields {
		var ok bool
		if _, p, ok = d.uleb128(p); ok {
			_, p, ok = d.uleb128(p)
		}
		if !ok {
			return nil, errDexBounds
		}
	}
	out := make([]encodedMethod, 0, methods)
	for _, n := range sizes[2:] {
		idx := uint32(0)
		for range n {
			diff, p1, ok1 := d.uleb128(p)
			_, p2, ok2 := d.uleb128(p1)
			code, p3, ok3 := d.uleb128(p2)
			if !ok1 || !ok2 || !ok3 {
				return nil, errDexBounds
			}
			p = p3
			idx += diff
			out = append(out, encodedMethod{method: idx, code: code})
		}
	}
	return out, nil
}

// codeInsns returns the instructions of the code_item at off, valid until
// the next call.
func (d *dexFile) codeInsns(off uint32) ([]uint16, bool) {
	n, ok := d.u32(uint64(off) + 12)
	if !ok || uint64(off)+16+2*uint64(n) > uint64(len(d.data)) || !d.spend(int(n)) {
		return nil, false
	}
	raw := d.data[off+16 : uint64(off)+16+2*uint64(n)]
	d.insns = d.insns[:0]
	for i := 0; i < len(raw); i += 2 {
		d.insns = append(d.insns, binary.LittleEndian.Uint16(raw[i:]))
	}
	return d.insns, true
}

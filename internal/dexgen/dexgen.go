// Package dexgen writes small, valid DEX files for tests and fixtures: the
// id tables sorted as the format requires, class data, code items, a map
// list, and a real checksum and signature, so dexdump accepts the output.
// It assembles just the Dalvik instructions keyhole's tests need.
package dexgen

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"sort"
	"strings"
	"unicode/utf16"
)

// File is the content of one classes.dex.
type File struct {
	Strings []string // planted strings, besides those the classes use
	Classes []Class  // a superclass defined here must come before its subclasses
}

// Class is one class definition.
type Class struct {
	Name       string // descriptor, e.g. "Lcom/a/B;"
	Super      string // descriptor; empty means Ljava/lang/Object;
	Interfaces []string
	Methods    []Method
}

// Method is one method with code.
type Method struct {
	Name   string
	Proto  string // e.g. "(Ljava/lang/String;)Z"
	Static bool
	Locals int // registers besides the parameters (which follow them)
	Code   []Insn
}

// Insn is one instruction, or a label when Label is set.
type Insn struct {
	op     byte
	a, b   int
	lit    int
	ref    string // string, type, field or method named by the instruction
	refs   byte   // which table ref is in: 's', 't', 'f', 'm'
	args   []int  // invoke argument registers
	target string // branch label
	Label  string
}

// The instructions the tests use; registers are numbered v0 up.
func ReturnVoid() Insn                   { return Insn{op: 0x0e} }
func Return(r int) Insn                  { return Insn{op: 0x0f, a: r} }
func ReturnObject(r int) Insn            { return Insn{op: 0x11, a: r} }
func MoveResult(r int) Insn              { return Insn{op: 0x0a, a: r} }
func MoveResultObject(r int) Insn        { return Insn{op: 0x0c, a: r} }
func Const4(r, v int) Insn               { return Insn{op: 0x12, a: r, lit: v} }
func Const16(r, v int) Insn              { return Insn{op: 0x13, a: r, lit: v} }
func ConstString(r int, s string) Insn   { return Insn{op: 0x1a, a: r, ref: s, refs: 's'} }
func NewInstance(r int, typ string) Insn { return Insn{op: 0x22, a: r, ref: typ, refs: 't'} }
func Throw(r int) Insn                   { return Insn{op: 0x27, a: r} }
func Goto(label string) Insn             { return Insn{op: 0x29, target: label} }
func IfEqz(r int, label string) Insn     { return Insn{op: 0x38, a: r, target: label} }
func IfNez(r int, label string) Insn     { return Insn{op: 0x39, a: r, target: label} }
func Iget(dst, obj int, field string) Insn {
	return Insn{op: 0x52, a: dst, b: obj, ref: field, refs: 'f'}
}
func SgetObject(r int, field string) Insn             { return Insn{op: 0x62, a: r, ref: field, refs: 'f'} }
func AndIntLit8(dst, src, lit int) Insn               { return Insn{op: 0xdd, a: dst, b: src, lit: lit} }
func InvokeVirtual(method string, args ...int) Insn   { return invoke(0x6e, method, args) }
func InvokeSuper(method string, args ...int) Insn     { return invoke(0x6f, method, args) }
func InvokeDirect(method string, args ...int) Insn    { return invoke(0x70, method, args) }
func InvokeStatic(method string, args ...int) Insn    { return invoke(0x71, method, args) }
func InvokeInterface(method string, args ...int) Insn { return invoke(0x72, method, args) }
func Label(name string) Insn                          { return Insn{Label: name} }

func invoke(op byte, method string, args []int) Insn {
	return Insn{op: op, ref: method, refs: 'm', args: args}
}

// units is the instruction's size in 16-bit code units.
func (in Insn) units() int {
	switch {
	case in.Label != "":
		return 0
	case in.op == 0x0a || in.op == 0x0c || in.op == 0x0e || in.op == 0x0f || in.op == 0x11 ||
		in.op == 0x12 || in.op == 0x27:
		return 1
	case in.refs == 'm':
		return 3
	default:
		return 2
	}
}

// Bytes writes f as a DEX file (version 035).
func (f *File) Bytes() ([]byte, error) {
	w := newWriter()
	if err := w.collect(f); err != nil {
		return nil, err
	}
	return w.write(f)
}

type proto struct {
	ret    string
	params []string
}

type member struct{ class, name, typ string } // typ: field type or proto

type writer struct {
	strings  []string
	stringIx map[string]int
	types    []string
	typeIx   map[string]int
	protos   []proto
	protoIx  map[string]int
	fields   []member
	fieldIx  map[member]int
	methods  []member
	methodIx map[member]int
}

func newWriter() *writer {
	return &writer{stringIx: map[string]int{}, typeIx: map[string]int{}, protoIx: map[string]int{},
		fieldIx: map[member]int{}, methodIx: map[member]int{}}
}

func (w *writer) str(s string) { w.stringIx[s] = 0 }

func (w *writer) typ(t string) {
	w.str(t)
	w.typeIx[t] = 0
}

func (w *writer) proto(p string) error {
	pr, err := parseProto(p)
	if err != nil {
		return err
	}
	w.str(shorty(pr))
	w.typ(pr.ret)
	for _, t := range pr.params {
		w.typ(t)
	}
	w.protoIx[p] = 0
	return nil
}

// parseField takes "Lcls;->name:Ltype;".
func parseField(ref string) (member, error) {
	cls, rest, ok := strings.Cut(ref, "->")
	name, typ, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 {
		return member{}, fmt.Errorf("field reference %q is not Lcls;->name:type", ref)
	}
	return member{cls, name, typ}, nil
}

// parseMethod takes "Lcls;->name(params)ret".
func parseMethod(ref string) (member, error) {
	cls, rest, ok := strings.Cut(ref, "->")
	i := strings.IndexByte(rest, '(')
	if !ok || i < 0 {
		return member{}, fmt.Errorf("method reference %q is not Lcls;->name(params)ret", ref)
	}
	return member{cls, rest[:i], rest[i:]}, nil
}

func (w *writer) field(ref string) error {
	m, err := parseField(ref)
	if err != nil {
		return err
	}
	cls, name, typ := m.class, m.name, m.typ
	w.typ(cls)
	w.typ(typ)
	w.str(name)
	w.fieldIx[m] = 0
	return nil
}

func (w *writer) method(ref string) error {
	m, err := parseMethod(ref)
	if err != nil {
		return err
	}
	w.typ(m.class)
	w.str(m.name)
	if err := w.proto(m.typ); err != nil {
		return err
	}
	w.methodIx[m] = 0
	return nil
}

func (w *writer) collect(f *File) error {
	for _, s := range f.Strings {
		w.str(s)
	}
	for _, c := range f.Classes {
		w.typ(c.Name)
		w.typ(superOf(c))
		for _, t := range c.Interfaces {
			w.typ(t)
		}
		for _, m := range c.Methods {
			if err := w.method(c.Name + "->" + m.Name + m.Proto); err != nil {
				return err
			}
			for _, in := range m.Code {
				var err error
				switch in.refs {
				case 's':
					w.str(in.ref)
				case 't':
					w.typ(in.ref)
				case 'f':
					err = w.field(in.ref)
				case 'm':
					err = w.method(in.ref)
				}
				if err != nil {
					return err
				}
			}
		}
	}
	// Index every table in the order the format requires.
	w.strings = sortedKeys(w.stringIx, func(a, b string) bool { return utf16Less(a, b) })
	for i, s := range w.strings {
		w.stringIx[s] = i
	}
	w.types = sortedKeys(w.typeIx, func(a, b string) bool { return w.stringIx[a] < w.stringIx[b] })
	for i, t := range w.types {
		w.typeIx[t] = i
	}
	for p := range w.protoIx {
		pr, _ := parseProto(p)
		w.protos = append(w.protos, pr)
	}
	sort.Slice(w.protos, func(i, j int) bool { return w.protoLess(w.protos[i], w.protos[j]) })
	for i, pr := range w.protos {
		w.protoIx[pr.String()] = i
	}
	w.fields = sortedKeys(w.fieldIx, func(a, b member) bool {
		return w.memberLess(a, b, w.typeIx[a.typ], w.typeIx[b.typ])
	})
	for i, m := range w.fields {
		w.fieldIx[m] = i
	}
	w.methods = sortedKeys(w.methodIx, func(a, b member) bool {
		return w.memberLess(a, b, w.protoIx[a.typ], w.protoIx[b.typ])
	})
	for i, m := range w.methods {
		w.methodIx[m] = i
	}
	return nil
}

func (w *writer) memberLess(a, b member, ta, tb int) bool {
	if ca, cb := w.typeIx[a.class], w.typeIx[b.class]; ca != cb {
		return ca < cb
	}
	if na, nb := w.stringIx[a.name], w.stringIx[b.name]; na != nb {
		return na < nb
	}
	return ta < tb
}

func (w *writer) protoLess(a, b proto) bool {
	if ra, rb := w.typeIx[a.ret], w.typeIx[b.ret]; ra != rb {
		return ra < rb
	}
	for i := 0; i < len(a.params) && i < len(b.params); i++ {
		if pa, pb := w.typeIx[a.params[i]], w.typeIx[b.params[i]]; pa != pb {
			return pa < pb
		}
	}
	return len(a.params) < len(b.params)
}

// write lays the file out: header, id tables, then the data section
// (type lists, code, class data, string data, map list).
func (w *writer) write(f *File) ([]byte, error) {
	const header = 0x70
	off := header
	stringIDs := off
	off += 4 * len(w.strings)
	typeIDs := off
	off += 4 * len(w.types)
	protoIDs := off
	off += 12 * len(w.protos)
	fieldIDs := off
	off += 8 * len(w.fields)
	methodIDs := off
	off += 8 * len(w.methods)
	classDefs := off
	off += 32 * len(f.Classes)
	dataOff := off

	var data bytes.Buffer
	at := func() int { return dataOff + data.Len() }
	align4 := func() {
		for at()%4 != 0 {
			data.WriteByte(0)
		}
	}
	le16 := func(v int) { data.Write(binary.LittleEndian.AppendUint16(nil, uint16(v))) }
	le32 := func(v int) { data.Write(binary.LittleEndian.AppendUint32(nil, uint32(v))) }
	type section struct{ kind, count, off int }
	var sections []section

	// Type lists: proto parameters and class interfaces, shared when equal.
	typeLists := map[string]int{}
	typeList := func(ts []string) {
		key := strings.Join(ts, "")
		if len(ts) == 0 || typeLists[key] != 0 {
			return
		}
		align4()
		typeLists[key] = at()
		le32(len(ts))
		for _, t := range ts {
			le16(w.typeIx[t])
		}
	}
	first := at()
	for _, p := range w.protos {
		typeList(p.params)
	}
	for _, c := range f.Classes {
		typeList(c.Interfaces)
	}
	if len(typeLists) > 0 {
		sections = append(sections, section{0x1001, len(typeLists), first})
	}

	// Code items.
	align4()
	codeStart, codes := at(), 0
	codeOff := map[member]int{}
	for _, c := range f.Classes {
		for _, m := range c.Methods {
			insns, err := w.assemble(m.Code)
			if err != nil {
				return nil, fmt.Errorf("%s->%s: %v", c.Name, m.Name, err)
			}
			pr, _ := parseProto(m.Proto)
			ins := 0
			for _, t := range pr.params {
				ins += words(t)
			}
			if !m.Static {
				ins++
			}
			outs := 0
			for _, in := range m.Code {
				if in.refs == 'm' {
					outs = max(outs, len(in.args))
				}
			}
			align4()
			codeOff[member{c.Name, m.Name, m.Proto}] = at()
			codes++
			le16(m.Locals + ins)
			le16(ins)
			le16(outs)
			le16(0) // tries
			le32(0) // debug info
			le32(len(insns))
			for _, u := range insns {
				le16(int(u))
			}
		}
	}
	if codes > 0 {
		sections = append(sections, section{0x2001, codes, codeStart})
	}

	// Class data.
	classData := make([]int, len(f.Classes))
	cdStart := at()
	for i, c := range f.Classes {
		classData[i] = at()
		var direct, virtual []Method
		for _, m := range c.Methods {
			if m.Static || m.Name == "<init>" || m.Name == "<clinit>" {
				direct = append(direct, m)
			} else {
				virtual = append(virtual, m)
			}
		}
		data.Write(uleb(0))
		data.Write(uleb(0))
		data.Write(uleb(len(direct)))
		data.Write(uleb(len(virtual)))
		for _, list := range [][]Method{direct, virtual} {
			idx := func(m Method) int { return w.methodIx[member{c.Name, m.Name, m.Proto}] }
			sort.Slice(list, func(i, j int) bool { return idx(list[i]) < idx(list[j]) })
			prev := 0
			for _, m := range list {
				flags := 0x1 // public
				if m.Static {
					flags |= 0x8
				}
				if m.Name == "<init>" || m.Name == "<clinit>" {
					flags |= 0x10000
				}
				data.Write(uleb(idx(m) - prev))
				prev = idx(m)
				data.Write(uleb(flags))
				data.Write(uleb(codeOff[member{c.Name, m.Name, m.Proto}]))
			}
		}
	}
	if len(f.Classes) > 0 {
		sections = append(sections, section{0x2000, len(f.Classes), cdStart})
	}

	// String data.
	stringData := make([]int, len(w.strings))
	sdStart := at()
	for i, s := range w.strings {
		stringData[i] = at()
		data.Write(uleb(len(utf16.Encode([]rune(s)))))
		data.Write(mutf8(s))
		data.WriteByte(0)
	}
	sections = append(sections, section{0x2002, len(w.strings), sdStart})

	// The map list names every section, in offset order.
	align4()
	mapOff := at()
	head := []section{{0x0000, 1, 0}}
	for _, s := range []section{{0x0001, len(w.strings), stringIDs}, {0x0002, len(w.types), typeIDs},
		{0x0003, len(w.protos), protoIDs}, {0x0004, len(w.fields), fieldIDs},
		{0x0005, len(w.methods), methodIDs}, {0x0006, len(f.Classes), classDefs}} {
		if s.count > 0 {
			head = append(head, s)
		}
	}
	sections = append(append(head, sections...), section{0x1000, 1, mapOff})
	le32(len(sections))
	for _, s := range sections {
		le16(s.kind)
		le16(0)
		le32(s.count)
		le32(s.off)
	}

	// Now the fixed-size part, which points into the data.
	out := make([]byte, dataOff, dataOff+data.Len())
	put := func(at, v int) { binary.LittleEndian.PutUint32(out[at:], uint32(v)) }
	put16 := func(at, v int) { binary.LittleEndian.PutUint16(out[at:], uint16(v)) }
	copy(out, "dex\n035\x00")
	put(0x24, header)
	put(0x28, 0x12345678)
	put(0x34, mapOff)
	for i, t := range []struct{ n, off int }{{len(w.strings), stringIDs}, {len(w.types), typeIDs},
		{len(w.protos), protoIDs}, {len(w.fields), fieldIDs}, {len(w.methods), methodIDs}, {len(f.Classes), classDefs}} {
		if t.n > 0 {
			put(0x38+8*i, t.n)
			put(0x3c+8*i, t.off)
		}
	}
	put(0x68, data.Len())
	put(0x6c, dataOff)
	for i := range w.strings {
		put(stringIDs+4*i, stringData[i])
	}
	for i, t := range w.types {
		put(typeIDs+4*i, w.stringIx[t])
	}
	for i, p := range w.protos {
		at := protoIDs + 12*i
		put(at, w.stringIx[shorty(p)])
		put(at+4, w.typeIx[p.ret])
		if len(p.params) > 0 {
			put(at+8, typeLists[strings.Join(p.params, "")])
		}
	}
	for i, m := range w.fields {
		at := fieldIDs + 8*i
		put16(at, w.typeIx[m.class])
		put16(at+2, w.typeIx[m.typ])
		put(at+4, w.stringIx[m.name])
	}
	for i, m := range w.methods {
		at := methodIDs + 8*i
		put16(at, w.typeIx[m.class])
		put16(at+2, w.protoIx[m.typ])
		put(at+4, w.stringIx[m.name])
	}
	for i, c := range f.Classes {
		at := classDefs + 32*i
		put(at, w.typeIx[c.Name])
		put(at+4, 0x1) // public
		put(at+8, w.typeIx[superOf(c)])
		if len(c.Interfaces) > 0 {
			put(at+12, typeLists[strings.Join(c.Interfaces, "")])
		}
		put(at+16, -1) // no source file
		put(at+24, classData[i])
	}
	out = append(out, data.Bytes()...)
	put(0x20, len(out))
	sum := sha1.Sum(out[32:])
	copy(out[12:32], sum[:])
	put(0x08, int(adler32.Checksum(out[12:])))
	return out, nil
}

// assemble encodes instructions, resolving references and labels.
func (w *writer) assemble(code []Insn) ([]uint16, error) {
	labels := map[string]int{}
	pc := 0
	for _, in := range code {
		if in.Label != "" {
			labels[in.Label] = pc
		}
		pc += in.units()
	}
	var out []uint16
	for _, in := range code {
		if in.Label != "" {
			continue
		}
		pc := len(out)
		op := uint16(in.op)
		ref := 0
		switch in.refs {
		case 's':
			ref = w.stringIx[in.ref]
		case 't':
			ref = w.typeIx[in.ref]
		case 'f':
			m, _ := parseField(in.ref)
			ref = w.fieldIx[m]
		case 'm':
			m, _ := parseMethod(in.ref)
			ref = w.methodIx[m]
		}
		branch := 0
		if in.target != "" {
			t, ok := labels[in.target]
			if !ok {
				return nil, fmt.Errorf("no label %q", in.target)
			}
			branch = t - pc
		}
		switch in.op {
		case 0x0e:
			out = append(out, op)
		case 0x0a, 0x0c, 0x0f, 0x11, 0x27:
			out = append(out, op|uint16(in.a)<<8)
		case 0x12:
			out = append(out, op|uint16(in.a)<<8|uint16(in.lit&0xf)<<12)
		case 0x13:
			out = append(out, op|uint16(in.a)<<8, uint16(in.lit))
		case 0x29:
			out = append(out, op, uint16(branch))
		case 0x38, 0x39:
			out = append(out, op|uint16(in.a)<<8, uint16(branch))
		case 0x52:
			out = append(out, op|uint16(in.a)<<8|uint16(in.b)<<12, uint16(ref))
		case 0xdd:
			out = append(out, op|uint16(in.a)<<8, uint16(in.b)|uint16(in.lit&0xff)<<8)
		case 0x6e, 0x6f, 0x70, 0x71, 0x72:
			if len(in.args) > 5 {
				return nil, fmt.Errorf("invoke with %d arguments", len(in.args))
			}
			var regs [5]int
			copy(regs[:], in.args)
			out = append(out, op|uint16(len(in.args))<<12|uint16(regs[4])<<8, uint16(ref),
				uint16(regs[0]|regs[1]<<4|regs[2]<<8|regs[3]<<12))
		default: // 21c: const-string, new-instance, sget-object
			out = append(out, op|uint16(in.a)<<8, uint16(ref))
		}
	}
	return out, nil
}

func superOf(c Class) string {
	if c.Super == "" {
		return "Ljava/lang/Object;"
	}
	return c.Super
}

func parseProto(p string) (proto, error) {
	if !strings.HasPrefix(p, "(") {
		return proto{}, fmt.Errorf("prototype %q does not start with (", p)
	}
	end := strings.IndexByte(p, ')')
	if end < 0 || end == len(p)-1 {
		return proto{}, fmt.Errorf("prototype %q has no return type", p)
	}
	pr := proto{ret: p[end+1:]}
	for rest := p[1:end]; rest != ""; {
		i := 0
		for i < len(rest) && rest[i] == '[' {
			i++
		}
		if i < len(rest) && rest[i] == 'L' {
			j := strings.IndexByte(rest[i:], ';')
			if j < 0 {
				return proto{}, fmt.Errorf("prototype %q: unterminated class", p)
			}
			i += j
		}
		pr.params = append(pr.params, rest[:i+1])
		rest = rest[i+1:]
	}
	return pr, nil
}

func (p proto) String() string { return "(" + strings.Join(p.params, "") + ")" + p.ret }

func shorty(p proto) string {
	s := []byte{shortyChar(p.ret)}
	for _, t := range p.params {
		s = append(s, shortyChar(t))
	}
	return string(s)
}

func shortyChar(t string) byte {
	if t[0] == '[' {
		return 'L'
	}
	return t[0]
}

func words(t string) int {
	if t == "J" || t == "D" {
		return 2
	}
	return 1
}

func uleb(v int) []byte {
	var out []byte
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}

// mutf8 encodes s as Modified UTF-8: NUL as two bytes, and characters
// outside the BMP as two three-byte surrogates.
func mutf8(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		switch {
		case u != 0 && u < 0x80:
			out = append(out, byte(u))
		case u < 0x800:
			out = append(out, 0xc0|byte(u>>6), 0x80|byte(u&0x3f))
		default:
			out = append(out, 0xe0|byte(u>>12), 0x80|byte(u>>6&0x3f), 0x80|byte(u&0x3f))
		}
	}
	return out
}

func utf16Less(a, b string) bool {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return len(ua) < len(ub)
}

func sortedKeys[K comparable](m map[K]int, less func(a, b K) bool) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

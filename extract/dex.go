package extract

import (
	"bytes"
	"errors"
	"fmt"
)

// dex renders a DEX file as its string table, one string a line, followed
// by a line for each method whose bytecode shape matters to TLS security
// (see dex_shapes.go). A file whose tables cannot be read falls back to
// its printable strings.
func (x *job) dex(sc scope, data []byte) {
	d, err := parseDex(data)
	if err != nil {
		x.malformed(sc, "DEX file", err, data)
		return
	}
	var refs dexRefs
	text, bad := d.renderStrings(&refs)
	if bad > 0 {
		x.malformed(sc, "DEX file", fmt.Errorf("%d of %d strings could not be read", bad, d.strings.n), data)
		text = text[:0]
	}
	refs.resolve(d)
	text, err = x.dexShapes(sc, d, &refs, text)
	if err != nil {
		x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("malformed DEX class data: %v; some methods were not analysed", err)})
	}
	x.emitRendered(sc, "dex", text)
}

// renderStrings renders the string table and notes the watched strings.
// The output is bounded by the work budget, so a table whose entries all
// point at one long string cannot blow up.
func (d *dexFile) renderStrings(refs *dexRefs) (text []byte, bad int) {
	text = make([]byte, 0, len(d.data)/2)
	for i := range d.strings.n {
		s, ok := d.stringData(i)
		if !ok {
			bad++
			if d.budget < 0 {
				return text, int(d.strings.n - i)
			}
			continue
		}
		refs.watchString(i, s)
		text = append(appendMUTF8(text, s), '\n')
	}
	return text, bad
}

// dexShapes appends a line for each method whose shape matters. Only
// methods with a watched name are decoded, and every method only when the
// file references a member that disables TLS checks.
func (x *job) dexShapes(sc scope, d *dexFile, refs *dexRefs, text []byte) ([]byte, error) {
	var firstErr error
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	var classes *dexClasses
	for i := range d.classDefs.n {
		if i%1024 == 0 && !x.alive(sc) {
			break
		}
		cd, _ := d.classDef(i)
		methods, err := d.classMethods(cd.dataOff)
		if err != nil {
			fail(err)
			if errors.Is(err, errDexBudget) {
				break
			}
			continue
		}
		libraryClass := false
		if refs.uses {
			desc, _ := d.typeName(cd.class)
			libraryClass = bytes.HasPrefix(desc, []byte("Lorg/apache/http/conn/ssl/")) // the verifiers' own code
		}
		for _, m := range methods {
			if m.code == 0 {
				continue
			}
			mr, ok := d.member(d.methods, m.method)
			if !ok {
				fail(errDexBounds)
				continue
			}
			name := refs.strings[mr.name]
			watched := name == "checkServerTrusted" || name == "verify" || name == "onReceivedSslError"
			if !watched && (!refs.uses || libraryClass) {
				continue
			}
			insns, ok := d.codeInsns(m.code)
			if !ok {
				fail(errDexBounds)
				continue
			}
			sh, ok := refs.analyse(insns)
			if !ok {
				fail(errors.New("an instruction runs past the end of its method"))
			}
			if !watched && len(sh.uses) == 0 {
				continue
			}
			if classes == nil {
				classes = newDexClasses(d, refs)
			}
			if name == "" {
				b, _ := d.stringData(mr.name)
				name = string(appendMUTF8(nil, b))
			}
			proto, ok := d.protoString(mr.typ)
			if !ok {
				fail(errDexBounds)
				continue
			}
			text = append(text, classes.line(cd.class, name, proto, sh)...)
		}
	}
	if d.budget < 0 {
		fail(errDexBudget)
	}
	return text, firstErr
}

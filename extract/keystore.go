package extract

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// keystore reports a Java keystore, BKS or PKCS#12 file as such: a fact
// line the android-embedded-keystore rule matches,
//
//	keyhole: keystore type=JKS version=2 entries=2 private-keys=1
//	keyhole: keystore alias=upload kind=private-key
//
// (aliases for JKS and JCEKS, whose layout is plain), then the file's
// printable strings so that nothing in a misnamed file is missed.
func (x *job) keystore(sc scope, data []byte) {
	var b bytes.Buffer
	b.WriteString(describeKeystore(data, sc.name))
	b.Write(printableStrings(data, minStringLen))
	x.emitRendered(sc, "keystore", b.Bytes())
}

// maxKeystoreEntries bounds how many aliases are listed.
const maxKeystoreEntries = 1000

func describeKeystore(data []byte, name string) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xfe, 0xed, 0xfe, 0xed}):
		return describeJKS("JKS", data)
	case bytes.HasPrefix(data, []byte{0xce, 0xce, 0xce, 0xce}):
		return describeJKS("JCEKS", data)
	}
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".bks"):
		return "keyhole: keystore type=BKS\n"
	case strings.HasSuffix(lower, ".p12"), strings.HasSuffix(lower, ".pfx"), len(data) > 0 && data[0] == 0x30:
		return "keyhole: keystore type=PKCS12\n"
	}
	return "keyhole: keystore type=unknown\n"
}

// describeJKS walks JKS/JCEKS entries: tag, alias, date, then a private
// key with its certificate chain or a trusted certificate. A JCEKS secret
// key is a serialized Java object whose length is not stored, so the walk
// stops there.
func describeJKS(kind string, data []byte) string {
	r := jksReader{b: data[4:]}
	version, count := r.u32(), r.u32()
	var aliases strings.Builder
	entries, keys := 0, 0
	for ; entries < int(min(count, maxKeystoreEntries)) && r.err == nil; entries++ {
		tag := r.u32()
		alias := r.utf()
		r.skip(8) // date
		switch tag {
		case 1:
			keys++
			r.skip(int(r.u32()))
			for n := r.u32(); n > 0 && r.err == nil; n-- {
				if version == 2 {
					r.utf()
				}
				r.skip(int(r.u32()))
			}
		case 2:
			if version == 2 {
				r.utf()
			}
			r.skip(int(r.u32()))
		default:
			r.err = errTruncated // a secret key (JCEKS) or something unknown
		}
		if alias != "" {
			fmt.Fprintf(&aliases, "keyhole: keystore alias=%s kind=%s\n", strings.Join(strings.Fields(alias), "_"),
				map[uint32]string{1: "private-key", 2: "trusted-certificate", 3: "secret-key"}[tag])
		}
	}
	return fmt.Sprintf("keyhole: keystore type=%s version=%d entries=%d private-keys=%d\n", kind, version, count, keys) + aliases.String()
}

// jksReader reads big-endian fields, remembering the first overrun.
type jksReader struct {
	b   []byte
	err error
}

func (r *jksReader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errTruncated
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *jksReader) skip(n int) { r.take(n) }

func (r *jksReader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

func (r *jksReader) utf() string {
	b := r.take(2)
	if b == nil {
		return ""
	}
	return string(r.take(int(binary.BigEndian.Uint16(b))))
}

func isKeystoreName(lowerName string) bool {
	for _, ext := range []string{".jks", ".keystore", ".bks", ".p12", ".pfx"} {
		if strings.HasSuffix(lowerName, ext) {
			return true
		}
	}
	return false
}

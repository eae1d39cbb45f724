// Package hostilegen builds hostile inputs for keyhole's tests: truncated
// and malformed files of every format it parses, archives that lie about
// their sizes or overlap, and bombs. Small cases are committed to
// testdata/hostile by testdata/hostile/gen; big ones are built on the fly
// by the tests, never committed.
//
// Every case hides Secret inside its malformed region, so that tests can
// check that no warning or error ever repeats what it was reading.
package hostilegen

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"

	"github.com/keyholesec/keyhole/internal/dexgen"
	"github.com/keyholesec/keyhole/internal/hermesgen"
)

// Secret is planted in every case; it matches the github-pat rule.
const Secret = "ghp_Hq7Lw2Xe9Rt4Yu6Io8Pa1Sd3Fg5Hj0Kl2Zx4"

// Case is one hostile file.
type Case struct {
	Name string // file name, which decides nothing: detection is by content
	Data []byte
}

// Small returns the cases small enough to commit (a few KB each).
func Small() []Case {
	planted := []byte("token=" + Secret + "\n")
	return []Case{
		{"truncated.zip", truncatedZip(planted)},
		{"lying-size.zip", lyingSizeZip()},
		{"overlapping.zip", Overlapping(1<<16, 64)},
		{"deep.zip", Nested(8, "secret.txt", planted)},
		{"zip-slip.zip", Zip(Member{"../../escaped.txt", planted}, Member{"/abs/escaped.txt", planted})},
		{"random.apk", randomBytes(1, 16<<10, planted)},
		{"no-arsc.apk", Zip(Member{"AndroidManifest.xml", hugeAXML(planted)}, Member{"classes.dex", hugeDEX(planted)})},
		{"huge-count.axml", hugeAXML(planted)},
		{"huge-count.arsc", hugeARSC(planted)},
		{"huge-count.dex", hugeDEX(planted)},
		{"truncated.dex", truncate(validDEX(), 0.6)},
		{"past-end.elf", pastEndELF(planted)},
		{"past-end.macho", pastEndMachO(planted)},
		{"self-fat.macho", selfFatMachO(planted)},
		{"cycle.plist", cyclePlist(planted)},
		{"huge-length.mobileprovision", hugeProvision(planted)},
		{"huge-count.hbc", hugeHermes(planted)},
		{"truncated.hbc", truncate(validHermes(), 0.5)},
		{"huge-count.jks", hugeJKS(planted)},
	}
}

// Member is a file inside a zip.
type Member struct {
	Name string
	Data []byte
}

// Zip returns a deflated archive of members.
func Zip(members ...Member) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, m := range members {
		f, err := w.Create(m.Name)
		if err != nil {
			panic(err)
		}
		f.Write(m.Data)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Nested wraps a member in depth levels of zip archives (depth 1 is a plain zip).
func Nested(depth int, name string, data []byte) []byte {
	z := Zip(Member{name, data})
	for i := 1; i < depth; i++ {
		z = Zip(Member{"inner.zip", z})
	}
	return z
}

// Bomb is a zip of n members, each size bytes of zeros (a ratio near 1000:1).
func Bomb(n, size int) []byte {
	zeros := make([]byte, size)
	members := make([]Member, n)
	for i := range members {
		members[i] = Member{string(rune('a'+i%26)) + ".bin", zeros}
	}
	return Zip(members...)
}

// NestedBomb is 42.zip's shape: every level holds fan copies of the level
// below; the leaves are size bytes of zeros.
func NestedBomb(levels, fan, size int) []byte {
	z := Bomb(fan, size)
	for i := 1; i < levels; i++ {
		members := make([]Member, fan)
		for j := range members {
			members[j] = Member{string(rune('a'+j%26)) + ".zip", z}
		}
		z = Zip(members...)
	}
	return z
}

// Overlapping is a non-recursive bomb (after David Fifield): one
// compressed member of size text bytes, and n central directory entries
// that all point at it, each a different name.
func Overlapping(size, n int) []byte {
	// Zeros with a random byte every 64: a ratio near 50:1, under the limit.
	body := make([]byte, size)
	r := rand.New(rand.NewPCG(2, 2))
	for i := 0; i < size; i += 64 {
		body[i] = byte('a' + r.IntN(26))
	}
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	crc := crc32.ChecksumIEEE(body)

	var b bytes.Buffer
	le := binary.LittleEndian
	local := le.AppendUint32(nil, 0x04034b50)
	local = le.AppendUint16(local, 20) // version needed
	local = le.AppendUint16(local, 0)  // flags
	local = le.AppendUint16(local, 8)  // deflate
	local = le.AppendUint32(local, 0)  // time, date
	local = le.AppendUint32(local, crc)
	local = le.AppendUint32(local, uint32(comp.Len()))
	local = le.AppendUint32(local, uint32(size))
	local = le.AppendUint16(local, 1) // name length
	local = le.AppendUint16(local, 0) // extra length
	b.Write(local)
	b.WriteString("a")
	b.Write(comp.Bytes())
	cdStart := b.Len()
	for i := 0; i < n; i++ {
		name := []byte{byte('a' + i%26), byte('a' + i/26%26), byte('a' + i/676%26)}
		cd := le.AppendUint32(nil, 0x02014b50)
		cd = le.AppendUint16(cd, 20) // made by
		cd = le.AppendUint16(cd, 20) // needed
		cd = le.AppendUint16(cd, 0)
		cd = le.AppendUint16(cd, 8)
		cd = le.AppendUint32(cd, 0)
		cd = le.AppendUint32(cd, crc)
		cd = le.AppendUint32(cd, uint32(comp.Len()))
		cd = le.AppendUint32(cd, uint32(size))
		cd = le.AppendUint16(cd, uint16(len(name)))
		cd = le.AppendUint16(cd, 0) // extra
		cd = le.AppendUint16(cd, 0) // comment
		cd = le.AppendUint16(cd, 0) // disk
		cd = le.AppendUint16(cd, 0) // internal attributes
		cd = le.AppendUint32(cd, 0) // external attributes
		cd = le.AppendUint32(cd, 0) // every entry points at the one local header
		b.Write(cd)
		b.Write(name)
	}
	cdLen := b.Len() - cdStart
	end := le.AppendUint32(nil, 0x06054b50)
	end = le.AppendUint32(end, 0)
	end = le.AppendUint16(end, uint16(n))
	end = le.AppendUint16(end, uint16(n))
	end = le.AppendUint32(end, uint32(cdLen))
	end = le.AppendUint32(end, uint32(cdStart))
	end = le.AppendUint16(end, 0)
	b.Write(end)
	return b.Bytes()
}

// truncatedZip is an archive whose central directory is cut off; its one
// member is stored, so the planted text is in the clear.
func truncatedZip(planted []byte) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, _ := w.CreateHeader(&zip.FileHeader{Name: "config.txt", Method: zip.Store})
	f.Write(planted)
	w.Close()
	return b.Bytes()[:b.Len()-40]
}

// lyingSizeZip holds a member that declares 64 bytes and inflates to 8 MB.
func lyingSizeZip() []byte {
	body := make([]byte, 8<<20)
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, _ := w.CreateRaw(&zip.FileHeader{Name: "small.txt", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(body[:64]), CompressedSize64: uint64(comp.Len()), UncompressedSize64: 64})
	f.Write(comp.Bytes())
	w.Close()
	return b.Bytes()
}

func randomBytes(seed uint64, n int, planted []byte) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b[n/2:], planted)
	return b
}

func truncate(b []byte, frac float64) []byte { return b[:int(float64(len(b))*frac)] }

// hugeAXML is binary XML whose string pool claims 2^28 strings.
func hugeAXML(planted []byte) []byte {
	le := binary.LittleEndian
	b := le.AppendUint16(nil, 0x0003) // RES_XML_TYPE
	b = le.AppendUint16(b, 8)
	b = le.AppendUint32(b, 0)      // total size, set below
	b = le.AppendUint16(b, 0x0001) // string pool
	b = le.AppendUint16(b, 28)
	b = le.AppendUint32(b, 0x7ffffff0) // chunk size past the end
	b = le.AppendUint32(b, 1<<28)      // string count
	b = le.AppendUint32(b, 1<<28)      // style count
	b = le.AppendUint32(b, 1<<8)       // UTF-8
	b = le.AppendUint32(b, 0xfffffff0) // strings start
	b = le.AppendUint32(b, 0xfffffff0) // styles start
	b = append(b, planted...)
	le.PutUint32(b[4:], uint32(len(b)))
	return b
}

// hugeARSC is a resource table claiming 2^30 packages in a chunk past the end.
func hugeARSC(planted []byte) []byte {
	le := binary.LittleEndian
	b := le.AppendUint16(nil, 0x0002) // RES_TABLE_TYPE
	b = le.AppendUint16(b, 12)
	b = le.AppendUint32(b, 0x7fffffff)
	b = le.AppendUint32(b, 1<<30)
	b = le.AppendUint16(b, 0x0200) // a package chunk
	b = le.AppendUint16(b, 0xffff) // header size past the end
	b = le.AppendUint32(b, 0xfffffff0)
	return append(b, planted...)
}

// hugeDEX is a DEX header whose tables point far past the end of the file.
func hugeDEX(planted []byte) []byte {
	b := make([]byte, 0x70)
	copy(b, "dex\n035\x00")
	le := binary.LittleEndian
	le.PutUint32(b[0x20:], 0x70+uint32(len(planted))) // file size
	le.PutUint32(b[0x24:], 0x70)                      // header size
	le.PutUint32(b[0x28:], 0x12345678)                // endian tag
	for off := 0x38; off < 0x70; off += 8 {
		le.PutUint32(b[off:], 0x7fffffff)   // count
		le.PutUint32(b[off+4:], 0xfffffff0) // offset
	}
	le.PutUint32(b[0x38:], 2)    // string ids: two ...
	le.PutUint32(b[0x3c:], 0x70) // ... whose offsets are the planted text, read as numbers
	return append(b, planted...)
}

func validDEX() []byte {
	b, err := (&dexgen.File{Strings: []string{"token=" + Secret}}).Bytes()
	if err != nil {
		panic(err)
	}
	return b
}

// pastEndELF is a 64-bit ELF header whose section table lies past the end.
func pastEndELF(planted []byte) []byte {
	b := make([]byte, 64)
	copy(b, "\x7fELF\x02\x01\x01")
	le := binary.LittleEndian
	le.PutUint16(b[16:], 3)      // shared object
	le.PutUint16(b[18:], 0xb7)   // arm64
	le.PutUint32(b[20:], 1)      // version
	le.PutUint64(b[40:], 1<<40)  // section headers offset
	le.PutUint16(b[52:], 64)     // header size
	le.PutUint16(b[58:], 64)     // section header size
	le.PutUint16(b[60:], 0xffff) // section count
	le.PutUint16(b[62:], 0xfffe) // string table index
	return append(b, planted...)
}

// pastEndMachO is a thin 64-bit Mach-O whose segment points past the end
// and whose load commands claim more bytes than there are.
func pastEndMachO(planted []byte) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xfeedfacf)
	b = le.AppendUint32(b, 0x0100000c) // arm64
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, 2)          // executable
	b = le.AppendUint32(b, 2)          // load commands
	b = le.AppendUint32(b, 0x7ffffff0) // their size
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, 0)
	seg := le.AppendUint32(nil, 0x19) // LC_SEGMENT_64
	seg = le.AppendUint32(seg, 72)
	seg = append(seg, []byte("__TEXT\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")...)
	seg = le.AppendUint64(seg, 0)
	seg = le.AppendUint64(seg, 1<<40)
	seg = le.AppendUint64(seg, 1<<40) // file offset past the end
	seg = le.AppendUint64(seg, 1<<40) // file size
	seg = le.AppendUint32(seg, 7)
	seg = le.AppendUint32(seg, 5)
	seg = le.AppendUint32(seg, 0) // sections
	seg = le.AppendUint32(seg, 0)
	b = append(b, seg...)
	return append(b, planted...)
}

// selfFatMachO is a fat Mach-O whose first slice is the whole file
// (itself, fat header included) and whose second lies past the end.
func selfFatMachO(planted []byte) []byte {
	be := binary.BigEndian
	b := be.AppendUint32(nil, 0xcafebabe)
	b = be.AppendUint32(b, 2)
	size := uint32(8 + 2*20 + len(planted))
	for _, arch := range [][2]uint32{{0, size}, {1 << 30, 1 << 30}} {
		b = be.AppendUint32(b, 0x0100000c)
		b = be.AppendUint32(b, 0)
		b = be.AppendUint32(b, arch[0])
		b = be.AppendUint32(b, arch[1])
		b = be.AppendUint32(b, 0)
	}
	return append(b, planted...)
}

// cyclePlist is a binary plist whose root array contains itself, beside a
// string holding the planted text.
func cyclePlist(planted []byte) []byte {
	b := []byte("bplist00")
	offsets := []int{len(b)}
	b = append(b, 0xa2, 0, 1) // object 0: array of [0, 1]
	offsets = append(offsets, len(b))
	b = append(b, 0x5f, 0x10, byte(len(planted))) // object 1: ASCII string
	b = append(b, planted...)
	table := len(b)
	for _, o := range offsets {
		b = append(b, byte(o))
	}
	trailer := make([]byte, 32)
	trailer[6] = 1 // offset size
	trailer[7] = 1 // object ref size
	binary.BigEndian.PutUint64(trailer[8:], uint64(len(offsets)))
	binary.BigEndian.PutUint64(trailer[16:], 0) // root
	binary.BigEndian.PutUint64(trailer[24:], uint64(table))
	return append(b, trailer...)
}

// hugeProvision is a CMS envelope whose DER lengths claim 2 GB.
func hugeProvision(planted []byte) []byte {
	b := []byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
		0xa0, 0x84, 0x7f, 0xff, 0xff, 0x00}
	b = append(b, "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>Note</key><string>"...)
	return append(b, planted...)
}

func validHermes() []byte {
	return (&hermesgen.File{Strings: []string{"token=" + Secret, "https://api.example.com"}}).Bytes()
}

// hugeHermes is a Hermes bundle whose counts and sizes are all near 2^32.
func hugeHermes(planted []byte) []byte {
	b := validHermes()
	for off := 40; off+4 <= 40+19*4; off += 4 {
		binary.LittleEndian.PutUint32(b[off:], 0xfffffff0)
	}
	return append(b, planted...)
}

// hugeJKS is a Java keystore that claims 2^31 entries, the first with an
// alias length past the end.
func hugeJKS(planted []byte) []byte {
	be := binary.BigEndian
	b := be.AppendUint32(nil, 0xfeedfeed)
	b = be.AppendUint32(b, 2)
	b = be.AppendUint32(b, 0x7fffffff)
	b = be.AppendUint32(b, 1) // private key entry
	b = be.AppendUint16(b, 0xffff)
	return append(b, planted...)
}

package extract

// hermesMagic opens every Hermes bytecode bundle (little-endian u64).
const hermesMagic = 0x1F1903C103BC1FC6

// Placeholder until the Hermes reader lands: scan the printable strings.
func (x *job) hermes(sc scope, data []byte) {
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}

package extract

// Placeholder until the ELF reader lands: scan the printable strings.
func (x *job) elf(sc scope, data []byte) {
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}

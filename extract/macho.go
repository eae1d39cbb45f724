package extract

// Placeholder until the Mach-O reader lands: scan the printable strings.
func (x *job) macho(sc scope, data []byte) {
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}

package extract

// dalvikUnits is each opcode's instruction size in 16-bit code units, from
// the Dalvik instruction formats; unused opcodes count as one unit.
var dalvikUnits = func() (w [256]uint8) {
	set := func(lo, hi int, n uint8) {
		for op := lo; op <= hi; op++ {
			w[op] = n
		}
	}
	set(0x00, 0xff, 1)
	set(0x02, 0x02, 2) // move/from16
	set(0x03, 0x03, 3) // move/16
	set(0x05, 0x05, 2)
	set(0x06, 0x06, 3)
	set(0x08, 0x08, 2)
	set(0x09, 0x09, 3)
	set(0x13, 0x13, 2) // const/16
	set(0x14, 0x14, 3) // const
	set(0x15, 0x16, 2)
	set(0x17, 0x17, 3)
	set(0x18, 0x18, 5) // const-wide
	set(0x19, 0x1a, 2) // const-wide/high16, const-string
	set(0x1b, 0x1b, 3) // const-string/jumbo
	set(0x1c, 0x1c, 2)
	set(0x1f, 0x20, 2) // check-cast, instance-of
	set(0x22, 0x23, 2) // new-instance, new-array
	set(0x24, 0x26, 3) // filled-new-array*, fill-array-data
	set(0x29, 0x29, 2) // goto/16
	set(0x2a, 0x2c, 3) // goto/32, packed-switch, sparse-switch
	set(0x2d, 0x3d, 2) // cmp*, if-*
	set(0x44, 0x6d, 2) // aget/aput, iget/iput, sget/sput
	set(0x6e, 0x72, 3) // invoke-*
	set(0x74, 0x78, 3) // invoke-*/range
	set(0x90, 0xaf, 2) // binop
	set(0xd0, 0xe2, 2) // binop/lit16, binop/lit8
	set(0xfa, 0xfb, 4) // invoke-polymorphic*
	set(0xfc, 0xfd, 3) // invoke-custom*
	set(0xfe, 0xff, 2) // const-method-handle, const-method-type
	return w
}()

// dalvikInsnUnits is the size of the instruction at the start of in, or 0
// when it cannot be decoded. Switch and array-data payloads are
// pseudo-instructions that start with a nop opcode and carry their size.
func dalvikInsnUnits(in []uint16) int {
	if in[0]&0xff != 0 || in[0] == 0 {
		return int(dalvikUnits[in[0]&0xff])
	}
	if len(in) < 4 {
		return 0
	}
	switch in[0] {
	case 0x0100: // packed-switch-payload: size, first key, targets
		return 4 + 2*int(in[1])
	case 0x0200: // sparse-switch-payload: size, keys, targets
		return 2 + 4*int(in[1])
	case 0x0300: // fill-array-data-payload: element width, count, data
		bytes := uint64(in[1]) * (uint64(in[2]) | uint64(in[3])<<16)
		if bytes > 1<<32 {
			return 0
		}
		return 4 + int((bytes+1)/2)
	}
	return 1 // a nop with junk in its high byte
}

// dalvikWalk calls fn with each instruction's position and code units. It
// reports false when an instruction runs past the end of insns.
func dalvikWalk(insns []uint16, fn func(pc int, in []uint16)) bool {
	for pc := 0; pc < len(insns); {
		n := dalvikInsnUnits(insns[pc:])
		if n == 0 || n > len(insns)-pc {
			return false
		}
		fn(pc, insns[pc:pc+n])
		pc += n
	}
	return true
}

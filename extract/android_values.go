package extract

import (
	"fmt"
	"math"
	"strconv"
)

// Res_value data types (ResourceTypes.h).
const (
	valNull       = 0x00
	valReference  = 0x01
	valAttribute  = 0x02
	valString     = 0x03
	valFloat      = 0x04
	valDimension  = 0x05
	valFraction   = 0x06
	valDynamicRef = 0x07
	valDynamicAtt = 0x08
	valIntDec     = 0x10
	valIntHex     = 0x11
	valBool       = 0x12
	valColorFirst = 0x1c
	valColorLast  = 0x1f
)

// resValue is a typed value as binary XML and resources.arsc store it.
type resValue struct {
	typ  uint8
	data uint32
}

// parseResValue reads a Res_value (size u16, res0 u8, type u8, data u32).
func parseResValue(b []byte, off int) resValue {
	if off < 0 || off+8 > len(b) {
		return resValue{}
	}
	return resValue{typ: b[off+3], data: u32(b, off+4)}
}

// format renders v the way aapt's XML source would spell it, resolving
// references through t when it has them.
func (v resValue) format(pool *stringPool, t *resTable) string {
	switch v.typ {
	case valString:
		return pool.get(v.data)
	case valReference, valDynamicRef:
		return t.reference(v.data, '@')
	case valAttribute, valDynamicAtt:
		return t.reference(v.data, '?')
	case valIntDec:
		return strconv.Itoa(int(int32(v.data)))
	case valIntHex:
		return fmt.Sprintf("0x%x", v.data)
	case valBool:
		return strconv.FormatBool(v.data != 0)
	case valFloat:
		return strconv.FormatFloat(float64(math.Float32frombits(v.data)), 'g', -1, 32)
	case valDimension:
		return complexString(v.data, []string{"px", "dp", "sp", "pt", "in", "mm"})
	case valFraction:
		return complexString(v.data, []string{"%", "%p"})
	case valNull:
		if v.data == 1 {
			return "@empty"
		}
		return ""
	}
	if v.typ >= valColorFirst && v.typ <= valColorLast {
		return fmt.Sprintf("#%08x", v.data)
	}
	return fmt.Sprintf("0x%x", v.data)
}

// complexString decodes a dimension or fraction: a 24-bit mantissa, a
// radix in bits 4-5 and a unit in bits 0-3.
func complexString(data uint32, units []string) string {
	mantissa := float64(int32(data&0xffffff00)) / 256
	radix := []float64{1, 1.0 / (1 << 7), 1.0 / (1 << 15), 1.0 / (1 << 23)}[(data>>4)&3]
	unit := ""
	if u := int(data & 0xf); u < len(units) {
		unit = units[u]
	}
	val := mantissa * radix
	if unit == "%" || unit == "%p" {
		val *= 100
	}
	return strconv.FormatFloat(val, 'g', 6, 64) + unit
}

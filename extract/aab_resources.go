package extract

import (
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// decodeResourcesPB decodes an AAB's resources.pb (a ResourceTable) into
// the table references need and "name = value" lines: the default
// configuration's first, then each other configuration under its
// "# values-…" line, as resources.arsc renders.
func decodeResourcesPB(data []byte) (*resTable, []byte, error) {
	d := pbTable{table: newResTable(), sections: map[string]*tableWriter{}}
	// ResourceTable: package = 2.
	err := pbFields(data, func(f pbField) error {
		if f.num == 2 {
			return d.pkg(f.bytes)
		}
		return nil
	})
	var out []byte
	for _, name := range d.order {
		out = append(out, d.sections[name].buf.Bytes()...)
	}
	return d.table, out, err
}

type pbTable struct {
	table    *resTable
	sections map[string]*tableWriter
	order    []string // sections in first-seen order, the default first
	size     int
}

// pkg decodes a Package: package_id = 1 (PackageId: id = 1), type = 3.
func (d *pbTable) pkg(msg []byte) error {
	var id uint32
	var types [][]byte
	err := pbFields(msg, func(f pbField) error {
		switch f.num {
		case 1:
			id = pbID(f.bytes)
		case 3:
			types = append(types, f.bytes)
		}
		return nil
	})
	for _, t := range types {
		if err == nil {
			err = d.typ(id, t)
		}
	}
	return err
}

// typ decodes a Type: type_id = 1 (TypeId: id = 1), name = 2, entry = 3.
func (d *pbTable) typ(pkg uint32, msg []byte) error {
	var id uint32
	var name string
	var entries [][]byte
	err := pbFields(msg, func(f pbField) error {
		switch f.num {
		case 1:
			id = pbID(f.bytes)
		case 2:
			name = string(f.bytes)
		case 3:
			entries = append(entries, f.bytes)
		}
		return nil
	})
	for _, e := range entries {
		if err == nil {
			err = d.entry(pkg<<24|(id&0xff)<<16, name, e)
		}
	}
	return err
}

// entry decodes an Entry: entry_id = 1 (EntryId: id = 1), name = 2,
// config_value = 6 (ConfigValue: config = 1, value = 2).
func (d *pbTable) entry(idBase uint32, typeName string, msg []byte) error {
	var id uint32
	var key string
	var values [][2][]byte
	err := pbFields(msg, func(f pbField) error {
		switch f.num {
		case 1:
			id = pbID(f.bytes)
		case 2:
			key = string(f.bytes)
		case 6:
			var cv [2][]byte
			if err := pbFields(f.bytes, func(g pbField) error {
				if g.num == 1 || g.num == 2 {
					cv[g.num-1] = g.bytes
				}
				return nil
			}); err != nil {
				return err
			}
			values = append(values, cv)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, cv := range values {
		section, err := pbConfigName(cv[0])
		if err != nil {
			return err
		}
		if err := d.value(idBase|id&0xffff, typeName, key, section, cv[1]); err != nil {
			return err
		}
	}
	return nil
}

// value decodes a Value: item = 4, compound_value = 5 (CompoundValue:
// array = 4 of Element item = 3, plural = 5 of Entry item = 4).
func (d *pbTable) value(id uint32, typeName, key, section string, msg []byte) error {
	e := &resEntry{typ: typeName, key: key, dflt: section == ""}
	err := pbFields(msg, func(f pbField) error {
		switch f.num {
		case 4:
			it, err := decodeItem(f.bytes)
			if err != nil {
				return err
			}
			switch {
			case it.isRef:
				e.ref = it.ref
			case plainTypes[typeName] && (it.isStr || it.prim != nil):
				e.plain = true
				e.value = it.render("", nil)
			}
			if it.isStr && (plainTypes[typeName] || !strings.HasPrefix(it.str, "res/")) {
				d.line(section, key, it.str)
			}
		case 5:
			return d.compound(section, key, f.bytes)
		}
		return nil
	})
	d.table.add(id, e)
	return err
}

// compound renders the strings of arrays and plurals.
func (d *pbTable) compound(section, key string, msg []byte) error {
	return pbFields(msg, func(f pbField) error {
		itemField := map[protowire.Number]protowire.Number{4: 3, 5: 4}[f.num]
		if itemField == 0 {
			return nil
		}
		return pbFields(f.bytes, func(g pbField) error { // Array element = 1, Plural entry = 1
			if g.num != 1 {
				return nil
			}
			return pbFields(g.bytes, func(h pbField) error {
				if h.num != itemField {
					return nil
				}
				it, err := decodeItem(h.bytes)
				if err == nil && it.isStr {
					d.line(section, key, it.str)
				}
				return err
			})
		})
	})
}

func (d *pbTable) line(section, key, value string) {
	if d.size > maxRenderSize {
		return
	}
	w := d.sections[section]
	if w == nil {
		w = &tableWriter{}
		d.sections[section] = w
		d.order = append(d.order, section)
		if section == "" { // the default configuration's lines come first
			copy(d.order[1:], d.order)
			d.order[0] = ""
		}
	}
	before := w.buf.Len()
	w.line(section, key, value)
	d.size += w.buf.Len() - before
}

// pbID reads the id = 1 field of PackageId, TypeId and EntryId.
func pbID(msg []byte) uint32 {
	var id uint32
	_ = pbFields(msg, func(f pbField) error {
		if f.num == 1 {
			id = uint32(f.scalar)
		}
		return nil
	})
	return id
}

// pbConfigName names a Configuration by its locale (field 3, "fr" or
// "en-rUS" style), "config" for other qualifiers, "" for the default.
func pbConfigName(msg []byte) (string, error) {
	var locale string
	other := false
	err := pbFields(msg, func(f pbField) error {
		if f.num == 3 {
			locale = string(f.bytes)
		} else if f.scalar != 0 || len(f.bytes) > 0 {
			other = true
		}
		return nil
	})
	switch {
	case locale != "":
		return strings.ReplaceAll(locale, "-", "-r"), err
	case other:
		return "config", err
	}
	return "", err
}

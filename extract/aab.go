package extract

import (
	"errors"
	"fmt"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// aabProto renders the protobuf files aapt2 writes into an Android App
// Bundle: the resource table (resources.pb) as "name = value" lines and
// XML (base/manifest/AndroidManifest.xml, res/xml/*) as XML text, the same
// renderings as an APK's resources.arsc and binary XML. Only the few
// messages of Resources.proto that matter are decoded, field by field.
func (x *job) aabProto(sc scope, data []byte) {
	if strings.EqualFold(sc.name, "resources.pb") {
		t, text, err := decodeResourcesPB(data)
		x.emitResources(sc, "aab", "resources.pb", t, text, err, data)
		return
	}
	root, err := decodeXMLPB(data, sc.app.resources())
	x.emitAndroidXML(sc, "aab", "protobuf XML", root, err, data)
}

func isAABProtoName(lowerName string) bool {
	// aapt2 writes XML (manifest, res/xml) and the resource table as
	// protobuf in bundles; a binary file with these names is one of them.
	return lowerName == "resources.pb" || strings.HasSuffix(lowerName, ".xml")
}

// pbField is one field of a protobuf message.
type pbField struct {
	num    protowire.Number
	bytes  []byte // length-delimited fields
	scalar uint64 // varint and fixed fields
}

// pbFields calls fn for each field of msg, in wire order.
func pbFields(msg []byte, fn func(pbField) error) error {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return protowire.ParseError(n)
		}
		msg = msg[n:]
		f := pbField{num: num}
		switch typ {
		case protowire.VarintType:
			f.scalar, n = protowire.ConsumeVarint(msg)
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(msg)
			f.scalar = uint64(v)
		case protowire.Fixed64Type:
			f.scalar, n = protowire.ConsumeFixed64(msg)
		case protowire.BytesType:
			f.bytes, n = protowire.ConsumeBytes(msg)
		default: // groups: aapt2 writes none
			n = protowire.ConsumeFieldValue(num, typ, msg)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		msg = msg[n:]
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// pbXML decodes XmlNode messages into the tree the renderer shares with
// binary XML.
type pbXML struct {
	b        treeBuilder
	prefixes map[string]string
	table    *resTable
}

func decodeXMLPB(data []byte, table *resTable) (*xmlNode, error) {
	d := pbXML{prefixes: map[string]string{}, table: table}
	err := d.node(data)
	if d.b.root == nil && err == nil {
		err = errors.New("no element")
	}
	return d.b.root, err
}

// node decodes an XmlNode: element = 1, text = 2.
func (d *pbXML) node(msg []byte) error {
	return pbFields(msg, func(f pbField) error {
		switch f.num {
		case 1:
			return d.element(f.bytes)
		case 2:
			d.b.text(string(f.bytes))
		}
		return nil
	})
}

// element decodes an XmlElement: namespace_declaration = 1,
// namespace_uri = 2, name = 3, attribute = 4, child = 5.
func (d *pbXML) element(msg []byte) error {
	n := &xmlNode{}
	var uri string
	var attrs, children [][]byte
	err := pbFields(msg, func(f pbField) error {
		switch f.num {
		case 1:
			var prefix, nsURI string
			if err := pbFields(f.bytes, func(g pbField) error {
				switch g.num {
				case 1:
					prefix = string(g.bytes)
				case 2:
					nsURI = string(g.bytes)
				}
				return nil
			}); err != nil {
				return err
			}
			d.prefixes[nsURI] = prefix
			d.b.pending = append(d.b.pending, xmlAttr{name: prefix, value: nsURI})
		case 2:
			uri = string(f.bytes)
		case 3:
			n.name = string(f.bytes)
		case 4:
			attrs = append(attrs, f.bytes)
		case 5:
			children = append(children, f.bytes)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n.name == "" {
		return errors.New("element without a name")
	}
	n.name = d.qualify(uri, n.name)
	for _, a := range attrs {
		attr, err := d.attribute(a)
		if err != nil {
			return err
		}
		n.attrs = append(n.attrs, attr)
	}
	if !d.b.start(n) {
		return fmt.Errorf("more than %d elements or nesting deeper than %d", maxXMLNodes, maxXMLDepth)
	}
	defer d.b.end()
	for _, c := range children {
		if err := d.node(c); err != nil {
			return err
		}
	}
	return nil
}

// attribute decodes an XmlAttribute: namespace_uri = 1, name = 2,
// value = 3, resource_id = 5, compiled_item = 6. The name comes from the
// resource id when that is an android: attribute, as in binary XML.
func (d *pbXML) attribute(msg []byte) (xmlAttr, error) {
	var uri, name, value string
	var id uint32
	var item *pbItem
	err := pbFields(msg, func(f pbField) error {
		switch f.num {
		case 1:
			uri = string(f.bytes)
		case 2:
			name = string(f.bytes)
		case 3:
			value = string(f.bytes)
		case 5:
			id = uint32(f.scalar)
		case 6:
			it, err := decodeItem(f.bytes)
			item = &it
			return err
		}
		return nil
	})
	if id>>16 == 0x0101 {
		if known := androidAttrName(id); known != "" {
			name = known
		}
		uri = androidNS
	}
	if item != nil {
		value = item.render(value, d.table)
	}
	return xmlAttr{name: d.qualify(uri, name), value: value}, err
}

func (d *pbXML) qualify(uri, local string) string { return qualifiedName(d.prefixes, uri, local) }

// pbItem is a compiled value (an Item message) reduced to what rendering
// needs.
type pbItem struct {
	ref     uint32 // Reference: id = 2
	refName string // Reference: name = 3, e.g. "string/app_name"
	isRef   bool
	str     string // String, RawString, StyledString: value = 1; FileReference: path = 1
	isStr   bool
	prim    *resValue
}

// decodeItem decodes an Item: ref = 1, str = 2, raw_str = 3, styled_str = 4,
// file = 5, id = 6, prim = 7.
func decodeItem(msg []byte) (pbItem, error) {
	var it pbItem
	err := pbFields(msg, func(f pbField) error {
		switch f.num {
		case 1:
			it.isRef = true
			return pbFields(f.bytes, func(g pbField) error {
				switch g.num {
				case 2:
					it.ref = uint32(g.scalar)
				case 3:
					it.refName = string(g.bytes)
				}
				return nil
			})
		case 2, 3, 4, 5:
			it.isStr = true
			return pbFields(f.bytes, func(g pbField) error {
				if g.num == 1 {
					it.str = string(g.bytes)
				}
				return nil
			})
		case 7:
			v, err := decodePrimitive(f.bytes)
			it.prim = &v
			return err
		}
		return nil
	})
	return it, err
}

// decodePrimitive maps a Primitive onto the Res_value it stands for.
func decodePrimitive(msg []byte) (resValue, error) {
	var v resValue
	err := pbFields(msg, func(f pbField) error {
		data := uint32(f.scalar)
		switch f.num {
		case 1: // null_value
			v = resValue{typ: valNull}
		case 2: // empty_value
			v = resValue{typ: valNull, data: 1}
		case 3, 4: // float_value, dimension_value_deprecated (a float)
			v = resValue{typ: valFloat, data: data}
		case 13:
			v = resValue{typ: valDimension, data: data}
		case 14:
			v = resValue{typ: valFraction, data: data}
		case 6:
			v = resValue{typ: valIntDec, data: data}
		case 7:
			v = resValue{typ: valIntHex, data: data}
		case 8:
			v = resValue{typ: valBool, data: min(data, 1)}
		case 9, 10, 11, 12: // the color encodings, in Res_value's order
			v = resValue{typ: valColorFirst + uint8(f.num-9), data: data}
		case 5: // fraction_value_deprecated (a float)
			v = resValue{typ: valFloat, data: data}
		}
		return nil
	})
	return v, err
}

// render renders an item, falling back to the source text aapt2 kept.
func (it pbItem) render(source string, t *resTable) string {
	switch {
	case it.isRef && t.entry(it.ref) != nil:
		return t.reference(it.ref, '@')
	case it.isRef && it.refName != "":
		return "@" + it.refName
	case it.isRef:
		return t.reference(it.ref, '@')
	case it.isStr:
		return it.str
	case it.prim != nil && source == "":
		return it.prim.format(nil, t)
	}
	return source
}

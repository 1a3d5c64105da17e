package attr

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

// String renders v compactly for debugging and expression tests, for
// example S:"x", N:1.5, B:AQI=, BOOL:true, NULL, L:[N:1, S:"a"],
// M:{a: S:"x"} (members sorted by name), SS:["a", "b"], NS:[1, 2], BS:[AQ==].
func (v Value) String() string {
	var sb strings.Builder
	v.format(&sb)
	return sb.String()
}

func (v Value) format(sb *strings.Builder) {
	switch v.Kind {
	case S:
		sb.WriteString(`S:` + strconv.Quote(v.Str))
	case N:
		sb.WriteString("N:" + v.Str)
	case B:
		sb.WriteString("B:" + base64.StdEncoding.EncodeToString(v.Bytes))
	case BOOL:
		sb.WriteString("BOOL:" + strconv.FormatBool(v.Bool))
	case NULL:
		sb.WriteString("NULL")
	case M:
		v.formatMap(sb)
	case L:
		sb.WriteString("L:[")
		for i, e := range v.List {
			writeSep(sb, i)
			e.format(sb)
		}
		sb.WriteByte(']')
	case SS, NS, BS:
		v.formatSet(sb)
	default:
		sb.WriteString("INVALID")
	}
}

func (v Value) formatMap(sb *strings.Builder) {
	names := make([]string, 0, len(v.Map))
	for k := range v.Map {
		names = append(names, k)
	}
	slices.Sort(names)
	sb.WriteString("M:{")
	for i, k := range names {
		writeSep(sb, i)
		sb.WriteString(k + ": ")
		v.Map[k].format(sb)
	}
	sb.WriteByte('}')
}

func (v Value) formatSet(sb *strings.Builder) {
	sb.WriteString(v.Kind.String() + ":[")
	switch v.Kind {
	case SS:
		for i, s := range v.Strs {
			writeSep(sb, i)
			sb.WriteString(strconv.Quote(s))
		}
	case NS:
		for i, s := range v.Strs {
			writeSep(sb, i)
			sb.WriteString(s)
		}
	default:
		for i, b := range v.Bins {
			writeSep(sb, i)
			sb.WriteString(base64.StdEncoding.EncodeToString(b))
		}
	}
	sb.WriteByte(']')
}

func writeSep(sb *strings.Builder, i int) {
	if i > 0 {
		sb.WriteString(", ")
	}
}

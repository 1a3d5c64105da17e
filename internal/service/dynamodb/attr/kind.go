package attr

var kindNames = [...]string{
	KindInvalid: "INVALID",
	S:           "S",
	N:           "N",
	B:           "B",
	BOOL:        "BOOL",
	NULL:        "NULL",
	M:           "M",
	L:           "L",
	SS:          "SS",
	NS:          "NS",
	BS:          "BS",
}

// String returns the kind's wire name, such as "S" or "NS".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "INVALID"
}

// IsSet reports whether k is one of the set kinds SS, NS or BS.
func (k Kind) IsSet() bool { return k == SS || k == NS || k == BS }

package logs

import "strings"

// compilePattern compiles a term filter pattern into a matcher: every
// plain term or "quoted phrase" must occur in the message, at least one
// ?term must when there are any, and no -term may. Matching is
// case-sensitive, as on AWS. The empty pattern matches everything.
func compilePattern(pattern string) (func(string) bool, error) {
	pattern = strings.TrimSpace(pattern)
	if strings.HasPrefix(pattern, "{") || strings.HasPrefix(pattern, "[") || strings.HasPrefix(pattern, "%") {
		return nil, errInvalidParam.New("Fogbank supports only term filter patterns (no JSON, space-delimited or regular expression patterns).")
	}
	terms, err := splitTerms(pattern)
	if err != nil {
		return nil, err
	}
	var all, anyOf, none []string
	for _, t := range terms {
		switch {
		case strings.HasPrefix(t.text, "?") && !t.quoted:
			anyOf = append(anyOf, strings.Trim(strings.TrimPrefix(t.text, "?"), `"`))
		case strings.HasPrefix(t.text, "-") && !t.quoted && len(t.text) > 1:
			none = append(none, strings.Trim(strings.TrimPrefix(t.text, "-"), `"`))
		default:
			all = append(all, t.text)
		}
	}
	return func(msg string) bool {
		contains := func(t string) bool { return strings.Contains(msg, t) }
		return allOf(all, contains) && (len(anyOf) == 0 || !allOf(anyOf, func(t string) bool { return !contains(t) })) &&
			allOf(none, func(t string) bool { return !contains(t) })
	}, nil
}

// allOf reports whether pred holds for every term.
func allOf(terms []string, pred func(string) bool) bool {
	for _, t := range terms {
		if !pred(t) {
			return false
		}
	}
	return true
}

// term is one word or quoted phrase of a pattern.
type term struct {
	text   string
	quoted bool
}

// splitTerms splits a pattern at spaces outside double quotes; a quoted
// phrase loses its quotes. ?"a b" and -"a b" keep their prefix.
func splitTerms(pattern string) ([]term, error) {
	var terms []term
	for pattern = strings.TrimLeft(pattern, " \t"); pattern != ""; pattern = strings.TrimLeft(pattern, " \t") {
		prefix := ""
		if len(pattern) > 1 && (pattern[0] == '?' || pattern[0] == '-') && pattern[1] == '"' {
			prefix, pattern = pattern[:1], pattern[1:]
		}
		if pattern[0] == '"' {
			end := strings.IndexByte(pattern[1:], '"')
			if end < 0 {
				return nil, errInvalidParam.New("Invalid filter pattern: unterminated quoted phrase.")
			}
			text := pattern[1 : end+1]
			terms = append(terms, term{text: prefix + text, quoted: prefix == ""})
			pattern = pattern[end+2:]
			continue
		}
		end := strings.IndexAny(pattern, " \t")
		if end < 0 {
			end = len(pattern)
		}
		terms = append(terms, term{text: pattern[:end]})
		pattern = pattern[end:]
	}
	return terms, nil
}

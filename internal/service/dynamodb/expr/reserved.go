package expr

import (
	_ "embed"
	"strings"
	"sync"
)

// reservedWordsText is DynamoDB's reserved-word list, one upper-case word a
// line, from the developer guide's "Reserved words in DynamoDB" page.
//
//go:embed reserved_words.txt
var reservedWordsText string

// reservedWords is the set of reserved words, built on first use rather
// than when the server starts.
var reservedWords = sync.OnceValue(func() map[string]bool {
	words := make(map[string]bool, 600)
	for w := range strings.FieldsSeq(reservedWordsText) {
		words[w] = true
	}
	return words
})

// isReserved reports whether name, compared case-insensitively, is a
// reserved word that cannot appear bare in an expression.
func isReserved(name string) bool {
	return reservedWords()[strings.ToUpper(name)]
}

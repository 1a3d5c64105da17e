package dynamodb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
)

// The errors of the DynamoDB API. The binding's default namespace for their
// "__type" is com.amazonaws.dynamodb.v20120810; ValidationException keeps
// Coral's own namespace as real DynamoDB does.
var (
	// ErrValidation is a request that breaks one of DynamoDB's rules.
	ErrValidation = awsjson.ErrValidation
	// ErrResourceNotFound names a table (or other resource) that does not exist.
	ErrResourceNotFound = apierr.Def{Code: "ResourceNotFoundException", Status: http.StatusBadRequest}
	// ErrResourceInUse is a table that already exists or is busy.
	ErrResourceInUse = apierr.Def{Code: "ResourceInUseException", Status: http.StatusBadRequest}
	// ErrConditionalCheckFailed is a write whose condition evaluated to false.
	ErrConditionalCheckFailed = apierr.Def{Code: "ConditionalCheckFailedException", Status: http.StatusBadRequest}
	// ErrLimitExceeded is a control-plane quota breach.
	ErrLimitExceeded = apierr.Def{Code: "LimitExceededException", Status: http.StatusBadRequest}
	// ErrTransactionConflict is a write that lost a race with a transaction.
	ErrTransactionConflict = apierr.Def{Code: "TransactionConflictException", Status: http.StatusBadRequest}
	// ErrTransactionCanceled is a transaction that was cancelled; its message
	// travels in the capitalised "Message" member (see [apierr.Error.MessageField]).
	ErrTransactionCanceled = apierr.Def{Code: "TransactionCanceledException", Status: http.StatusBadRequest}
	// ErrIdempotentParameterMismatch is a ClientRequestToken reused for a different request.
	ErrIdempotentParameterMismatch = apierr.Def{Code: "IdempotentParameterMismatchException", Status: http.StatusBadRequest}
	// ErrDuplicateItem is a PartiQL INSERT of an item that already exists.
	ErrDuplicateItem = apierr.Def{Code: "DuplicateItemException", Status: http.StatusBadRequest}
	// ErrInternalServer is a server-side failure.
	ErrInternalServer = apierr.Def{Code: "InternalServerError", Status: http.StatusInternalServerError, Fault: apierr.FaultServer}
)

// AWS's fixed messages.
const (
	msgConditionFailed    = "The conditional request failed"
	msgResourceNotFound   = "Requested resource not found"
	msgKeyMismatch        = "The provided key element does not match the schema"
	msgItemTooLarge       = "Item size has exceeded the maximum allowed size"
	msgUpdateItemTooLarge = "Item size to update has exceeded the maximum allowed size"
	msgInvalidParams      = "One or more parameter values were invalid: "
	msgDeletionProtected  = "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."
	msgHashKeyTooLarge    = msgInvalidParams + "Size of hashkey has exceeded the maximum size limit of2048 bytes"
	msgRangeKeyTooLarge   = msgInvalidParams + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
	maxHashKeyBytes       = 2048
	maxRangeKeyBytes      = 1024
	maxItemBytes          = 400 * 1024
	tableNamePattern      = "[a-zA-Z0-9_.-]+"
	tableNotFoundFmt      = "Requested resource not found: Table: %s not found"
	tableExistsFmt        = "Table already exists: %s"
)

// tableNotFound is DescribeTable/DeleteTable/UpdateTable's error for a missing table.
func tableNotFound(name string) *apierr.Error {
	return ErrResourceNotFound.Newf(tableNotFoundFmt, name)
}

// invalidParams returns "One or more parameter values were invalid: <detail>".
func invalidParams(detail string) *apierr.Error { return ErrValidation.New(msgInvalidParams + detail) }

// constraintErrors collects Coral's modeled-constraint violations and renders
// them as "N validation error(s) detected: Value 'v' at 'member' failed to
// satisfy constraint: ...; ...".
type constraintErrors []string

// add records one violation of value at member.
func (c *constraintErrors) add(value, member, constraint string) {
	*c = append(*c, "Value "+value+" at '"+member+"' failed to satisfy constraint: "+constraint)
}

// addString records a violation for a string value, quoted as AWS quotes it.
func (c *constraintErrors) addString(value, member, constraint string) {
	c.add("'"+value+"'", member, constraint)
}

// addNull records a missing required member.
func (c *constraintErrors) addNull(member string) {
	c.add("null", member, "Member must not be null")
}

// err returns the collected violations as one ValidationException, or nil.
func (c constraintErrors) err() error {
	if len(c) == 0 {
		return nil
	}
	noun := " validation error detected: "
	if len(c) > 1 {
		noun = " validation errors detected: "
	}
	return ErrValidation.New(strconv.Itoa(len(c)) + noun + strings.Join(c, "; "))
}

// checkEnum records a violation when v is set and not one of allowed.
func (c *constraintErrors) checkEnum(v, member string, allowed ...string) {
	if v == "" {
		return
	}
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.addString(v, member, "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

// checkTableName records the violations of a table or index name.
func (c *constraintErrors) checkTableName(name, member string) {
	if !validName(name) {
		c.addString(name, member, "Member must satisfy regular expression pattern: "+tableNamePattern)
	}
	if len(name) < 3 {
		c.addString(name, member, "Member must have length greater than or equal to 3")
	}
	if len(name) > 255 {
		c.addString(name, member, "Member must have length less than or equal to 255")
	}
}

// validName reports whether s is non-empty and uses only [a-zA-Z0-9_.-].
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9', ch == '_', ch == '.', ch == '-':
		default:
			return false
		}
	}
	return true
}

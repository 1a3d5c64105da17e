// Package expr is DynamoDB's expression language: a hand-written lexer and
// recursive-descent parser for condition (and filter), update, projection and
// key-condition expressions, plus the evaluator that applies them to items.
//
// Parsing substitutes the request's ExpressionAttributeNames and
// ExpressionAttributeValues into the tree, so a parsed expression depends only
// on (expression, names, values). Parsed expressions are immutable and safe for
// concurrent use; Eval and Apply never mutate their input item.
//
// Every error this package returns is an [*Error] whose ValidationMessage is
// the exact text DynamoDB puts in its ValidationException. The package does
// not know about tables or key schemas: the service checks key attributes
// (see [Update.TopLevelNames] and [KeyCondition]).
//
// The grammar follows Amazon's own DynamoDB grammar (as shipped with the DAX
// client): keywords are case-insensitive, NOT binds tighter than AND, which
// binds tighter than OR, and AND and OR associate to the right.
package expr

// Package partiql parses the subset of PartiQL that DynamoDB's
// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction accept into
// an AST. It is a pure library: it knows nothing about tables or storage, and
// the dynamodb package translates the AST into its own expression machinery.
//
// Supported statements:
//
//	SELECT * | path [, path ...] FROM "table"[."index"] [WHERE condition]
//	INSERT INTO "table" VALUE {'attr': value, ...}
//	UPDATE "table" SET path = value [, ...] [SET ...] [REMOVE path [, ...]] [WHERE condition]
//	DELETE FROM "table" [WHERE condition]
//
// Identifiers are bare (case-sensitive names, case-insensitive keywords) or
// double-quoted; paths are a.b[0]."c d". Values are 'strings' (a doubled
// quote escapes a quote), numbers, TRUE, FALSE, NULL, {maps}, [lists],
// <<sets>> and '?' parameters, numbered from 0 in the order they appear.
// Conditions use AND, OR, NOT, =, <> (or !=), <, <=, >, >=, BETWEEN, IN,
// IS [NOT] MISSING|NULL and function calls; SET values may add and subtract.
package partiql

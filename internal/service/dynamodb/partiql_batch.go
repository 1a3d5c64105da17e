package dynamodb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/partiql"
	"github.com/fogbank/fogbank/internal/storage"
)

// Messages of the multi-statement operations.
const (
	msgBatchMixed       = "Read and write requests together in the same batch is not supported."
	msgTransactionMixed = "ExecuteTransaction API does not support both read and write operations in the same request."
)

// BatchExecuteStatement runs up to 25 statements, all reads or all writes,
// each on its own: a failed statement is reported in its Responses entry
// and does not fail the call. A SELECT must pin a table's primary key.
func (s *Service) BatchExecuteStatement(ctx context.Context, in *BatchExecuteStatementInput) (*BatchExecuteStatementOutput, error) {
	var ce constraintErrors
	ce.checkListLength(len(in.Statements), maxBatchWrites, javaObjects("BatchStatementRequest", "batch", len(in.Statements)), "statements")
	ce.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	for i, r := range in.Statements {
		checkStatementText(&ce, r.Statement, fmt.Sprintf("statements.%d.member.statement", i+1))
		ce.checkEnum(r.ReturnValuesOnConditionCheckFailure, fmt.Sprintf("statements.%d.member.returnValuesOnConditionCheckFailure", i+1), onFailureEnum...)
	}
	if err := ce.err(); err != nil {
		return nil, err
	}
	stmts := make([]partiql.Statement, len(in.Statements))
	errs := make([]error, len(in.Statements))
	for i, r := range in.Statements {
		stmts[i], errs[i] = parseStatement(r.Statement, r.Parameters)
	}
	if mixesReadsAndWrites(stmts) {
		return nil, ErrValidation.New(msgBatchMixed)
	}
	out := &BatchExecuteStatementOutput{Responses: make([]BatchStatementResponse, len(stmts))}
	for i, st := range stmts {
		r := in.Statements[i]
		if errs[i] == nil {
			out.Responses[i].Item, errs[i] = s.batchStatement(ctx, st, r)
		}
		if errs[i] == nil {
			out.Responses[i].TableName = st.TableName()
			continue
		}
		resp, err := batchErrorResponse(errs[i], st)
		if err != nil {
			return nil, err
		}
		out.Responses[i] = resp
	}
	return out, nil
}

// batchStatement runs one statement of a batch, returning a SELECT's item.
func (s *Service) batchStatement(ctx context.Context, st partiql.Statement, r BatchStatementRequest) (attr.Item, error) {
	if sel, ok := st.(*partiql.Select); ok {
		var item attr.Item
		err := s.opts.Engine.View(ctx, func(tx storage.ReadTx) error {
			var err error
			item, err = s.pointRead(tx, sel, r.Parameters, "BatchExecuteStatement")
			return err
		})
		return item, err
	}
	_, err := s.writeItem(ctx, st.TableName(), &pqlWrite{st: st, params: r.Parameters, onFailure: r.ReturnValuesOnConditionCheckFailure})
	return nil, err
}

// batchErrorResponse turns a statement's AWS error into its Responses
// entry: the code without "Exception" (ValidationError for validation),
// the message, the item a failed condition returned, and the table unless
// the statement was invalid. Other errors fail the whole call.
func batchErrorResponse(err error, st partiql.Statement) (BatchStatementResponse, error) {
	e, ok := apierr.As(err)
	if !ok {
		return BatchStatementResponse{}, err
	}
	code := strings.TrimSuffix(e.Code, "Exception")
	resp := BatchStatementResponse{Error: &BatchStatementError{Code: code, Message: e.Message}}
	if ErrValidation.Is(err) {
		resp.Error.Code = "ValidationError"
		return resp, nil
	}
	resp.Error.Item, _ = e.Fields["Item"].(attr.Item)
	resp.TableName = st.TableName()
	return resp, nil
}

// mixesReadsAndWrites reports whether the parsed statements (nil entries
// failed to parse) include both a SELECT and a write.
func mixesReadsAndWrites(stmts []partiql.Statement) bool {
	reads, writes := false, false
	for _, st := range stmts {
		if st == nil {
			continue
		}
		_, isRead := st.(*partiql.Select)
		reads, writes = reads || isRead, writes || !isRead
	}
	return reads && writes
}

// ExecuteTransaction runs up to 100 statements atomically: all reads (each
// a SELECT pinning a table's primary key, read from one snapshot) or all
// writes (applied in one storage Update, or none of them when any fails:
// a TransactionCanceledException gives each statement's reason, in order).
// A ClientRequestToken makes a write transaction idempotent for 10 minutes.
func (s *Service) ExecuteTransaction(ctx context.Context, in *ExecuteTransactionInput) (*ExecuteTransactionOutput, error) {
	stmts, err := parseTransaction(in)
	if err != nil {
		return nil, err
	}
	if mixesReadsAndWrites(stmts) {
		return nil, ErrValidation.New(msgTransactionMixed)
	}
	if _, ok := stmts[0].(*partiql.Select); ok {
		return s.readTransaction(ctx, in, stmts)
	}
	token, err := transactionToken(in)
	if err != nil {
		return nil, err
	}
	return s.writeTransaction(ctx, in, stmts, token)
}

// parseTransaction validates ExecuteTransaction's members and parses its
// statements; any invalid statement fails the whole request.
func parseTransaction(in *ExecuteTransactionInput) ([]partiql.Statement, error) {
	var ce constraintErrors
	ce.checkListLength(len(in.TransactStatements), maxTransactItems, javaObjects("ParameterizedStatement", "transaction", len(in.TransactStatements)), "transactStatements")
	ce.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	if in.ClientRequestToken != nil && (len(*in.ClientRequestToken) < 1 || len(*in.ClientRequestToken) > maxRequestTokenLen) {
		ce.addString(*in.ClientRequestToken, "clientRequestToken", fmt.Sprintf("Member must have length less than or equal to %d", maxRequestTokenLen))
	}
	for i, r := range in.TransactStatements {
		checkStatementText(&ce, r.Statement, fmt.Sprintf("transactStatements.%d.member.statement", i+1))
	}
	if err := ce.err(); err != nil {
		return nil, err
	}
	stmts := make([]partiql.Statement, len(in.TransactStatements))
	for i, r := range in.TransactStatements {
		var err error
		if stmts[i], err = parseStatement(r.Statement, r.Parameters); err != nil {
			return nil, err
		}
	}
	return stmts, nil
}

// transactionToken digests a write transaction's statements for its
// ClientRequestToken (the zero token when there is none).
func transactionToken(in *ExecuteTransactionInput) (requestToken, error) {
	if in.ClientRequestToken == nil {
		return requestToken{}, nil
	}
	raw, err := json.Marshal(in.TransactStatements)
	if err != nil {
		return requestToken{}, fmt.Errorf("dynamodb: digest transaction: %w", err)
	}
	sum := sha256.Sum256(append([]byte("ExecuteTransaction\n"), raw...))
	return requestToken{token: *in.ClientRequestToken, digest: hex.EncodeToString(sum[:])}, nil
}

// readTransaction reads every SELECT's item from one snapshot.
func (s *Service) readTransaction(ctx context.Context, in *ExecuteTransactionInput, stmts []partiql.Statement) (*ExecuteTransactionOutput, error) {
	out := &ExecuteTransactionOutput{}
	err := s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		out.Responses = make([]ItemResponse, len(stmts))
		for i, st := range stmts {
			sel := st.(*partiql.Select)
			if sel.Index != "" {
				return ErrValidation.New("Reads on indices are not supported within transactions.")
			}
			item, err := s.pointRead(r, sel, in.TransactStatements[i].Parameters, "ExecuteTransaction")
			if err != nil {
				return err
			}
			out.Responses[i].Item = item
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// txWrite is one evaluated statement of a write transaction.
type txWrite struct {
	t      *table
	change itemChange
}

// writeTransaction evaluates every write statement, then applies them all,
// in one storage Update.
func (s *Service) writeTransaction(ctx context.Context, in *ExecuteTransactionInput, stmts []partiql.Statement, token requestToken) (*ExecuteTransactionOutput, error) {
	var writes []txWrite
	err := s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		now := s.opts.Now()
		if replay, err := token.check(tx, now); err != nil || replay {
			return err
		}
		var err error
		if writes, err = s.evaluateTransaction(tx, in, stmts); err != nil {
			return err
		}
		for _, w := range writes {
			if err := w.change.apply(tx, w.t); err != nil {
				return err
			}
		}
		return token.store(tx, now)
	})
	if err != nil {
		return nil, err
	}
	for _, w := range writes {
		s.stats.invalidate(w.t.meta.Description.TableID)
	}
	return &ExecuteTransactionOutput{}, nil
}

// evaluateTransaction evaluates each statement against the stored items,
// returning the changes, or a TransactionCanceledException when any
// statement's condition fails.
func (s *Service) evaluateTransaction(tx storage.Tx, in *ExecuteTransactionInput, stmts []partiql.Statement) ([]txWrite, error) {
	writes := make([]txWrite, len(stmts))
	reasons := make([]CancellationReason, len(stmts))
	seen := seenKeys{}
	failed := false
	for i, st := range stmts {
		r := in.TransactStatements[i]
		t, err := s.meta.loadTable(tx, st.TableName())
		if err != nil {
			return nil, noTable(err)
		}
		w := &pqlWrite{st: st, params: r.Parameters, onFailure: r.ReturnValuesOnConditionCheckFailure}
		key, err := w.storageKey(t)
		if err != nil {
			return nil, err
		}
		if !seen.add(key) {
			return nil, ErrValidation.New(msgTransactSameItem)
		}
		c, err := t.evaluate(tx, w, key)
		writes[i], reasons[i] = txWrite{t: t, change: c}, CancellationReason{Code: "None"}
		if err == nil {
			continue
		}
		if reasons[i], err = transactionReason(err); err != nil {
			return nil, err
		}
		failed = true
	}
	if failed {
		return nil, transactionCanceled(reasons)
	}
	return writes, nil
}

// transactionReason is a failed statement's cancellation reason; errors
// that are no statement's fault are returned instead.
func transactionReason(err error) (CancellationReason, error) {
	if ErrDuplicateItem.Is(err) {
		return CancellationReason{Code: "DuplicateItem", Message: msgDuplicateItem}, nil
	}
	if r, ok := cancellationReason(err); ok {
		return r, nil
	}
	return CancellationReason{}, err
}

package dynamodb

import (
	"context"
	"encoding/binary"
	"slices"
	"strconv"

	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/storage"
)

// maxTotalSegments is the largest TotalSegments of a parallel scan.
const maxTotalSegments = 1000000

// scanOptions are a validated Scan request's table-independent parts.
type scanOptions struct {
	readOptions
	segment, total uint64 // total is 1 for a plain scan
}

// Scan reads every item of a table or index in storage (partition hash)
// order, a page at a time; a parallel scan's segment is a contiguous range
// of partition hashes.
func (s *Service) Scan(ctx context.Context, in *ScanInput) (*ReadOutput, error) {
	o, err := prepareScan(in)
	if err != nil {
		return nil, err
	}
	name := tableNameOf(in.TableName)
	return s.run(ctx, name, func(r storage.ReadTx) (*readPlan, error) {
		t, err := s.meta.loadTable(r, name)
		if err != nil {
			return nil, noTable(err)
		}
		p, err := o.plan(t)
		if err != nil {
			return nil, err
		}
		prefix := t.prefix
		if p.ix != nil {
			prefix = p.ix.prefix
		}
		p.rng = segmentRange(prefix, o.segment, o.total)
		if in.ExclusiveStartKey != nil {
			start, err := t.startKey(p.ix, in.ExclusiveStartKey)
			if err != nil {
				return nil, err
			}
			p.rng = after(p.rng, start)
		}
		return p, nil
	})
}

// segmentRange returns the keys under prefix whose partition hash falls in
// segment of total equal hash ranges.
func segmentRange(prefix []byte, segment, total uint64) storage.Range {
	bound := func(i uint64) []byte {
		return binary.BigEndian.AppendUint32(slices.Clone(prefix), uint32(i<<32/total))
	}
	rng := storage.Range{Start: bound(segment), End: storage.PrefixEnd(prefix)}
	if segment+1 < total {
		rng.End = bound(segment + 1)
	}
	return rng
}

// prepareScan validates a Scan request up to the table lookup.
func prepareScan(in *ScanInput) (*scanOptions, error) {
	use := paramUse{}
	use.addExpr("ProjectionExpression", in.ProjectionExpression != nil, false)
	use.addExpr("FilterExpression", in.FilterExpression != nil, true)
	use.addLegacy("AttributesToGet", in.AttributesToGet != nil)
	use.addLegacy("ScanFilter", in.ScanFilter != nil)
	use.addLegacy("ConditionalOperator", in.ConditionalOperator != "")
	if err := use.check(in.ExpressionAttributeNames, in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	var ce constraintErrors
	checkReadConstraints(&ce, &in.readCommon)
	checkSegmentConstraints(&ce, in)
	if err := ce.err(); err != nil {
		return nil, err
	}
	if err := checkSelect(&in.readCommon, ""); err != nil {
		return nil, err
	}
	o := &scanOptions{readOptions: *newReadOptions(&in.readCommon), total: 1}
	if err := o.setSegment(in); err != nil {
		return nil, err
	}
	a := &expr.Attrs{Names: in.ExpressionAttributeNames, Values: in.ExpressionAttributeValues}
	if err := parseReadExprs(&in.readCommon, in.ScanFilter, "scanFilter", a, &o.readOptions); err != nil {
		return nil, err
	}
	if err := a.CheckUnused(); err != nil {
		return nil, exprError(err)
	}
	return o, nil
}

// checkSegmentConstraints records violations of Segment's and
// TotalSegments' bounds.
func checkSegmentConstraints(ce *constraintErrors, in *ScanInput) {
	if s := in.Segment; s != nil {
		if *s < 0 {
			ce.addString(strconv.FormatInt(*s, 10), "segment", "Member must have value greater than or equal to 0")
		}
		if *s > maxTotalSegments-1 {
			ce.addString(strconv.FormatInt(*s, 10), "segment", "Member must have value less than or equal to "+strconv.Itoa(maxTotalSegments-1))
		}
	}
	if n := in.TotalSegments; n != nil {
		if *n < 1 {
			ce.addString(strconv.FormatInt(*n, 10), "totalSegments", "Member must have value greater than or equal to 1")
		}
		if *n > maxTotalSegments {
			ce.addString(strconv.FormatInt(*n, 10), "totalSegments", "Member must have value less than or equal to "+strconv.Itoa(maxTotalSegments))
		}
	}
}

// setSegment applies the rules tying Segment to TotalSegments.
func (o *scanOptions) setSegment(in *ScanInput) error {
	switch {
	case in.Segment != nil && in.TotalSegments == nil:
		return ErrValidation.New("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
	case in.TotalSegments != nil && in.Segment == nil:
		return ErrValidation.New("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
	case in.Segment == nil:
		return nil
	case *in.Segment >= *in.TotalSegments:
		return ErrValidation.New("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
			strconv.FormatInt(*in.Segment, 10) + " is not less than TotalSegments: " + strconv.FormatInt(*in.TotalSegments, 10))
	}
	o.segment, o.total = uint64(*in.Segment), uint64(*in.TotalSegments)
	return nil
}

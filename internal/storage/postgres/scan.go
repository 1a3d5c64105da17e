package postgres

import (
	"bytes"

	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/internal/storage"
)

// Page sizes of a Scan's reads, in rows.
const (
	// defaultPageSize is the page size of a scan without a Limit.
	defaultPageSize = 256
	// maxPageSize caps the page size of a scan with a large Limit, bounding
	// the memory one page holds.
	maxPageSize = 1024
)

// pager reads a range's rows from the database a page at a time, with
// keyset pagination: each page starts after the last key of the one before.
type pager struct {
	conn    *txConn
	reverse bool
	lower   []byte // inclusive lower bound of the rows not yet read
	upper   []byte // exclusive upper bound of the rows not yet read; nil for none

	keys, values [][]byte // the current page
	pos          int      // index of the next pair of the current page
	exhausted    bool     // no rows remain beyond the current page
}

// newPager returns a pager over r's rows.
func newPager(conn *txConn, r storage.Range) *pager {
	p := &pager{conn: conn, reverse: r.Reverse, lower: nonNil(r.Start), upper: r.End}
	p.exhausted = r.End != nil && bytes.Compare(p.lower, r.End) >= 0
	return p
}

// peek returns the next pair without consuming it, reading the next page if
// the current one is used up; ok is false at the end of the range. want is
// how many more pairs the caller can use (0 for no limit); it sizes the page.
func (p *pager) peek(want int) (key, value []byte, ok bool, err error) {
	if p.pos == len(p.keys) {
		if p.exhausted {
			return nil, nil, false, nil
		}
		if err := p.fetch(want); err != nil {
			return nil, nil, false, err
		}
		if len(p.keys) == 0 {
			return nil, nil, false, nil
		}
	}
	return p.keys[p.pos], p.values[p.pos], true, nil
}

// advance consumes the pair peek returned.
func (p *pager) advance() { p.pos++ }

// fetch reads the next page, of up to want rows (a default size for 0).
func (p *pager) fetch(want int) error {
	size := defaultPageSize
	if want > 0 {
		size = min(want, maxPageSize)
	}
	sql := p.conn.e.sql.scan[b2i(p.reverse)][b2i(p.upper != nil)]
	args := []any{p.lower, size}
	if p.upper != nil {
		args = []any{p.lower, p.upper, size}
	}
	p.keys, p.values, p.pos = p.keys[:0], p.values[:0], 0
	err := p.conn.exchange("scan", func(b *pgx.Batch) {
		b.Queue(sql, args...)
	}, func(results pgx.BatchResults) error {
		rows, err := results.Query()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key, value []byte
			if err := rows.Scan(&key, &value); err != nil {
				return err
			}
			p.keys, p.values = append(p.keys, key), append(p.values, value)
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	p.exhausted = len(p.keys) < size
	if n := len(p.keys); n > 0 {
		last := p.keys[n-1]
		if p.reverse {
			p.upper = last
		} else {
			p.lower = append(append(make([]byte, 0, len(last)+1), last...), 0) // the least key after last
		}
	}
	return nil
}

// bufferedPair is a buffered write of an Update, with its key.
type bufferedPair struct {
	key   []byte
	write write
}

// mergeScan calls fn for the pairs of r: the database's rows from db merged
// with an Update's buffered writes (in r's order), a buffered write taking
// the place of the row with its key and a buffered deletion hiding it.
func mergeScan(r storage.Range, db *pager, buffered []bufferedPair, fn func(key, value []byte) bool) error {
	for visited := 0; r.Limit == 0 || visited < r.Limit; {
		want := 0
		if r.Limit > 0 {
			want = r.Limit - visited
		}
		dbKey, dbValue, dbOK, err := db.peek(want)
		if err != nil {
			return err
		}
		var key, value []byte
		switch {
		case len(buffered) > 0 && (!dbOK || !before(r.Reverse, dbKey, buffered[0].key)):
			if dbOK && bytes.Equal(dbKey, buffered[0].key) {
				db.advance()
			}
			w := buffered[0]
			buffered = buffered[1:]
			if w.write.deleted {
				continue
			}
			key, value = w.key, w.write.value
		case dbOK:
			db.advance()
			key, value = dbKey, dbValue
		default:
			return nil
		}
		visited++
		if !fn(key, value) {
			return nil
		}
	}
	return nil
}

// inRange reports whether key falls in r's bounds.
func inRange(r storage.Range, key []byte) bool {
	return bytes.Compare(key, r.Start) >= 0 && (r.End == nil || bytes.Compare(key, r.End) < 0)
}

// before reports whether a comes before b in a scan's order.
func before(reverse bool, a, b []byte) bool {
	if reverse {
		return bytes.Compare(a, b) > 0
	}
	return bytes.Compare(a, b) < 0
}

// b2i returns 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

package attr

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
)

// arithContext computes sums of in-range numbers exactly: the digits of two
// such numbers span at most maxAdjusted-minAdjusted+maxDigits+1 positions,
// which its precision covers with room to spare.
var arithContext = apd.Context{
	Precision:   maxAdjusted - minAdjusted + 2*maxDigits,
	MaxExponent: apd.MaxExponent,
	MinExponent: apd.MinExponent,
	Traps:       apd.DefaultTraps,
}

// AddNumbers returns the exact sum a+b in canonical text, or AWS's error
// when an operand is not a valid number or the sum cannot be stored.
func AddNumbers(a, b string) (string, error) {
	return arith(a, b, false)
}

// SubNumbers returns the exact difference a-b in canonical text, or AWS's
// error when an operand is not a valid number or the result cannot be stored.
func SubNumbers(a, b string) (string, error) {
	return arith(a, b, true)
}

func arith(a, b string, subtract bool) (string, error) {
	da, err := parseValidDecimal(a)
	if err != nil {
		return "", err
	}
	db, err := parseValidDecimal(b)
	if err != nil {
		return "", err
	}
	if subtract {
		db.neg = !db.neg && db.digits != ""
	}
	var x, y, sum apd.Decimal
	da.toApd(&x)
	db.toApd(&y)
	if _, err := arithContext.Add(&sum, &x, &y); err != nil {
		return "", fmt.Errorf("attr: add %s and %s: %w", a, b, err)
	}
	return checkedResult(fromApd(&sum))
}

// checkedResult validates an arithmetic result. DynamoDB reports a result
// needing more than 38 significant digits as an overflow, not as the
// precision error it gives for such input.
func checkedResult(res decimal) (string, error) {
	if len(res.digits) > maxDigits {
		return "", invalid(msgOverflow)
	}
	if err := res.shape().check(); err != nil {
		return "", err
	}
	return res.text(), nil
}

func parseValidDecimal(s string) (decimal, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return decimal{}, err
	}
	return d, d.shape().check()
}

func (d decimal) toApd(out *apd.Decimal) {
	if d.digits == "" {
		out.SetInt64(0)
		return
	}
	out.Coeff.SetString(d.digits, 10)
	out.Exponent = int32(d.exp)
	out.Negative = d.neg
	out.Form = apd.Finite
}

func fromApd(x *apd.Decimal) decimal {
	digits, exp := normalizeDigits(x.Coeff.String(), "", int(x.Exponent))
	return decimal{neg: x.Negative && digits != "", digits: digits, exp: exp}
}

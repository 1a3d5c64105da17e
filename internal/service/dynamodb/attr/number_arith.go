package attr

import "math/big"

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
	return checkedResult(addDecimals(da, db))
}

// addDecimals returns the exact sum x+y: the digits of two in-range numbers
// span a few hundred positions at most.
func addDecimals(x, y decimal) decimal {
	exp := min(x.exp, y.exp)
	var sum big.Int
	sum.Add(x.scaled(exp), y.scaled(exp))
	digits, e := normalizeDigits(new(big.Int).Abs(&sum).String(), "", exp)
	return decimal{neg: sum.Sign() < 0 && digits != "", digits: digits, exp: e}
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

// scaled returns d as a multiple of 10^exp, for exp <= d.exp.
func (d decimal) scaled(exp int) *big.Int {
	n := new(big.Int)
	if d.digits == "" { // zero
		return n
	}
	n.SetString(d.digits, 10) // digits are ASCII digits: cannot fail
	n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.exp-exp)), nil))
	if d.neg {
		n.Neg(n)
	}
	return n
}

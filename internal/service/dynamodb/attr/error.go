package attr

// Error is an AttributeValue that breaks one of DynamoDB's validation
// rules. Its message is AWS's exact wording, which the awsJson binding
// reports as a ValidationException.
type Error struct {
	// Msg is the AWS-worded, user-visible message.
	Msg string
}

// Error implements error.
func (e *Error) Error() string { return "attr: " + e.Msg }

// ValidationMessage returns the message AWS sends with the ValidationException.
func (e *Error) ValidationMessage() string { return e.Msg }

// invalid returns an *Error carrying msg.
func invalid(msg string) *Error { return &Error{Msg: msg} }

// AWS's messages for invalid attribute values.
const (
	msgEmptyValue       = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	msgMultipleTypes    = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
	msgNullNotTrue      = "One or more parameter values were invalid: Null attribute value types must have the value of true"
	msgNesting          = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	msgEmptySS          = "One or more parameter values were invalid: An string set  may not be empty"
	msgEmptyNS          = "One or more parameter values were invalid: An number set  may not be empty"
	msgEmptyBS          = "One or more parameter values were invalid: Binary sets should not be empty"
	msgNotNumeric       = "The parameter cannot be converted to a numeric value"
	msgPrecision        = "Attempting to store more than 38 significant digits in a Number"
	msgOverflow         = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	msgUnderflow        = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
	msgDuplicateNumbers = "Input collection contains duplicates"
	msgSetTypeMismatch  = "An operand in the update expression has an incorrect data type"
)

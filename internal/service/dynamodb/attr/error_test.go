package attr

import (
	"errors"
	"fmt"
	"testing"
)

// validationMessager is the interface the awsJson binding looks for to
// report a decode error as a ValidationException.
type validationMessager interface{ ValidationMessage() string }

func TestErrorsForTheBinding(t *testing.T) {
	t.Parallel()
	var v Value
	verr := v.UnmarshalJSON([]byte(`{}`))
	wrapped := fmt.Errorf("decode request: %w", verr)
	var vm validationMessager
	if !errors.As(wrapped, &vm) {
		t.Fatalf("errors.As(%v, validationMessager) = false, want true", wrapped)
	}
	const want = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	if got := vm.ValidationMessage(); got != want {
		t.Errorf("ValidationMessage() = %q, want %q", got, want)
	}
	if got := verr.Error(); got != "attr: "+want {
		t.Errorf("Error() = %q, want %q", got, "attr: "+want)
	}

	serr := v.UnmarshalJSON([]byte(`{"S":1}`))
	if errors.As(serr, &vm) {
		t.Errorf("syntax error %v implements ValidationMessage; it must become a SerializationException", serr)
	}
	const wantSyntax = "attr: NUMBER_VALUE cannot be converted to String (at offset 5)"
	if got := serr.Error(); got != wantSyntax {
		t.Errorf("Error() = %q, want %q", got, wantSyntax)
	}
}

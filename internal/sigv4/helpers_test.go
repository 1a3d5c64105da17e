package sigv4

import (
	"context"
)

// staticLookup returns a LookupFunc that knows only creds.
func staticLookup(creds ...Credential) LookupFunc {
	return func(_ context.Context, accessKeyID string) (Credential, error) {
		for _, c := range creds {
			if c.AccessKeyID == accessKeyID {
				return c, nil
			}
		}
		return Credential{}, ErrUnknownAccessKey
	}
}

package sigv4_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/fogbank/fogbank/internal/sigv4"
)

// ExampleVerifier_Verify verifies a DynamoDB request signed by the AWS SDK,
// then the same request with a tampered body.
func ExampleVerifier_Verify() {
	ctx := context.Background()
	cred := sigv4.Credential{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
	signedAt := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

	body := `{"TableName":"users","Key":{"pk":{"S":"42"}}}`
	r, _ := http.NewRequest(http.MethodPost, "http://localhost:4566/", strings.NewReader(body))
	r.Header.Set("X-Amz-Target", "DynamoDB_20120810.GetItem")
	_ = v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey},
		r, sigv4.HashPayload([]byte(body)), "dynamodb", "us-east-1", signedAt)

	v := &sigv4.Verifier{
		Lookup: func(_ context.Context, id string) (sigv4.Credential, error) {
			if id != cred.AccessKeyID {
				return sigv4.Credential{}, sigv4.ErrUnknownAccessKey
			}
			return cred, nil
		},
		Now: func() time.Time { return signedAt.Add(time.Minute) },
	}
	opts := sigv4.Options{Service: "dynamodb", Region: "us-east-1"}
	res, err := v.Verify(ctx, r, sigv4.HashPayload([]byte(body)), opts)
	fmt.Println(res.AccessKeyID, res.Service, err)

	_, err = v.Verify(ctx, r, sigv4.HashPayload([]byte(`{}`)), opts)
	fmt.Println(errors.Is(err, sigv4.ErrSignatureMismatch))
	// Output:
	// AKIDEXAMPLE dynamodb <nil>
	// true
}

package main
import (
 _ "github.com/cockroachdb/pebble/v2"
 _ "github.com/cockroachdb/apd/v3"
 _ "github.com/aws/aws-sdk-go-v2/aws"
 _ "github.com/aws/aws-sdk-go-v2/config"
 _ "github.com/aws/aws-sdk-go-v2/credentials"
 _ "github.com/aws/aws-sdk-go-v2/service/dynamodb"
 _ "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
 _ "github.com/google/go-cmp/cmp"
 _ "github.com/cockroachdb/datadriven"
 _ "go.uber.org/goleak"
)
func main(){}

package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/service/lambda"
	"github.com/fogbank/fogbank/internal/storage"
)

// LambdaDirName is the data-directory subdirectory holding function code,
// the runtime shims and the sandboxes.
const LambdaDirName = "lambda"

// newLambda builds the Lambda service. Functions run with temporary
// credentials of their role, and call back into this server.
func (a *App) newLambda(engine storage.Engine) (*lambda.Service, error) {
	svc, err := lambda.New(lambda.Options{
		Engine:      engine,
		Dir:         filepath.Join(a.cfg.DataDir, LambdaDirName),
		Region:      a.cfg.Region,
		AccountID:   a.cfg.AccountID,
		ServerAddr:  func() string { return a.server.Addr() },
		Credentials: a.lambdaCredentials,
		LogSink:     a.logs,
		Logger:      a.component("lambda"),
	})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return svc, nil
}

// lambdaCredentials issues the credentials of an execution environment: a
// session of the function's role, stored so that every node accepts it.
func (a *App) lambdaCredentials(ctx context.Context, role, function string) (lambda.Credentials, error) {
	sess, err := a.identity.AssumeRole(ctx, identity.SessionRequest{RoleARN: role, SessionName: function, Duration: lambda.CredentialsDuration})
	if err != nil {
		return lambda.Credentials{}, err
	}
	return lambda.Credentials{AccessKeyID: sess.AccessKeyID, SecretAccessKey: sess.SecretAccessKey,
		SessionToken: sess.SessionToken, Expiration: sess.Expiration}, nil
}

// lambdaREST is the server registration of the Lambda API.
func lambdaREST(svc *lambda.Service) []server.RESTService {
	return []server.RESTService{{SigningName: "lambda", PathPrefixes: lambda.PathPrefixes,
		MaxRequestBody: lambda.MaxRequestBody, API: svc.API()}}
}

// lambdaAsyncLease names the lease under which one node at a time
// delivers queued Event invocations.
const lambdaAsyncLease = "lambda/async"

// startLambdaAsync runs the Lambda Event queue worker under its lease
// until ctx ends; the channel is closed when it has returned.
func (a *App) startLambdaAsync(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := a.leases.Run(ctx, lambdaAsyncLease, a.lambda.RunAsync)
		if err != nil && !errors.Is(err, context.Canceled) {
			a.logger.ErrorContext(ctx, "background work stopped", slog.String("lease", lambdaAsyncLease), slog.Any(logging.KeyErr, err))
		}
	}()
	return done
}

// closeLambda stops the Lambda service's execution environments.
func (a *App) closeLambda() error {
	if a.lambda == nil {
		return nil
	}
	return a.lambda.Close()
}

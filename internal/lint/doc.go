// Package lint holds Fogbank's architecture rules as tests, so that `go test
// ./...` is the single gate: dependencies point inward (services never import
// each other, pure libraries import no Fogbank package but their own,
// storage engines see only the storage seam), a few imports are forbidden, and
// nothing linked into the binary compiles a regexp at package initialisation
// (start-up time).
package lint

package apigatewayv2

import (
	"net/http"
	"strconv"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
)

// paged answers a list operation with the page of items that the request's
// maxResults and nextToken select; the token is the offset of the next
// item, and every item is returned when maxResults is absent.
func paged[T any](r *restjson.Request, items []T) (*restjson.Response, error) {
	start := 0
	if tok := r.Query("nextToken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 || n > len(items) {
			return nil, errBadRequest.New("Invalid pagination token specified.")
		}
		start = n
	}
	end := len(items)
	if v := r.Query("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, errBadRequest.New("Invalid maxResults specified: it must be a positive number.")
		}
		end = min(end, start+n)
	}
	out := page[T]{Items: append([]T{}, items[start:end]...)}
	if end < len(items) {
		out.NextToken = strconv.Itoa(end)
	}
	return restjson.JSON(http.StatusOK, out)
}

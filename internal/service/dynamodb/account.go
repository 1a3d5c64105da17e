package dynamodb

import "context"

// Account-level capacity limits that DescribeLimits reports (AWS's defaults).
const (
	accountMaxCapacityUnits = 80000
	tableMaxCapacityUnits   = 40000
	endpointCacheMinutes    = 1440
)

// DescribeLimits returns the account's capacity limits.
func (s *Service) DescribeLimits(context.Context, *DescribeLimitsInput) (*DescribeLimitsOutput, error) {
	return &DescribeLimitsOutput{
		AccountMaxReadCapacityUnits:  accountMaxCapacityUnits,
		AccountMaxWriteCapacityUnits: accountMaxCapacityUnits,
		TableMaxReadCapacityUnits:    tableMaxCapacityUnits,
		TableMaxWriteCapacityUnits:   tableMaxCapacityUnits,
	}, nil
}

// DescribeEndpoints returns the address clients should use: this server's.
func (s *Service) DescribeEndpoints(context.Context, *DescribeEndpointsInput) (*DescribeEndpointsOutput, error) {
	return &DescribeEndpointsOutput{Endpoints: []Endpoint{{Address: s.opts.Address, CachePeriodInMinutes: endpointCacheMinutes}}}, nil
}

// Package sdk holds the unit tests of the generated Go package
// serviceradar.local/sdk/contract. They live here, not in generated/go,
// because the generator owns that folder (a file it did not write is
// removed). Expected values are written by hand or computed by Python (the
// reference serializer, repr, the UCUM checker), never taken from the Go code.
package sdk

module serviceradar.local/sdk/conformance

go 1.22

require serviceradar.local/sdk/contract v0.0.0

replace serviceradar.local/sdk/contract => ../../../generated/go

module serviceradar.local/sdk/host

go 1.25.0

require (
	github.com/tetratelabs/wazero v1.12.0
	gopkg.in/yaml.v3 v3.0.1
	serviceradar.local/sdk/contract v0.0.0
)

require golang.org/x/sys v0.44.0 // indirect

replace serviceradar.local/sdk/contract => ../generated/go

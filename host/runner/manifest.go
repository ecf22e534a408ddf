package runner

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"serviceradar.local/sdk/contract"
)

// Manifest is the part of a ServiceRadar plugin manifest (plugin.yaml) the
// host uses. Keys it does not know (description, outputs, permissions,
// signal_schemas, ...) are accepted and ignored.
type Manifest struct {
	ID           string    `yaml:"id" json:"id"`
	Name         string    `yaml:"name" json:"name"`
	Version      string    `yaml:"version" json:"version"`
	Entrypoint   string    `yaml:"entrypoint" json:"entrypoint"`
	Capabilities []string  `yaml:"capabilities" json:"capabilities"`
	Resources    Resources `yaml:"resources" json:"resources"`
}

// Resources is the manifest's resources block.
type Resources struct {
	// RequestedCPUMS is read and shown but not enforced: use the timeout.
	RequestedCPUMS int `yaml:"requested_cpu_ms" json:"requested_cpu_ms"`
	// RequestedMemoryMB caps the guest's linear memory when > 0.
	RequestedMemoryMB int `yaml:"requested_memory_mb" json:"requested_memory_mb"`
}

// ParseManifest decodes a plugin.yaml document and fills defaults: an empty
// entrypoint becomes contract.Entrypoint, capabilities are trimmed and empty
// ones dropped.
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if err := yaml.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	m.Entrypoint = strings.TrimSpace(m.Entrypoint)
	if m.Entrypoint == "" {
		m.Entrypoint = contract.Entrypoint
	}
	caps := make([]string, 0, len(m.Capabilities))
	for _, c := range m.Capabilities {
		if c = strings.TrimSpace(c); c != "" {
			caps = append(caps, c)
		}
	}
	m.Capabilities = caps
	if m.Resources.RequestedMemoryMB < 0 {
		return Manifest{}, fmt.Errorf("manifest: resources.requested_memory_mb must not be negative, got %d", m.Resources.RequestedMemoryMB)
	}
	if m.Resources.RequestedCPUMS < 0 {
		return Manifest{}, fmt.Errorf("manifest: resources.requested_cpu_ms must not be negative, got %d", m.Resources.RequestedCPUMS)
	}
	return m, nil
}

// LoadManifest reads and parses a plugin.yaml file.
func LoadManifest(path string) (Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	return ParseManifest(data)
}

// HasCapability reports whether the manifest grants capability c.
func (m Manifest) HasCapability(c string) bool {
	for _, have := range m.Capabilities {
		if have == c {
			return true
		}
	}
	return false
}

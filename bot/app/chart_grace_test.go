package app

import (
	"os"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// TestChartGraceCoversShutdown keeps the Helm chart's termination grace
// period longer than imagebot's own shutdown: requests get shutdownGrace,
// then running jobs get shutdownGrace, and Kubernetes must not kill the
// pod in between.
func TestChartGraceCoversShutdown(t *testing.T) {
	data, err := os.ReadFile("../../deploy/helm/imagebot/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var values struct {
		Grace int `yaml:"terminationGracePeriodSeconds"`
	}
	if err := yaml.Unmarshal(data, &values); err != nil {
		t.Fatal(err)
	}
	need := 2*shutdownGrace + 5*time.Second
	if got := time.Duration(values.Grace) * time.Second; got < need {
		t.Errorf("the chart's terminationGracePeriodSeconds is %s; imagebot needs %s to stop (2 × %s) and a margin: at least %s",
			got, 2*shutdownGrace, shutdownGrace, need)
	}
}

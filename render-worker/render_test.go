package main

// A loaded chart renders as Helm renders it, its schema compiled once, its own chart untouched
// by the processing of dependencies each render does on a copy.

import (
	"os"
	"path/filepath"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	commonutil "helm.sh/helm/v4/pkg/chart/common/util"
)

func writeChart(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestSchemaCompiledOnceAndCheckedAsHelmChecksIt(t *testing.T) {
	path := writeChart(t, map[string]string{
		"Chart.yaml":         "apiVersion: v2\nname: c\nversion: 0.1.0\n",
		"values.yaml":        "port: 80\n",
		"values.schema.json": `{"properties": {"port": {"type": "integer", "minimum": 1}}}`,
		"templates/a.yaml":   "port: {{ .Values.port }}\n",
	})
	loaded, err := loadChart(path)
	if err != nil {
		t.Fatal(err)
	}
	options := renderOptions{release: "rel", namespace: "ns"}
	for _, values := range []map[string]any{{"port": 8080}, {"port": 0}, {"port": "80"}, {}} {
		_, got := loaded.render(values, options)
		release := common.ReleaseOptions{Name: "rel", Namespace: "ns", Revision: 1, IsInstall: true}
		_, want := commonutil.ToRenderValues(loaded.chart, values, release, nil)
		if (got == nil) != (want == nil) || (got != nil && got.Error() != want.Error()) {
			t.Fatalf("values %v: chartgen-render %v, Helm %v", values, got, want)
		}
	}
	if len(loaded.schemas) != 1 {
		t.Fatalf("compiled %d schemas for one chart's four renders, want 1", len(loaded.schemas))
	}
}

func TestProcessingDependenciesLeavesTheLoadedChartAlone(t *testing.T) {
	path := writeChart(t, map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: p\nversion: 0.1.0\n" +
			"dependencies:\n  - {name: s, version: 0.1.0, alias: other, condition: other.on}\n",
		"values.yaml":                 "other:\n  on: true\n",
		"charts/s/Chart.yaml":         "apiVersion: v2\nname: s\nversion: 0.1.0\n",
		"charts/s/templates/s.yaml":   "s: 1\n",
		"charts/s/values.yaml":        "size: 1\n",
		"templates/p.yaml":            "p: 1\n",
		"charts/s/templates/_h.tpl":   "{{ define \"h\" }}{{ end }}",
		"charts/s/values.schema.json": `{"properties": {"size": {"type": "integer"}}}`,
	})
	loaded, err := loadChart(path)
	if err != nil {
		t.Fatal(err)
	}
	options := renderOptions{release: "rel", namespace: "ns"}
	for _, on := range []bool{false, true} {
		files, err := loaded.render(map[string]any{"other": map[string]any{"on": on}}, options)
		if err != nil {
			t.Fatal(err)
		}
		if _, found := files["p/charts/other/templates/s.yaml"]; found != on {
			t.Fatalf("other.on=%v: the aliased subchart rendered: %v (%q)", on, found, files)
		}
	}
	// Processing renamed the dependency to its alias and dropped it when off: in copies only.
	if len(loaded.chart.Dependencies()) != 1 || loaded.chart.Metadata.Dependencies[0].Name != "s" {
		t.Fatalf("the loaded chart was changed: %v", loaded.chart.Metadata.Dependencies[0])
	}
}

package engine

// chartgen: Cache.Render gives what Engine.Render gives, parsing each set of templates once.

import (
	"reflect"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	commonutil "helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

func testChart(name string, templates map[string]string) *chart.Chart {
	c := &chart.Chart{Metadata: &chart.Metadata{Name: name, Version: "0.1.0", APIVersion: "v2"}}
	for file, text := range templates {
		c.Templates = append(c.Templates, &common.File{Name: file, Data: []byte(text)})
	}
	return c
}

func renderValues(t *testing.T, c *chart.Chart, values map[string]any) common.Values {
	t.Helper()
	options := common.ReleaseOptions{Name: "rel", Namespace: "ns", Revision: 1, IsInstall: true}
	top, err := commonutil.ToRenderValues(c, values, options, nil)
	if err != nil {
		t.Fatal(err)
	}
	return top
}

// sameAsHelm renders with the cache and with Helm's own Engine.Render, and compares.
func sameAsHelm(t *testing.T, cache *Cache, c *chart.Chart, values map[string]any) map[string]string {
	t.Helper()
	got, gotErr := cache.Render(c, renderValues(t, c, values))
	want, wantErr := new(Engine).Render(c, renderValues(t, c, values))
	if !reflect.DeepEqual(got, want) || (gotErr == nil) != (wantErr == nil) ||
		(gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("cache: %q, %v\nhelm: %q, %v", got, gotErr, want, wantErr)
	}
	return got
}

func TestCacheParsesOnceForAllValues(t *testing.T) {
	c := testChart("parent", map[string]string{
		"templates/a.yaml":   `a: {{ include "x" . }} {{ tpl .Values.t . }} {{ .Template.Name }}`,
		"templates/_x.tpl":   `{{ define "x" }}{{ .Values.n }}{{ end }}`,
		"templates/fail.txt": `{{ if .Values.fail }}{{ fail "asked" }}{{ end }}`,
	})
	cache := new(Engine).NewCache()
	for _, values := range []map[string]any{
		{"n": 1, "t": "{{ .Values.n }}"},
		{"n": 2, "t": "two"},
		{"n": 3, "t": "", "fail": true},
	} {
		sameAsHelm(t, cache, c, values)
	}
	if len(cache.parsed) != 1 {
		t.Fatalf("parsed %d sets of templates for one chart, want 1", len(cache.parsed))
	}
}

func TestCacheParsesEachSetOfDependenciesOnce(t *testing.T) {
	full := testChart("parent", map[string]string{"templates/p.yaml": "p: {{ .Values.p }}"})
	full.AddDependency(testChart("sub", map[string]string{"templates/s.yaml": "s: 1"}))
	without := testChart("parent", nil)
	without.Templates = full.Templates // as a render whose values disabled the subchart
	cache := new(Engine).NewCache()
	for _, c := range []*chart.Chart{full, without, full, without} {
		sameAsHelm(t, cache, c, map[string]any{"p": 1})
	}
	if len(cache.parsed) != 2 {
		t.Fatalf("parsed %d sets of templates, want 2 (with and without the subchart)", len(cache.parsed))
	}
	if got := sameAsHelm(t, cache, full, nil); got["parent/charts/sub/templates/s.yaml"] != "s: 1" {
		t.Fatalf("the subchart's output is missing: %q", got)
	}
}

func TestCacheKeepsHelmsParseError(t *testing.T) {
	c := testChart("broken", map[string]string{"templates/a.yaml": "a: {{ .Values.x "})
	cache := new(Engine).NewCache()
	for range 2 {
		if _, err := cache.Render(c, renderValues(t, c, nil)); err == nil {
			t.Fatal("a parse error rendered")
		}
		sameAsHelm(t, cache, c, nil)
	}
}

package main

// A render as `helm template` does it (Helm v4.2.3 pkg/action/install.go: dependencies
// processed with the user's values, then the render values, the schema check, the engine),
// on a copy of a chart loaded once: processing dependencies rewrites the chart it is given.

import (
	"fmt"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"

	"helm.sh/helm/v4/pkg/chart/common"
	commonutil "helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/loader"

	"chartgen/render-worker/engine"
)

// loadedChart is one chart of the current generation: loaded, schemas compiled, templates
// parsed per set of enabled dependencies.
type loadedChart struct {
	chart   *chart.Chart
	schemas schemas
	cache   *engine.Cache
}

func loadChart(path string) (*loadedChart, error) {
	loaded, err := loader.Load(path)
	if err != nil {
		return nil, err
	}
	return &loadedChart{chart: loaded, schemas: schemas{}, cache: new(engine.Engine).NewCache()}, nil
}

type renderOptions struct {
	release     string
	namespace   string
	kubeVersion string
}

// render gives each template's output, as engine.Render would for `helm template`.
func (l *loadedChart) render(values map[string]any, options renderOptions) (map[string]string, error) {
	caps := common.DefaultCapabilities
	if options.kubeVersion != "" {
		version, err := common.ParseKubeVersion(options.kubeVersion)
		if err != nil {
			return nil, err
		}
		caps = caps.Copy()
		caps.KubeVersion = *version
	}
	chrt := copyChart(l.chart)
	if values == nil {
		values = map[string]any{}
	}
	if err := chartutil.ProcessDependencies(chrt, values); err != nil {
		return nil, err
	}
	release := common.ReleaseOptions{
		Name: options.release, Namespace: options.namespace, Revision: 1, IsInstall: true,
	}
	top, err := commonutil.ToRenderValuesWithSchemaValidation(chrt, values, release, caps, true)
	if err != nil {
		return nil, err
	}
	if err := l.validate(chrt, top); err != nil {
		return nil, err
	}
	return l.cache.Render(chrt, top)
}

// validate is the schema check ToRenderValues makes, each schema compiled once. The walk
// follows the chart's dependencies as processed for this render, as Helm's does.
func (l *loadedChart) validate(chrt *chart.Chart, top common.Values) error {
	vals, _ := top["Values"].(common.Values)
	if err := l.schemas.validate(chrt, vals); err != nil {
		return fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\n%w", err)
	}
	return nil
}

// copyChart copies what processing dependencies changes: metadata and its dependency list,
// default values, the dependency tree. Templates, files and schemas are shared.
func copyChart(c *chart.Chart) *chart.Chart {
	out := *c
	if c.Metadata != nil {
		metadata := *c.Metadata
		if c.Metadata.Dependencies != nil {
			metadata.Dependencies = make([]*chart.Dependency, len(c.Metadata.Dependencies))
			for i, dependency := range c.Metadata.Dependencies {
				if dependency != nil {
					copied := *dependency
					metadata.Dependencies[i] = &copied
				}
			}
		}
		out.Metadata = &metadata
	}
	out.Values = copyValue(c.Values).(map[string]any)
	dependencies := make([]*chart.Chart, 0, len(c.Dependencies()))
	for _, dependency := range c.Dependencies() {
		dependencies = append(dependencies, copyChart(dependency))
	}
	out.SetDependencies(dependencies...)
	return &out
}

func copyValue(value any) any {
	switch typed := value.(type) {
	case map[string]any:
		if typed == nil {
			return typed
		}
		copied := make(map[string]any, len(typed))
		for key, item := range typed {
			copied[key] = copyValue(item)
		}
		return copied
	case []any:
		if typed == nil {
			return typed
		}
		copied := make([]any, len(typed))
		for i, item := range typed {
			copied[i] = copyValue(item)
		}
		return copied
	default:
		return value
	}
}

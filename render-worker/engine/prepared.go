// chartgen: the one file added to Helm's engine package; the others are Helm v4.2.3's
// pkg/engine, unchanged (tests/helm/test_render_worker.py compares them with the module).
//
// Engine.render parses every template of the chart on each call, and with a chart's helpers
// that is most of a render's time. A values variant renders the same templates as the last:
// a Cache keeps each set of templates parsed and executes it per values, with the steps of
// Engine.render in its order, so output and errors are what Engine.Render gives.

package engine

import (
	"fmt"
	"path"
	"strings"
	"text/template"

	ci "helm.sh/helm/v4/pkg/chart"
	"helm.sh/helm/v4/pkg/chart/common"
)

// Cache renders the charts of one load: a template's name stands for its text, so the
// charts given to Render must share their templates (copies of one loaded chart).
type Cache struct {
	engine Engine
	parsed map[string]*parsed // by the names of the templates, in parse order
}

type parsed struct {
	template *template.Template
	err      error // Engine.render returns it before executing anything
}

func (e Engine) NewCache() *Cache {
	return &Cache{engine: e, parsed: map[string]*parsed{}}
}

// Render is Engine.Render. Not safe for concurrent use: each call binds include, tpl and
// required of the shared parsed templates to its own state.
func (c *Cache) Render(chrt ci.Charter, values common.Values) (rendered map[string]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering template failed: %v", r)
		}
	}()
	tpls := allTemplates(chrt, values)
	keys := sortTemplates(tpls)
	// Which dependencies a values file enables decides the set: each set is parsed once.
	key := strings.Join(keys, "\x00")
	p, found := c.parsed[key]
	if !found {
		p = c.parse(tpls, keys)
		c.parsed[key] = p
	}
	if p.err != nil {
		return map[string]string{}, p.err
	}
	t := p.template
	c.engine.initFunMap(t) // fresh closures: include's recursion count starts at zero

	rendered = make(map[string]string, len(keys))
	for _, filename := range keys {
		// Don't render partials. We don't care out the direct output of partials.
		// They are only included from other templates.
		if strings.HasPrefix(path.Base(filename), "_") {
			continue
		}
		vals := tpls[filename].vals
		vals["Template"] = common.Values{"Name": filename, "BasePath": tpls[filename].basePath}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, filename, vals); err != nil {
			return map[string]string{}, reformatExecErrorMsg(filename, err)
		}
		rendered[filename] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return rendered, nil
}

// parse is the first half of Engine.render. A panic in it is kept as the set's error.
func (c *Cache) parse(tpls map[string]renderable, keys []string) (p *parsed) {
	p = &parsed{template: template.New("gotpl")}
	defer func() {
		if r := recover(); r != nil {
			p.err = fmt.Errorf("rendering template failed: %v", r)
		}
	}()
	if c.engine.Strict {
		p.template.Option("missingkey=error")
	} else {
		p.template.Option("missingkey=zero")
	}
	c.engine.initFunMap(p.template) // parsing checks that each called function exists
	for _, filename := range keys {
		if _, err := p.template.New(filename).Parse(tpls[filename].tpl); err != nil {
			p.err = cleanupParseError(filename, err)
			return p
		}
	}
	return p
}

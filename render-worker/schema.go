package main

// Values checked against a chart's values.schema.json as Helm v4.2.3 checks them
// (pkg/chart/common/util/jsonschema.go: ValidateAgainstSchema, ValidateAgainstSingleSchema),
// with each schema compiled once per chart instead of once per render, and nothing loaded
// from outside: no file, http or https loader (chartgen/helm/guard.py hands Helm a copy of a
// chart whose schema refers out, without that schema; here a reference out fails to compile
// rather than reach the network).

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	chart "helm.sh/helm/v4/pkg/chart"
)

const schemaURL = "file:///values.schema.json"

// schemas holds each schema compiled once, by its text: a chart's copies (one per render,
// dependencies processed) share their schema bytes with the loaded chart.
type schemas map[string]*compiledSchema

type compiledSchema struct {
	validator *jsonschema.Schema
	err       error // reported at each validation, as Helm would report it each time
}

func compileSchema(schemaJSON []byte) (validator *jsonschema.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unable to validate schema: %s", r)
		}
	}()
	schema, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	compiler := jsonschema.NewCompiler()
	compiler.UseLoader(jsonschema.SchemeURLLoader{
		"file":  refusedLoader{},
		"http":  refusedLoader{},
		"https": refusedLoader{},
		"urn":   permissiveURNLoader{},
	})
	if err := compiler.AddResource(schemaURL, schema); err != nil {
		return nil, err
	}
	return compiler.Compile(schemaURL)
}

// validate is ValidateAgainstSchema: the same walk over dependencies, the same messages.
func (s schemas) validate(ch chart.Charter, values map[string]any) error {
	chrt, err := chart.NewAccessor(ch)
	if err != nil {
		return err
	}
	var sb strings.Builder
	if chrt.Schema() != nil {
		if err := s.validateSingle(values, chrt.Schema()); err != nil {
			fmt.Fprintf(&sb, "%s:\n", chrt.Name())
			sb.WriteString(err.Error())
		}
	}
	for _, subchart := range chrt.Dependencies() {
		sub, err := chart.NewAccessor(subchart)
		if err != nil {
			return err
		}
		raw, exists := values[sub.Name()]
		if !exists || raw == nil {
			continue
		}
		subchartValues, ok := raw.(map[string]any)
		if !ok {
			fmt.Fprintf(&sb, "%s:\ninvalid type for values: expected object (map), got %T\n",
				sub.Name(), raw)
			continue
		}
		if err := s.validate(subchart, subchartValues); err != nil {
			sb.WriteString(err.Error())
		}
	}
	if sb.Len() > 0 {
		return errors.New(sb.String())
	}
	return nil
}

// validateSingle is ValidateAgainstSingleSchema.
func (s schemas) validateSingle(values map[string]any, schemaJSON []byte) (err error) {
	compiled, found := s[string(schemaJSON)]
	if !found {
		compiled = &compiledSchema{}
		compiled.validator, compiled.err = compileSchema(schemaJSON)
		s[string(schemaJSON)] = compiled
	}
	if compiled.err != nil {
		return compiled.err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unable to validate schema: %s", r)
		}
	}()
	if err := compiled.validator.Validate(values); err != nil {
		return validationError(err)
	}
	return nil
}

// validationError is the text of Helm's JSONSchemaValidationError.
func validationError(err error) error {
	text := strings.TrimPrefix(err.Error(), "jsonschema validation failed with '"+schemaURL+"#'\n")
	return errors.New(text + "\n")
}

type refusedLoader struct{}

func (refusedLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("chartgen does not load %s: a chart's schema may not refer outside itself", url)
}

// permissiveURNLoader is Helm's urnLoader with its default URNResolver: an unresolved URN
// reference is the schema `true`, with a warning once per URN and process.
type permissiveURNLoader struct{}

var warnedURNs = map[string]bool{}

func (permissiveURNLoader) Load(url string) (any, error) {
	if !warnedURNs[url] {
		warnedURNs[url] = true
		slog.Warn("unresolved URN reference ignored; using permissive schema", "urn", url)
	}
	return jsonschema.UnmarshalJSON(strings.NewReader("true"))
}

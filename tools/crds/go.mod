// Pins the upstream modules whose CustomResourceDefinitions chartgen bundles (see sync.py).
module github.com/chartgen/chartgen/tools/crds

go 1.24

require (
	github.com/GoogleCloudPlatform/prometheus-engine v0.17.2
	github.com/kedacore/keda/v2 v2.16.1
	github.com/prometheus-operator/prometheus-operator v0.85.0
	sigs.k8s.io/gateway-api v1.4.1
)

"""Item pipelines: one module per concern. Stages observe and annotate; `decide` alone decides."""

"""The content rules: the analysis steps (one package per rule with its step and its core), the
one pipeline that runs them, and `decide`, the one place the policy is applied."""

"""A local Kubernetes control plane and the Pulumi kubernetes provider, built from Go modules."""

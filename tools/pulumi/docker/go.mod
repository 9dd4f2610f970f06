// The docker resource provider. provider/v5 has no tags of its own: the pin is the pseudo-version
// of the pulumi-docker v5.1.0 release commit. The module proxy this project reaches refuses every
// version of it so far, so go.sum is still to be written by `go mod tidy`. Its own go.mod also
// replaces github.com/terraform-providers/terraform-provider-docker with a patched git submodule
// (../upstream, with a `shim` package) that no module carries.
module ossgameforge.local/tools/pulumi/docker

go 1.26.6

require github.com/pulumi/pulumi-docker/provider/v5 v5.0.0-20260626165050-e944612c4c97

// Copied from provider/v5's own go.mod: Pulumi's fork of the Terraform plugin SDK.
replace github.com/hashicorp/terraform-plugin-sdk/v2 => github.com/pulumi/terraform-plugin-sdk/v2 v2.0.0-20260318212141-5525259d096b

// pulumi-resource-docker: the plugin. The two embedded files are not in the repository:
// `python3 -m tools.pulumi` runs ./tfgen into a staging copy of this module, then builds this.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"

	"github.com/terraform-providers/terraform-provider-docker/ossgameforge-pulumi/info"
)

//go:embed schema.json
var schema []byte

//go:embed bridge-metadata.json
var metadata []byte

func main() {
	tfbridge.Main("docker", info.Version, info.Provider(metadata), schema)
}

// The bridge's tfgen for this provider: `tfgen schema --skip-examples --out DIR` writes
// schema.json and bridge-metadata.json, which the plugin (../main.go) embeds.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"

	"github.com/terraform-providers/terraform-provider-docker/ossgameforge-pulumi/info"
)

func main() {
	tfgen.Main("docker", info.Version, info.Provider(nil))
}

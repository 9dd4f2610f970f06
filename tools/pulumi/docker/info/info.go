// Package info maps the Terraform docker provider onto the tokens and names of pulumi-docker
// 5.1.0 (its provider/resources.go), so the pulumi-docker Python SDK talks to this build as it
// does to the official plugin. Only the Terraform-bridged part: the official plugin's native
// docker.Image (Go code of pulumi-docker itself) is not here.
package info

import (
	"context"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// Version is what the plugin reports and the schema says; set at link time (-X).
var Version = "5.1.0"

// Provider is the bridge's description of the plugin; metadata is the bridge-metadata.json that
// tfgen wrote next to schema.json (nil while tfgen itself runs).
func Provider(metadata []byte) tfbridge.ProviderInfo {
	upstream := provider.New(Version)()
	hostDefault := upstream.Schema["host"].DefaultFunc // DOCKER_HOST, else the local socket
	named := func(name string) *tfbridge.SchemaInfo { return &tfbridge.SchemaInfo{Name: name} }
	info := tfbridge.ProviderInfo{
		P:            shimv2.NewProvider(upstream),
		Name:         "docker",
		Version:      Version,
		Description:  "The Terraform docker provider under pulumi-docker 5.1.0's names (no docker.Image)",
		GitHubOrg:    "terraform-providers", // docs: the module our go.mod replaces with kreuzwerker's
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
		Config: map[string]*tfbridge.SchemaInfo{
			// Required upstream with a default function: optional here, with the same default.
			"host": {Default: &tfbridge.DefaultInfo{
				ComputeDefault: func(context.Context, tfbridge.ComputeDefaultOptions) (any, error) {
					return hostDefault()
				},
			}},
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_config": {Tok: "docker:index/serviceConfig:ServiceConfig"},
			"docker_container": {
				Tok:                 "docker:index/container:Container",
				DeleteBeforeReplace: true,
				// Lists that keep singular names: one command; the advanced network settings.
				Fields: map[string]*tfbridge.SchemaInfo{
					"command":           named("command"),
					"networks_advanced": named("networksAdvanced"),
				},
			},
			// An entry of its own keeps `name` required: autonaming (below) skips it.
			"docker_image": {
				Tok:    "docker:index/remoteImage:RemoteImage",
				Fields: map[string]*tfbridge.SchemaInfo{"name": named("name")},
			},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_image": {Tok: "docker:index/getRemoteImage:getRemoteImage"},
		},
	}
	// Every other resource and data source: docker_x_y is docker:index/xY:XY (getXY).
	info.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard("docker")))
	info.MustApplyAutoAliases()
	info.SetAutonaming(255, "-")
	return info
}

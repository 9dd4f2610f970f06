// The Python language host. It has no tags of its own: the pin is the pseudo-version of a pulumi
// release commit (v3.259.0's; v3.274.1's commit is not known here). The module proxy this project
// reaches refuses every version of it so far, so go.sum is still to be written by `go mod tidy`.
module ossgameforge.local/tools/pulumi/python-host

go 1.26.6

require (
	github.com/pulumi/pulumi/pkg/v3 v3.259.0
	github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3 v3.0.0-20260819165155-0ac56e876614
	github.com/pulumi/pulumi/sdk/v3 v3.259.0
)

// Copied from pkg/v3's own go.mod: a fork of the clipboard package.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e

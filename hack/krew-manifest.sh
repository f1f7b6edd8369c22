#!/usr/bin/env bash
# Render the krew manifest for a release from goreleaser's checksums file.
#
#   hack/krew-manifest.sh TAG CHECKSUMS [MANIFEST] > rendered.yaml
#
# TAG is the release tag (v0.1.0), CHECKSUMS goreleaser's dist/checksums.txt ("<sha256>  <archive>" lines)
# and MANIFEST the template, plugins.yaml by default. Only spec.version and each platform's uri and sha256
# change; comments, text and layout are kept, so the diff of a release commit shows just those fields.
# Each uri keeps its shape (<base>/releases/download/<tag>/<project>_<version>_<os>_<arch>.<ext>): the tag
# and version are replaced and the os/arch in the file name must match the platform's selector, which
# catches a hand edit that pointed a platform at another platform's archive.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
	echo "usage: $0 TAG CHECKSUMS [MANIFEST] > rendered.yaml" >&2
	exit 2
fi
tag=$1
checksums=$2
manifest=${3:-$(dirname "${BASH_SOURCE[0]}")/../plugins.yaml}

if [[ ! $tag =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]; then
	echo "krew-manifest.sh: tag $tag is not a semantic version like v0.1.0" >&2
	exit 2
fi

awk -v tag="$tag" -v version="${tag#v}" '
	function fail(msg) { printf "krew-manifest.sh: %s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; failed = 1; exit 1 }
	# The first file is the checksums list.
	NR == FNR { if (NF == 2) sum[$2] = $1; next }
	/^  version:/ { print "  version: " tag; next }
	/^  - selector:/ { os = ""; arch = ""; file = "" }
	$1 == "os:" { os = $2 }
	$1 == "arch:" { arch = $2 }
	$1 == "uri:" {
		n = split($2, part, "/")
		if (n < 3 || part[n - 2] != "download") fail("uri " $2 " is not a release download URL")
		split(part[n], field, "_")
		if (field[3] != os || index(field[4], arch ".") != 1) fail("uri " $2 " does not match selector os=" os " arch=" arch)
		file = field[1] "_" version "_" os "_" field[4]
		base = substr($2, 1, length($2) - length(part[n - 1]) - length(part[n]) - 1)
		sub(/uri:.*/, "uri: " base tag "/" file)
		print
		next
	}
	$1 == "sha256:" {
		if (file == "") fail("sha256 before the uri of its platform")
		if (!(file in sum)) fail("no checksum for " file " in the checksums file")
		sub(/sha256:.*/, "sha256: \"" sum[file] "\"")
		print
		next
	}
	{ print }
' "$checksums" "$manifest"

/**
 * Images for the built-in engine: the content store, image records, the OCI distribution client and layer
 * unpacking, behind one service class whose methods return Docker-shaped data for the API layer.
 *
 * <pre>
 * ImageService      pull / list / inspect / tag / remove / prune / df / push / importRootfs / load / save
 * RegistryClient    manifests (full Accept list, digest of the exact bytes), platform choice from indexes,
 *                   blobs (redirects followed by hand, Authorization dropped across hosts), uploads, auth
 * ContentStore      &lt;root&gt;/blobs/sha256/&lt;hex&gt;: temp file + hash while streaming + fsync + rename
 * LayerStore        &lt;root&gt;/layers/&lt;16 hex of diff_id&gt;/diff, unpacked once per diff_id (LayerUnpacker)
 * ImageStore        &lt;root&gt;/images/&lt;config hex&gt;.json, one record per image (ImageRecord)
 * </pre>
 *
 * Decisions: the image ID is the config digest and RepoDigests hold what each repository's reference resolved to
 * (the index digest for multi-platform images), as Docker. Layers unpack in overlay form (0/0 char devices,
 * {@code trusted.overlay.opaque}) so {@code engine.snapshot} can stack them unchanged; a hostile entry fails the
 * whole layer. Compressed blobs are kept after unpack so push and save need no registry. Loopback registries are
 * tried over plain HTTP first, configured-insecure ones over HTTPS first (Docker's order), others HTTPS only.
 */
package io.jcompose.engine.image;

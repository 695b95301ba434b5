/**
 * Overlayfs snapshots: {@link io.jcompose.engine.snapshot.Snapshotter} prepares a writable snapshot over unpacked
 * layer dirs and returns the mount as data ({@link io.jcompose.engine.snapshot.Mount}: type, source, options with
 * lowerdir top first); {@link io.jcompose.engine.snapshot.Mounter} performs it with mount(2) through jnr-ffi and
 * checks {@code /proc/self/mountinfo}; commit hands the upper dir to the builder; remove refuses while mounted.
 *
 * <p>Layer references are the snapshot records themselves ({@code snapshots/<key>/layers}), so the count survives
 * restarts and cannot drift from reality; the image service asks {@code layerInUse} before deleting a layer dir.
 * Short links ({@code l/<8 chars>}) keep 100+ layers in one page of mount options; beyond that the lower dirs are
 * given relative to {@code l/} and {@code /bin/mount} runs there (a JVM cannot chdir safely). Kernels ≥ 6.8 could
 * use fsconfig's {@code lowerdir+} instead, lifting the limit entirely.
 */
package io.jcompose.engine.snapshot;

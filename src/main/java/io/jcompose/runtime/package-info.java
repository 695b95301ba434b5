/**
 * The boundary between the composer and a container engine (JDK only).
 *
 * <p>Role-split services reached from {@link io.jcompose.runtime.ContainerRuntime}: {@code Containers},
 * {@code Images}, {@code Networks}, {@code Volumes}, {@code Events}, {@code SystemService}. {@code *Spec} records are
 * desired state, {@code *Info} records observed state. Every failure is an
 * {@link io.jcompose.runtime.EngineException} with a category a caller can act on (NOT_FOUND, CONFLICT,
 * UNAVAILABLE, INVALID, UNAUTHORIZED, OTHER) and the engine's own message.
 */
package io.jcompose.runtime;

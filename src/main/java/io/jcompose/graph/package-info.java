/**
 * A generic dependency graph of named nodes (JDK only): stable topological and reverse orders, closures,
 * cycle paths, and a bounded parallel walker for plan execution.
 */
package io.jcompose.graph;

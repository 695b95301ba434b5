package io.jcompose.model;

/** A loaded project. Being designed (loader-schema): services, networks, volumes, secrets, configs. */
public record Project(String name) {}

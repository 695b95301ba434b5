package io.jcompose.reconcile;

import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.NetworkSpec;
import io.jcompose.runtime.VolumeSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One small step of a {@link Plan}. Every action names the object it touches ({@link #resource()}), says why the
 * reconciler scheduled it ({@link #cause()}), and has a one-line description that is unique within a plan
 * ({@link #describe()}, e.g. {@code create container demo-web-1}) and is how plan text refers to it.
 * Containers are referred to by name: names are deterministic, ids are not known before the plan runs.
 */
public sealed interface Action {
    /** The object: {@code network:demo_default}, {@code volume:demo_data}, {@code image:busybox:latest},
     * {@code container:demo-web-1}, {@code service:db}. */
    String resource();

    /** Why: {@code missing}, {@code config hash changed (environment)}, {@code orphan}, … */
    String cause();

    /** Verb and object, unique in a plan: {@code create container demo-web-1}, {@code await db healthy}. */
    String describe();

    /** Whether it changes the engine's state ({@code --dry-run} runs none of these). */
    default boolean mutating() {
        return true;
    }

    record CreateNetwork(NetworkSpec spec, String cause) implements Action {
        public CreateNetwork { Objects.requireNonNull(spec); Objects.requireNonNull(cause); }
        public String resource() { return "network:" + spec.name(); }
        public String describe() { return "create network " + spec.name(); }
    }

    record CreateVolume(VolumeSpec spec, String cause) implements Action {
        public CreateVolume { Objects.requireNonNull(spec); Objects.requireNonNull(cause); }
        public String resource() { return "volume:" + spec.name(); }
        public String describe() { return "create volume " + spec.name(); }
    }

    record PullImage(String image, String cause) implements Action {
        public PullImage { Objects.requireNonNull(image); Objects.requireNonNull(cause); }
        public String resource() { return "image:" + image; }
        public String describe() { return "pull image " + image; }
    }

    /**
     * Builds the image of {@code service} ({@code build:}) and tags it with the spec's tags; containers using the
     * image are created after it.
     */
    record BuildImage(String service, io.jcompose.runtime.BuildSpec spec, String cause) implements Action {
        public BuildImage { Objects.requireNonNull(service); Objects.requireNonNull(spec); Objects.requireNonNull(cause); }
        public String resource() { return "image:" + spec.image(); }
        public String describe() { return "build image " + spec.image(); }
    }

    /** Creates replica {@code number} of {@code service}; the spec carries its name and labels. */
    record CreateContainer(String service, int number, ContainerSpec spec, String cause) implements Action {
        public CreateContainer { Objects.requireNonNull(service); Objects.requireNonNull(spec); Objects.requireNonNull(cause); }
        public String resource() { return "container:" + spec.name(); }
        public String describe() { return "create container " + spec.name(); }
    }

    record StartContainer(String service, String container, String cause) implements Action {
        public StartContainer { Objects.requireNonNull(service); Objects.requireNonNull(container); Objects.requireNonNull(cause); }
        public String resource() { return "container:" + container; }
        public String describe() { return "start container " + container; }
    }

    /**
     * Waits until every container of {@code service} satisfies {@code condition}. {@code required} false: if it
     * cannot be satisfied, warn and go on (depends_on's {@code required: false}).
     */
    record AwaitCondition(String service, java.util.List<String> containers, Condition condition, boolean required,
                          String cause) implements Action {
        public AwaitCondition {
            Objects.requireNonNull(service); containers = java.util.List.copyOf(containers);
            Objects.requireNonNull(condition); Objects.requireNonNull(cause);
        }
        public String resource() { return "service:" + service; }
        public String describe() { return "await " + service + " " + condition.word(); }
        public boolean mutating() { return false; }
    }

    /** {@code timeout} empty: the container's own stop timeout. */
    record StopContainer(String service, String container, Optional<Duration> timeout, String cause) implements Action {
        public StopContainer { Objects.requireNonNull(container); Objects.requireNonNull(timeout); Objects.requireNonNull(cause); }
        public String resource() { return "container:" + container; }
        public String describe() { return "stop container " + container; }
    }

    /** {@code volumes}: also remove its anonymous volumes. */
    record RemoveContainer(String service, String container, boolean volumes, String cause) implements Action {
        public RemoveContainer { Objects.requireNonNull(container); Objects.requireNonNull(cause); }
        public String resource() { return "container:" + container; }
        public String describe() { return "remove container " + container; }
    }

    /** Gives a container its Compose name (e.g. docker-compose 1.x's {@code demo_web_1} → {@code demo-web-1}). */
    record RenameContainer(String container, String newName, String cause) implements Action {
        public RenameContainer { Objects.requireNonNull(container); Objects.requireNonNull(newName); Objects.requireNonNull(cause); }
        public String resource() { return "container:" + container; }
        public String describe() { return "rename container " + container + " to " + newName; }
    }

    /** Detaches a (stopped) container from a network, e.g. before that network is recreated with a new config. */
    record DisconnectNetwork(String network, String container, String cause) implements Action {
        public DisconnectNetwork { Objects.requireNonNull(network); Objects.requireNonNull(container); Objects.requireNonNull(cause); }
        public String resource() { return "container:" + container; }
        public String describe() { return "disconnect container " + container + " from network " + network; }
    }

    /** Attaches an existing container to a network with its endpoint settings (aliases, fixed addresses). */
    record ConnectNetwork(String network, String container, io.jcompose.runtime.NetworkAttachment attachment, String cause)
            implements Action {
        public ConnectNetwork {
            Objects.requireNonNull(network); Objects.requireNonNull(container); Objects.requireNonNull(attachment); Objects.requireNonNull(cause);
        }
        public String resource() { return "container:" + container; }
        public String describe() { return "connect container " + container + " to network " + network; }
    }

    record RemoveNetwork(String network, String cause) implements Action {
        public RemoveNetwork { Objects.requireNonNull(network); Objects.requireNonNull(cause); }
        public String resource() { return "network:" + network; }
        public String describe() { return "remove network " + network; }
    }

    record RemoveVolume(String volume, String cause) implements Action {
        public RemoveVolume { Objects.requireNonNull(volume); Objects.requireNonNull(cause); }
        public String resource() { return "volume:" + volume; }
        public String describe() { return "remove volume " + volume; }
    }

    record RemoveImage(String image, String cause) implements Action {
        public RemoveImage { Objects.requireNonNull(image); Objects.requireNonNull(cause); }
        public String resource() { return "image:" + image; }
        public String describe() { return "remove image " + image; }
    }

    /** What an {@link AwaitCondition} waits for. */
    enum Condition {
        /** depends_on {@code service_started}: the containers have started (running, or already exited). */
        STARTED("started"),
        /** depends_on {@code service_healthy}: health status {@code healthy}. */
        HEALTHY("healthy"),
        /** depends_on {@code service_completed_successfully}: exited with code 0. */
        COMPLETED_SUCCESSFULLY("completed"),
        /** {@code up --wait}: healthy if the container has a health check, else running. */
        RUNNING_OR_HEALTHY("ready");

        private final String word;

        Condition(String word) {
            this.word = word;
        }

        /** The word in plan text: {@code await db healthy}. */
        public String word() {
            return word;
        }
    }
}

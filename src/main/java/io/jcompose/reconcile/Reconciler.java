package io.jcompose.reconcile;

import io.jcompose.graph.Graph;
import io.jcompose.model.Dependency;
import io.jcompose.model.Mount;
import io.jcompose.model.Network;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.Volume;
import io.jcompose.reconcile.Action.AwaitCondition;
import io.jcompose.reconcile.Action.Condition;
import io.jcompose.reconcile.Action.CreateContainer;
import io.jcompose.reconcile.Action.CreateNetwork;
import io.jcompose.reconcile.Action.CreateVolume;
import io.jcompose.reconcile.Action.PullImage;
import io.jcompose.reconcile.Action.RemoveContainer;
import io.jcompose.reconcile.Action.RemoveImage;
import io.jcompose.reconcile.Action.RemoveNetwork;
import io.jcompose.reconcile.Action.RemoveVolume;
import io.jcompose.reconcile.Action.RenameContainer;
import io.jcompose.reconcile.Action.StartContainer;
import io.jcompose.reconcile.Action.StopContainer;
import io.jcompose.runtime.NetworkSpec;
import io.jcompose.runtime.VolumeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure heart of the composer: (desired {@link Project}, {@link Observed} state, options) → {@link Plan}.
 * It never talks to an engine, so the same inputs always give the same plan, and golden files can hold it.
 *
 * <p>Rules for {@code up}: a missing network, volume or image (per pull policy) is created/pulled; a missing replica
 * is created and started; an existing one is <i>recreated</i> only if its config hash, its image id or its network
 * attachments differ (or {@code --force-recreate}), or if a dependency it follows is recreated
 * ({@code depends_on.restart: true}, {@code network_mode/ipc/pid: service:x}, {@code volumes_from: x}); a stopped
 * one is started. Scaling keeps container numbers: up fills the lowest free numbers, down removes the highest.
 * As in docker compose, containers are created in dependency order without waiting for anything but their
 * dependencies' creation, and started once their dependencies satisfy their depends_on condition: an
 * {@link AwaitCondition} step sits between the dependent's creation and its start. So a dependency that fails
 * leaves its dependents created, not started (docker compose's "created" state). Containers of services no longer in the file are orphans:
 * removed with {@code --remove-orphans}, else a warning.
 */
public final class Reconciler {
    private Reconciler() {}

    /** The service dependency graph (edges to services absent from the project are dropped). */
    public static Graph serviceGraph(Project p) {
        Graph.Builder g = Graph.builder();
        for (Service s : p.services().values()) {
            g.node(s.name());
            for (String d : s.dependsOn().keySet()) if (p.services().containsKey(d)) g.edge(s.name(), d);
        }
        return g.build();
    }

    public static Plan up(Project p, Observed o, UpOptions opt) {
        Plan.Builder plan = new Plan.Builder();
        Graph graph = serviceGraph(p);
        for (String s : opt.services()) {
            if (!p.services().containsKey(s)) {
                throw new IllegalArgumentException("no such service: " + s + " (defined: " + String.join(", ", p.services().keySet()) + ")");
            }
        }
        Set<String> requested = opt.services().isEmpty() ? p.services().keySet() : new TreeSet<>(opt.services());
        SortedSet<String> selected = opt.noDeps() ? new TreeSet<>(requested) : graph.dependencyClosure(requested);
        List<String> order = graph.subgraph(selected).topologicalOrder();
        for (String name : order) {
            Service svc = p.services().get(name);
            // docker compose refuses this when it creates the container (config accepts it): the same words.
            if (svc.healthcheck().filter(h -> h.startInterval().isPresent() && h.startPeriod().isEmpty()).isPresent()
                    && opt.scale().getOrDefault(name, svc.scale()) > 0) {
                throw new IllegalStateException("healthcheck.start_interval requires healthcheck.start_period to be set");
            }
            // --no-deps leaves a volumes_from donor out: its container must exist already (docker compose's check).
            for (String vf : p.services().get(name).volumesFrom()) {
                String donor = vf.split(":")[0];
                if (vf.startsWith("container:") || selected.contains(donor) || !p.services().containsKey(donor)) continue;
                if (o.containersOf(donor).isEmpty()) {
                    throw new IllegalStateException("cannot share volume with service " + donor + ": container missing");
                }
            }
        }
        ContainerSpecs.SpecContext ctx = new ContainerSpecs.SpecContext(opt.configFiles(), opt.version(), Optional.empty(), opt.files());

        // A network whose configuration changed (e.g. its subnet) is removed and created again, its containers
        // stopped, disconnected and reconnected rather than recreated (as docker compose does).
        Map<String, Action> divergedRemovals = new HashMap<>();
        Map<String, Action> networks = networks(p, o, selected, plan, divergedRemovals);
        Map<String, Action> volumes = volumes(p, o, selected, plan);
        Map<String, Action> pulls = new HashMap<>();
        Map<String, List<Action>> starts = new HashMap<>();
        Map<String, List<Action>> creates = new HashMap<>();
        Map<String, List<Action>> stops = new HashMap<>();
        Set<String> recreated = new TreeSet<>();
        Map<String, List<Integer>> numbers = new HashMap<>(); // the container numbers each service ends up with

        for (String name : order) {
            Service s = p.services().get(name);
            int scale = opt.scale().getOrDefault(name, s.scale());
            String image = ContainerSpecs.image(p, s);
            Action pull = scale == 0 ? null : pull(p, s, image, o, opt, plan, pulls);
            Optional<String> imageId = o.imageId(image);
            // Scale 0 creates nothing: its secrets are not read (an unset variable is then no error).
            FileContents files = scale == 0 ? null : opt.files();
            String hash = ConfigHash.of(s, p, files);
            String fields = ConfigHash.fieldDigests(s, p, files);
            SortedSet<String> desiredNets = new TreeSet<>();
            if (s.networkMode().isEmpty()) {
                for (String key : s.networks().keySet()) {
                    Network n = p.networks().get(key);
                    desiredNets.add(n == null ? key : n.name());
                }
            }
            Optional<String> followed = followedRecreation(s, recreated);
            boolean forceAsDependency = opt.alwaysRecreateDeps() && !requested.contains(name);
            LazyAwaits depAwaits = awaitsFor(p, s, selected, opt, plan, starts, numbers);

            SortedMap<Integer, Observed.Container> existing = o.containersOf(name);
            Map<Integer, String> reasons = new HashMap<>(); // null value: up to date
            for (Observed.Container c : existing.values()) {
                reasons.put(c.number(), opt.noRecreate() ? null : recreateReason(c, hash, fields, imageId, desiredNets,
                        s.networkMode().isEmpty(), opt.forceRecreate() || forceAsDependency, followed));
            }
            List<Integer> slots = slots(existing.keySet(), reasons, scale);
            numbers.put(name, slots);
            List<Action> myStarts = new ArrayList<>();
            List<Action> myCreates = new ArrayList<>();
            List<Action> myStops = new ArrayList<>();
            for (int n : slots) {
                Observed.Container c = existing.get(n);
                String cname = ContainerSpecs.containerName(p, s, n);
                Action remove = null;
                String createCause = "missing";
                if (c != null) {
                    String reason = reasons.get(n);
                    if (reason == null) {
                        Action rename = null;
                        if (!c.name().equals(cname)) {
                            rename = plan.add(new RenameContainer(c.name(), cname, "named " + c.name() + " by an older Compose"));
                        }
                        List<Action> reconnects = reconnect(p, s, n, c, cname, divergedRemovals, networks, opt, plan, myStops, ctx);
                        for (Action r : reconnects) plan.after(rename, r);
                        if ((!c.running() || !reconnects.isEmpty()) && !opt.noStart()) {
                            Action start = plan.add(new StartContainer(name, cname, reconnects.isEmpty() ? "not running (" + c.status() + ")"
                                    : "reconnected to a recreated network"));
                            plan.after(start, rename);
                            reconnects.forEach(r -> plan.after(start, r));
                            depAwaits.get().forEach(a -> plan.after(start, a));
                            myStarts.add(start);
                        }
                        continue;
                    }
                    recreated.add(name);
                    createCause = reason;
                    Action stop = c.running() ? plan.add(new StopContainer(name, c.name(), opt.timeout(), reason)) : null;
                    if (stop != null) myStops.add(stop);
                    remove = plan.add(new RemoveContainer(name, c.name(), false, reason));
                    plan.after(remove, stop);
                    for (String net : c.networks()) plan.after(divergedRemovals.get(net), remove);
                }
                Action create = plan.add(new CreateContainer(name, n, ContainerSpecs.spec(p, s, n, ctx.withImageId(imageId)), createCause));
                plan.after(create, remove);
                plan.after(create, pull);
                for (String net : desiredNets) plan.after(create, networks.get(net));
                for (Mount m : s.volumes()) m.source().map(volumes::get).ifPresent(v -> plan.after(create, v));
                // Created after the containers it depends on (namespaces, volumes_from, links need them to exist),
                // waited on only before its start.
                for (String d : s.dependsOn().keySet()) creates.getOrDefault(d, List.of()).forEach(dc -> plan.after(create, dc));
                depAwaits.get().forEach(a -> plan.after(a, create));
                myCreates.add(create);
                if (!opt.noStart()) {
                    Action start = plan.add(new StartContainer(name, cname, createCause.equals("missing") ? "created" : "recreated"));
                    plan.after(start, create);
                    depAwaits.get().forEach(a -> plan.after(start, a));
                    myStarts.add(start);
                }
            }
            for (Observed.Container c : existing.values()) {
                if (slots.contains(c.number())) continue;
                String cause = "scale " + name + " to " + scale;
                Action stop = c.running() ? plan.add(new StopContainer(name, c.name(), opt.timeout(), cause)) : null;
                if (stop != null) myStops.add(stop);
                plan.after(plan.add(new RemoveContainer(name, c.name(), false, cause)), stop);
            }
            starts.put(name, myStarts);
            creates.put(name, myCreates);
            stops.put(name, myStops);
        }
        // A recreated service's dependents stop before it does (both recreated: e.g. depends_on.restart).
        for (String name : order) {
            for (String d : graph.dependenciesOf(name)) {
                for (Action stopDep : stops.getOrDefault(d, List.of())) {
                    for (Action stopMine : stops.getOrDefault(name, List.of())) plan.after(stopDep, stopMine);
                }
            }
        }
        orphans(p, o, opt.removeOrphans(), opt.timeout(), plan, "up");
        divergedVolumes(p, o).forEach((key, why) -> plan.warn("volume " + p.volumes().get(key).name()
                + " exists but doesn't match configuration in compose file (" + why + "); run 'jcompose up -y' to recreate it (data will be lost)"));
        if (opt.waitReady() && !opt.noStart()) waitAll(p, selected, opt, plan, starts, numbers);
        return plan.build();
    }

    /**
     * {@code --all-resources}: every network and volume of the project that is missing, whether a service uses it or
     * not (external ones are never created). {@link #up} then finds them present.
     */
    public static Plan allResources(Project p, Observed o) {
        Plan.Builder plan = new Plan.Builder();
        for (Network n : p.networks().values()) {
            if (!n.external() && !o.hasNetwork(n.name())) plan.add(new CreateNetwork(networkSpec(p, n), "missing (--all-resources)"));
        }
        for (Volume v : p.volumes().values()) {
            if (!v.external() && !o.hasVolume(v.name())) plan.add(new CreateVolume(volumeSpec(p, v), "missing (--all-resources)"));
        }
        return plan.build();
    }

    /**
     * The project's volumes that exist but no longer match their definition (labels, driver, driver_opts): compose
     * key → what differs. Only volumes jcompose (or docker compose) created are compared: they carry the
     * {@value Labels#VOLUME} label.
     */
    public static SortedMap<String, String> divergedVolumes(Project p, Observed o) {
        SortedMap<String, String> out = new TreeMap<>();
        for (Volume v : p.volumes().values()) {
            if (v.external()) continue;
            io.jcompose.runtime.VolumeInfo have = o.volumes().stream().filter(x -> x.name().equals(v.name())).findFirst().orElse(null);
            if (have == null || !have.labels().containsKey(Labels.VOLUME)) continue;
            TreeMap<String, String> haveLabels = new TreeMap<>(have.labels());
            haveLabels.keySet().removeIf(k -> k.startsWith("com.docker.compose."));
            TreeMap<String, String> wantLabels = new TreeMap<>(v.labels());
            wantLabels.keySet().removeIf(k -> k.startsWith("com.docker.compose."));
            String wantDriver = v.driver().orElse("local");
            if (!haveLabels.equals(wantLabels)) out.put(v.key(), "labels " + haveLabels + " -> " + wantLabels);
            else if (!have.driver().isEmpty() && !have.driver().equals(wantDriver)) out.put(v.key(), "driver " + have.driver() + " -> " + wantDriver);
            else if (!new TreeMap<>(have.options()).equals(new TreeMap<>(v.driverOpts()))) out.put(v.key(), "driver_opts changed");
        }
        return out;
    }

    /**
     * {@code up -y} for {@link #divergedVolumes}: the containers using each volume are stopped and removed, then the
     * volume (its data is lost, as the prompt of docker compose says); {@link #up} then creates both again.
     */
    public static Plan removeDivergedVolumes(Project p, Observed o, java.util.Collection<String> keys, Optional<java.time.Duration> timeout) {
        Plan.Builder plan = new Plan.Builder();
        for (String key : keys) {
            Volume v = p.volumes().get(key);
            if (v == null) continue;
            Action removeVolume = plan.add(new RemoveVolume(v.name(), "doesn't match configuration in compose file (up -y)"));
            for (Service s : p.services().values()) {
                boolean uses = s.volumes().stream().anyMatch(m -> m.type() == Mount.Type.VOLUME && m.source().filter(key::equals).isPresent());
                if (!uses) continue;
                for (Observed.Container c : o.containersOf(s.name()).values()) {
                    String cause = "uses volume " + v.name() + ", which is recreated";
                    Action stop = c.running() ? plan.add(new StopContainer(s.name(), c.name(), timeout, cause)) : null;
                    Action remove = plan.add(new RemoveContainer(s.name(), c.name(), false, cause));
                    plan.after(remove, stop);
                    plan.after(removeVolume, remove);
                }
            }
        }
        return plan.build();
    }

    static VolumeSpec volumeSpec(Project p, Volume v) {
        TreeMap<String, String> labels = new TreeMap<>(v.labels());
        labels.put(Labels.PROJECT, p.name());
        labels.put(Labels.VOLUME, v.key());
        return new VolumeSpec(v.name(), v.driver().orElse(""), v.driverOpts(), labels);
    }

    private static Map<String, Action> networks(Project p, Observed o, Set<String> selected, Plan.Builder plan,
                                                Map<String, Action> divergedRemovals) {
        Map<String, Action> out = new HashMap<>();
        for (String name : selected) {
            Service s = p.services().get(name);
            if (s.networkMode().isPresent()) continue;
            for (String key : s.networks().keySet()) {
                Network n = p.networks().get(key);
                if (n == null || n.external() || out.containsKey(n.name())) continue;
                NetworkSpec want = networkSpec(p, n);
                Optional<io.jcompose.runtime.NetworkInfo> have = o.network(n.name());
                if (have.isEmpty()) {
                    out.put(n.name(), plan.add(new CreateNetwork(want, "missing")));
                    continue;
                }
                String diff = networkDiff(want, have.get());
                if (diff == null) continue;
                Action remove = plan.add(new RemoveNetwork(n.name(), diff));
                Action create = plan.add(new CreateNetwork(want, diff));
                plan.after(create, remove);
                divergedRemovals.put(n.name(), remove);
                out.put(n.name(), create);
            }
        }
        return out;
    }

    /**
     * Why an existing network no longer matches its definition, or null. Compared: the subnets (when the file names
     * any: an engine-chosen subnet is not a change) and {@code internal}.
     */
    static String networkDiff(NetworkSpec want, io.jcompose.runtime.NetworkInfo have) {
        List<String> wantSubnets = want.ipamPools().stream().map(NetworkSpec.IpamPool::subnet).filter(x -> !x.isEmpty()).sorted().toList();
        List<String> haveSubnets = have.ipamPools().stream().map(NetworkSpec.IpamPool::subnet).filter(x -> !x.isEmpty()).sorted().toList();
        if (!wantSubnets.isEmpty() && !wantSubnets.equals(haveSubnets)) {
            return "config changed (subnet " + String.join(",", haveSubnets) + " -> " + String.join(",", wantSubnets) + ")";
        }
        if (want.internal() != have.internal()) return "config changed (internal " + have.internal() + " -> " + want.internal() + ")";
        return null;
    }

    /**
     * A kept container on networks being recreated: stopped (if running), disconnected before the old network goes,
     * connected to the new one with its endpoint settings. Returns the connect actions (empty: nothing to do).
     */
    private static List<Action> reconnect(Project p, Service s, int number, Observed.Container c, String cname,
                                          Map<String, Action> divergedRemovals, Map<String, Action> networks, UpOptions opt,
                                          Plan.Builder plan, List<Action> myStops, ContainerSpecs.SpecContext ctx) {
        List<Action> connects = new ArrayList<>();
        Action stop = null;
        io.jcompose.runtime.ContainerSpec spec = null;
        for (String net : c.networks()) {
            Action removal = divergedRemovals.get(net);
            if (removal == null) continue;
            if (spec == null) spec = ContainerSpecs.spec(p, s, number, ctx);
            if (stop == null && c.running()) {
                stop = plan.add(new StopContainer(s.name(), c.name(), opt.timeout(), "network " + net + " recreated"));
                myStops.add(stop);
            }
            Action disconnect = plan.add(new Action.DisconnectNetwork(net, c.name(), "network " + net + " recreated"));
            plan.after(disconnect, stop);
            plan.after(removal, disconnect);
            io.jcompose.runtime.NetworkAttachment att = spec.networks().get(net);
            if (att == null) continue;
            Action connect = plan.add(new Action.ConnectNetwork(net, c.name(), att, "network " + net + " recreated"));
            plan.after(connect, networks.get(net));
            plan.after(connect, disconnect);
            connects.add(connect);
        }
        return connects;
    }

    static NetworkSpec networkSpec(Project p, Network n) {
        TreeMap<String, String> labels = new TreeMap<>(n.labels());
        labels.put(Labels.PROJECT, p.name());
        labels.put(Labels.NETWORK, n.key());
        List<NetworkSpec.IpamPool> pools = n.ipam().map(i -> i.config().stream().map(pool -> new NetworkSpec.IpamPool(
                pool.subnet().orElse(""), pool.ipRange().orElse(""), pool.gateway().orElse(""), pool.auxAddresses())).toList())
                .orElse(List.of());
        String ipamDriver = n.ipam().flatMap(i -> i.driver()).orElse("");
        return new NetworkSpec(n.name(), n.driver().orElse(""), labels, n.internal(), n.attachable(),
                n.enableIpv6().orElse(false), ipamDriver, pools, n.driverOpts());
    }

    private static Map<String, Action> volumes(Project p, Observed o, Set<String> selected, Plan.Builder plan) {
        Map<String, Action> out = new HashMap<>();
        for (String name : selected) {
            for (Mount m : p.services().get(name).volumes()) {
                if (m.type() != Mount.Type.VOLUME || m.source().isEmpty()) continue;
                Volume v = p.volumes().get(m.source().get());
                if (v == null || v.external() || o.hasVolume(v.name())) continue;
                // Keyed by the compose key: that is what a service's mount source names.
                out.put(v.key(), plan.add(new CreateVolume(volumeSpec(p, v), "missing")));
            }
        }
        return out;
    }

    private static Action pull(Project p, Service s, String image, Observed o, UpOptions opt, Plan.Builder plan,
                               Map<String, Action> pulls) {
        if (pulls.containsKey(image)) return pulls.get(image);
        boolean present = o.imageId(image).isPresent();
        Action a = null;
        if (s.build().isPresent()) {
            a = build(p, s, present, !o.containersOf(s.name()).isEmpty(), opt, plan);
        } else {
            UpOptions.PullPolicy policy = opt.pull().orElse(s.pullPolicy().map(UpOptions.PullPolicy::of).orElse(UpOptions.PullPolicy.MISSING));
            if (policy == UpOptions.PullPolicy.ALWAYS) {
                a = plan.add(new PullImage(image, opt.pull().isPresent() ? "--pull always" : "pull_policy always"));
            } else if (policy == UpOptions.PullPolicy.MISSING && !present) {
                a = plan.add(new PullImage(image, "missing"));
            }
        }
        pulls.put(image, a);
        return a;
    }

    /**
     * A service with {@code build:}: built with {@code --build} or {@code pull_policy: build}, or when its image is
     * missing; never with {@code --no-build} (a missing image is then an error).
     */
    private static Action build(Project p, Service s, boolean present, boolean hasContainers, UpOptions opt, Plan.Builder plan) {
        String cause;
        if (opt.build() == UpOptions.BuildPolicy.NEVER) {
            if (!present) {
                throw new IllegalStateException("service " + s.name() + ": image " + ContainerSpecs.image(p, s)
                        + " does not exist and --no-build forbids building it; run 'jcompose build " + s.name()
                        + "' or drop --no-build");
            }
            return null;
        } else if (opt.build() == UpOptions.BuildPolicy.ALWAYS) {
            cause = "--build";
        } else if (s.pullPolicy().filter("build"::equals).isPresent()) {
            cause = "pull_policy build";
        } else if (!present) {
            cause = "missing";
        } else {
            return null;
        }
        // The plan cannot know the new image id; say what the second plan (see Composer.up) will decide.
        if (hasContainers) cause += "; " + s.name() + "'s containers are recreated if the image id changes";
        return plan.add(new Action.BuildImage(s.name(), BuildSpecs.spec(p, s, false, false, Map.of(), opt.env()), cause));
    }

    /**
     * {@code jcompose build}: one {@link Action.BuildImage} per selected service that has {@code build:} (each image
     * once), independent of each other so they run in parallel. Services without {@code build:} are skipped.
     *
     * @param withDependencies also build the services the named ones depend on
     */
    public static Plan build(Project p, List<String> services, boolean withDependencies, boolean noCache, boolean pull,
                             Map<String, String> buildArgs, java.util.function.Function<String, String> env) {
        for (String s : services) {
            if (!p.services().containsKey(s)) {
                throw new IllegalArgumentException("no such service: " + s + " (defined: " + String.join(", ", p.services().keySet()) + ")");
            }
        }
        Set<String> selected = services.isEmpty() ? p.services().keySet()
                : withDependencies ? serviceGraph(p).dependencyClosure(services) : new TreeSet<>(services);
        Plan.Builder plan = new Plan.Builder();
        Set<String> images = new TreeSet<>();
        for (String name : selected) {
            Service s = p.services().get(name);
            if (s.build().isEmpty() || !images.add(ContainerSpecs.image(p, s))) continue;
            plan.add(new Action.BuildImage(name, BuildSpecs.spec(p, s, noCache, pull, buildArgs, env), "jcompose build"));
        }
        return plan.build();
    }

    /**
     * The container numbers a service at {@code scale} ends up with, as docker compose's convergence picks them: the
     * existing containers ordered up-to-date first, each group by number, keep the first {@code scale} places (an
     * obsolete one kept is recreated under its number); scaling down drops the rest — the obsolete ones first, then
     * the highest numbers; scaling up adds numbers after the highest existing one. So {@code up --no-recreate --scale
     * 4} after a rebuild, then {@code --scale 2}, keeps the two replicas of the new image (3, 4). A container
     * without a valid number (below 1) is never kept. Sorted.
     */
    static List<Integer> slots(Set<Integer> existing, Map<Integer, String> reasons, int scale) {
        List<Integer> order = new ArrayList<>(existing.stream().filter(n -> n >= 1).sorted().toList());
        order.sort(java.util.Comparator.comparing((Integer n) -> reasons.get(n) != null));
        List<Integer> out = new ArrayList<>(order.subList(0, Math.min(scale, order.size())));
        int next = existing.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        while (out.size() < scale) out.add(Math.max(next++, 1));
        out.sort(null);
        return out;
    }

    /** Why a container must be replaced, or null to keep it. The first reason found wins; the order is documented. */
    private static String recreateReason(Observed.Container c, String hash, String fields, Optional<String> imageId,
                                         SortedSet<String> desiredNets, boolean compareNets, boolean force,
                                         Optional<String> followed) {
        if (force) return "forced";
        String oldHash = c.labels().getOrDefault(Labels.CONFIG_HASH, "");
        if (!oldHash.equals(hash)) {
            List<String> changed = ConfigHash.changedFields(c.labels().getOrDefault(Labels.CONFIG_FIELDS, ""), fields);
            return changed.isEmpty() || !c.labels().containsKey(Labels.CONFIG_FIELDS)
                    ? "config hash changed" : "config hash changed (" + String.join(", ", changed) + ")";
        }
        if (imageId.isPresent() && !c.imageId().isEmpty() && !imageId.get().equals(c.imageId())) {
            return "image changed (" + shortId(c.imageId()) + " -> " + shortId(imageId.get()) + ")";
        }
        if (compareNets && !c.networks().equals(desiredNets)) {
            List<String> diff = new ArrayList<>();
            desiredNets.stream().filter(n -> !c.networks().contains(n)).forEach(n -> diff.add("+" + n));
            c.networks().stream().filter(n -> !desiredNets.contains(n)).forEach(n -> diff.add("-" + n));
            return "networks changed (" + String.join(", ", diff) + ")";
        }
        return followed.orElse(null);
    }

    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** A recreated dependency this service must follow: restart: true, a shared namespace, or volumes_from. */
    private static Optional<String> followedRecreation(Service s, Set<String> recreated) {
        for (Map.Entry<String, Dependency> e : s.dependsOn().entrySet()) {
            String d = e.getKey();
            if (!recreated.contains(d)) continue;
            if (e.getValue().restart()) return Optional.of("dependency " + d + " recreated (depends_on restart: true)");
            String ref = "service:" + d;
            if (s.networkMode().filter(ref::equals).isPresent()) return Optional.of("dependency " + d + " recreated (network_mode: " + ref + ")");
            if (s.ipc().filter(ref::equals).isPresent()) return Optional.of("dependency " + d + " recreated (ipc: " + ref + ")");
            if (s.pid().filter(ref::equals).isPresent()) return Optional.of("dependency " + d + " recreated (pid: " + ref + ")");
            for (String vf : s.volumesFrom()) {
                if (vf.equals(d) || vf.startsWith(d + ":")) return Optional.of("dependency " + d + " recreated (volumes_from: " + d + ")");
            }
        }
        return Optional.empty();
    }

    private static Condition condition(Dependency.Condition c) {
        return switch (c) {
            case SERVICE_STARTED -> Condition.STARTED;
            case SERVICE_HEALTHY -> Condition.HEALTHY;
            case SERVICE_COMPLETED_SUCCESSFULLY -> Condition.COMPLETED_SUCCESSFULLY;
        };
    }

    /**
     * The await steps a service's create/start actions run after: one per selected dependency. Added to the plan
     * only when used, so a service with nothing to do waits for nothing (a no-op {@code up} has an empty plan).
     */
    private static LazyAwaits awaitsFor(Project p, Service s, Set<String> selected, UpOptions opt, Plan.Builder plan,
                                        Map<String, List<Action>> starts, Map<String, List<Integer>> numbers) {
        LazyAwaits out = new LazyAwaits(plan);
        if (opt.noStart()) return out;
        for (Map.Entry<String, Dependency> e : s.dependsOn().entrySet()) {
            String d = e.getKey();
            if (!selected.contains(d)) continue;
            Service dep = p.services().get(d);
            int scale = opt.scale().getOrDefault(d, dep.scale());
            if (scale == 0) {
                plan.warn("service " + s.name() + " depends on " + d + ", which is scaled to 0");
                continue;
            }
            List<String> names = new ArrayList<>();
            for (int n : numbers.getOrDefault(d, List.of())) names.add(ContainerSpecs.containerName(p, dep, n));
            out.pending.add(new AwaitCondition(d, names, condition(e.getValue().condition()), e.getValue().required(),
                    s.name() + " depends on " + d + " (" + e.getValue().condition().composeName() + ")"));
            out.startsOfDependency.add(starts.getOrDefault(d, List.of()));
        }
        return out;
    }

    /** Await actions that join the plan on first use. */
    private static final class LazyAwaits {
        private final Plan.Builder plan;
        final List<AwaitCondition> pending = new ArrayList<>();
        final List<List<Action>> startsOfDependency = new ArrayList<>();
        private List<Action> added;

        LazyAwaits(Plan.Builder plan) {
            this.plan = plan;
        }

        List<Action> get() {
            if (added == null) {
                added = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    Action a = plan.add(pending.get(i));
                    for (Action start : startsOfDependency.get(i)) plan.after(a, start);
                    added.add(a);
                }
            }
            return added;
        }
    }

    /** {@code --wait}: every started service must end up ready (healthy or running; completed for one-shots). */
    private static void waitAll(Project p, Set<String> selected, UpOptions opt, Plan.Builder plan, Map<String, List<Action>> starts,
                                Map<String, List<Integer>> numbers) {
        Set<String> oneShots = new TreeSet<>();
        for (Service s : p.services().values()) {
            s.dependsOn().forEach((d, dep) -> {
                if (dep.condition() == Dependency.Condition.SERVICE_COMPLETED_SUCCESSFULLY) oneShots.add(d);
            });
        }
        for (String name : selected) {
            Service s = p.services().get(name);
            int scale = opt.scale().getOrDefault(name, s.scale());
            if (scale == 0) continue;
            List<String> names = new ArrayList<>();
            for (int n : numbers.getOrDefault(name, List.of())) names.add(ContainerSpecs.containerName(p, s, n));
            Condition c = oneShots.contains(name) ? Condition.COMPLETED_SUCCESSFULLY : Condition.RUNNING_OR_HEALTHY;
            Action a = plan.add(new AwaitCondition(name, names, c, true, "--wait"));
            for (Action start : starts.getOrDefault(name, List.of())) plan.after(a, start);
        }
    }

    private static void orphans(Project p, Observed o, boolean remove, Optional<java.time.Duration> timeout,
                                Plan.Builder plan, String verb) {
        Set<String> names = new LinkedHashSet<>();
        for (Observed.Container c : o.containers()) {
            if (c.oneoff() || p.services().containsKey(c.service())) continue;
            names.add(c.name());
            if (!remove) continue;
            String cause = p.services().isEmpty() ? "project label (no Compose file)"
                    : "orphan (service " + c.service() + " is not in the project)";
            Action stop = c.running() ? plan.add(new StopContainer(c.service(), c.name(), timeout, cause)) : null;
            plan.after(plan.add(new RemoveContainer(c.service(), c.name(), false, cause)), stop);
        }
        if (!remove && !names.isEmpty()) {
            plan.warn("found orphan containers (" + String.join(", ", names) + "); run 'jcompose " + verb
                    + " --remove-orphans' to remove them");
        }
    }

    /** Without a file, the order comes from the {@value Labels#DEPENDS_ON} labels: dependents stop first. */
    private static void orderByDependsOnLabels(Observed o, Plan.Builder plan) {
        Map<String, List<Action>> stops = new TreeMap<>();
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Observed.Container c : o.containers()) {
            Action stop = plan.get("stop container " + c.name());
            if (stop != null) stops.computeIfAbsent(c.service(), k -> new ArrayList<>()).add(stop);
            for (String entry : c.labels().getOrDefault(Labels.DEPENDS_ON, "").split(",")) {
                String dep = entry.split(":")[0];
                if (!dep.isEmpty()) deps.computeIfAbsent(c.service(), k -> new TreeSet<>()).add(dep);
            }
        }
        deps.forEach((service, ds) -> {
            for (String d : ds) {
                for (Action theirs : stops.getOrDefault(d, List.of())) {
                    for (Action mine : stops.getOrDefault(service, List.of())) plan.after(theirs, mine);
                }
            }
        });
    }

    /**
     * {@code down}: stop containers in reverse dependency order (dependents first), remove them, then the project's
     * networks, with {@code -v} its named volumes (anonymous ones go with their containers), with {@code --rmi} its
     * images. External networks and volumes are never touched: they carry no project label, so they are never
     * observed. A project without services ({@code down -p NAME} where no Compose file is found) removes every
     * container, network (and with {@code -v} volume) labelled with the project; pass {@code removeOrphans}.
     */
    public static Plan down(Project p, Observed o, DownOptions opt) {
        Plan.Builder plan = new Plan.Builder();
        Graph graph = serviceGraph(p);
        Map<String, List<Action>> stops = new TreeMap<>();
        List<Action> removes = new ArrayList<>();
        // down SERVICE…: those services and, as docker compose, every service that depends on them.
        Set<String> scope = new TreeSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(opt.services());
        while (!todo.isEmpty()) {
            String s = todo.pop();
            if (!p.services().containsKey(s)) {
                throw new IllegalArgumentException("no such service: " + s + " (defined: " + String.join(", ", p.services().keySet()) + ")");
            }
            if (scope.add(s)) todo.addAll(graph.dependentsOf(s));
        }
        boolean scoped = !scope.isEmpty();
        Set<String> keptNetworks = new TreeSet<>();
        Set<String> keptVolumes = new TreeSet<>();
        for (Observed.Container c : o.containers()) {
            if (scoped && p.services().containsKey(c.service()) && !scope.contains(c.service())) {
                keptNetworks.addAll(c.networks());
                for (Mount m : p.services().get(c.service()).volumes()) {
                    if (m.type() == Mount.Type.VOLUME) m.source().map(p.volumes()::get).ifPresent(v -> keptVolumes.add(v.name()));
                }
            }
        }
        for (Observed.Container c : o.containers()) {
            if (!p.services().containsKey(c.service()) || scoped && !scope.contains(c.service())) continue;
            Action stop = c.running() ? plan.add(new StopContainer(c.service(), c.name(), opt.timeout(), "down")) : null;
            if (stop != null) stops.computeIfAbsent(c.service(), k -> new ArrayList<>()).add(stop);
            Action remove = plan.add(new RemoveContainer(c.service(), c.name(), opt.volumes(), "down"));
            plan.after(remove, stop);
            removes.add(remove);
        }
        for (String s : stops.keySet()) {
            for (String dependent : graph.dependentsOf(s)) {
                for (Action mine : stops.get(s)) {
                    for (Action theirs : stops.getOrDefault(dependent, List.of())) plan.after(mine, theirs);
                }
            }
        }
        int before = removes.size();
        orphans(p, o, opt.removeOrphans(), opt.timeout(), plan, "down");
        for (Observed.Container c : o.containers()) {
            if (plan.contains("remove container " + c.name()) && !p.services().containsKey(c.service())) {
                removes.add(plan.get("remove container " + c.name()));
            }
        }
        assert removes.size() >= before;
        if (p.services().isEmpty()) orderByDependsOnLabels(o, plan);
        // Without services (down -p NAME and no file) everything labelled with the project goes.
        boolean byLabelOnly = p.services().isEmpty();
        Set<String> networkNames = new TreeSet<>();
        for (Network n : p.networks().values()) if (!n.external() && o.hasNetwork(n.name())) networkNames.add(n.name());
        if (byLabelOnly) o.networks().forEach(n -> networkNames.add(n.name()));
        // A scoped down leaves what the remaining containers still use (docker compose: "Resource is still in use").
        networkNames.removeAll(keptNetworks);
        for (String n : networkNames) {
            Action a = plan.add(new RemoveNetwork(n, "down"));
            removes.forEach(r -> plan.after(a, r));
        }
        if (opt.volumes()) {
            Set<String> volumeNames = new TreeSet<>();
            for (Volume v : p.volumes().values()) if (!v.external() && o.hasVolume(v.name())) volumeNames.add(v.name());
            if (byLabelOnly) o.volumes().forEach(v -> volumeNames.add(v.name()));
            volumeNames.removeAll(keptVolumes);
            for (String v : volumeNames) {
                Action a = plan.add(new RemoveVolume(v, "down -v"));
                removes.forEach(r -> plan.after(a, r));
            }
        }
        opt.rmi().ifPresent(rmi -> {
            Set<String> images = new TreeSet<>();
            for (Service s : p.services().values()) {
                if (rmi == DownOptions.Rmi.ALL || s.image().isEmpty()) images.add(ContainerSpecs.image(p, s));
            }
            for (String image : images) {
                if (o.imageId(image).isEmpty()) continue;
                Action a = plan.add(new RemoveImage(image, "--rmi " + rmi.name().toLowerCase(java.util.Locale.ROOT)));
                removes.forEach(r -> plan.after(a, r));
            }
        });
        return plan.build();
    }
}

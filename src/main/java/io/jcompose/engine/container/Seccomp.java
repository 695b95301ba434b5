package io.jcompose.engine.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The default seccomp filter, written from the facts of Docker's default profile as its documentation lists them
 * ("significant syscalls blocked by the default profile"), expressed as a deny list: everything is allowed except
 * those syscalls, which fail with EPERM unless the capability Docker ties them to was added. {@code clone} with a
 * namespace flag is refused without CAP_SYS_ADMIN; {@code clone3} answers ENOSYS (so libc falls back to clone,
 * whose flags can be checked), as in Docker.
 *
 * <p>Known differences from Docker's allow-list profile: syscalls newer than this list are allowed, and
 * {@code personality} is not restricted to Docker's personas. {@code seccomp=unconfined} and Privileged turn the
 * filter off; a custom profile in SecurityOpt is refused with a message (not supported yet).
 */
final class Seccomp {
    private Seccomp() {}

    static final int EPERM = 1;
    static final int ENOSYS = 38;

    /** Blocked syscall → the capability that unblocks it ("" = never). Sorted for a stable config.json. */
    static final SortedMap<String, String> BLOCKED = new TreeMap<>();

    static {
        for (String s : List.of("acct")) BLOCKED.put(s, "CAP_SYS_PACCT");
        for (String s : List.of("add_key", "keyctl", "request_key", "nfsservctl", "uselib", "ustat",
                "sysfs", "_sysctl", "vm86", "vm86old", "userfaultfd", "get_kernel_syms", "query_module")) BLOCKED.put(s, "");
        for (String s : List.of("bpf", "mount", "umount", "umount2", "unshare", "setns", "pivot_root", "quotactl",
                "swapon", "swapoff", "name_to_handle_at", "open_by_handle_at", "perf_event_open", "fsopen", "fsmount",
                "fsconfig", "fspick", "move_mount", "open_tree", "lookup_dcookie")) BLOCKED.put(s, "CAP_SYS_ADMIN");
        for (String s : List.of("clock_adjtime", "clock_settime", "settimeofday", "stime")) BLOCKED.put(s, "CAP_SYS_TIME");
        for (String s : List.of("create_module", "delete_module", "finit_module", "init_module")) BLOCKED.put(s, "CAP_SYS_MODULE");
        for (String s : List.of("get_mempolicy", "mbind", "set_mempolicy", "move_pages")) BLOCKED.put(s, "CAP_SYS_NICE");
        for (String s : List.of("ioperm", "iopl")) BLOCKED.put(s, "CAP_SYS_RAWIO");
        for (String s : List.of("kcmp", "process_vm_readv", "process_vm_writev", "ptrace")) BLOCKED.put(s, "CAP_SYS_PTRACE");
        for (String s : List.of("kexec_file_load", "kexec_load", "reboot")) BLOCKED.put(s, "CAP_SYS_BOOT");
    }

    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET. */
    static final long[] NAMESPACE_FLAGS = {0x00020000L, 0x02000000L, 0x04000000L, 0x08000000L, 0x10000000L, 0x20000000L, 0x40000000L};

    /** The linux.seccomp section for a container with {@code caps}, or null for none (unconfined/privileged). */
    static Map<String, Object> profile(List<String> caps, List<String> securityOpt, boolean privileged) {
        for (String o : securityOpt) {
            String v = o.startsWith("seccomp=") ? o.substring(8) : o.startsWith("seccomp:") ? o.substring(8) : null;
            if (v == null) continue;
            if (v.equals("unconfined")) return null;
            throw new IllegalArgumentException("custom seccomp profiles are not supported yet: use seccomp=unconfined or the default");
        }
        if (privileged) return null;
        List<String> denied = new ArrayList<>();
        BLOCKED.forEach((sys, cap) -> {
            if (cap.isEmpty() || !caps.contains(cap)) denied.add(sys);
        });
        List<Object> rules = new ArrayList<>();
        rules.add(rule(denied, EPERM, null));
        rules.add(rule(List.of("clone3"), ENOSYS, null));
        if (!caps.contains("CAP_SYS_ADMIN")) {
            for (long flag : NAMESPACE_FLAGS) {
                SortedMap<String, Object> arg = new TreeMap<>();
                arg.put("index", 0);
                arg.put("value", flag);
                arg.put("valueTwo", flag);
                arg.put("op", "SCMP_CMP_MASKED_EQ");
                rules.add(rule(List.of("clone"), EPERM, List.of(arg)));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("defaultAction", "SCMP_ACT_ALLOW");
        m.put("architectures", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"));
        m.put("syscalls", rules);
        return m;
    }

    private static Map<String, Object> rule(List<String> names, int errno, List<Object> args) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("names", names);
        r.put("action", "SCMP_ACT_ERRNO");
        r.put("errnoRet", errno);
        if (args != null) r.put("args", args);
        return r;
    }
}

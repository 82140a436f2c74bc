package dev.cove.sandbox.bubblewrap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The seccomp filter every sandbox loads: a classic-BPF program handed to {@code bwrap --seccomp FD},
 * built here byte by byte so that no libseccomp is needed.
 *
 * <p><b>What it denies and why.</b> Namespaces and cgroups already keep a worker away from the host;
 * the filter shrinks the kernel surface left inside. It refuses, with {@code EPERM}: reading
 * or steering other processes (ptrace, process_vm_readv/writev); mounting and leaving the mount tree
 * (mount, umount2, pivot_root and the new mount API: fsopen, fsconfig, fsmount, fspick, move_mount,
 * open_tree, mount_setattr); entering or creating namespaces (unshare, setns, and clone with a
 * CLONE_NEW* flag); the kernel's big attack surfaces (bpf, perf_event_open, userfaultfd, keyctl,
 * add_key, request_key); loading code into or rebooting the kernel (init/finit/delete_module,
 * kexec_load, kexec_file_load, reboot); machine-wide state (swapon/off, acct, quotactl, syslog, the
 * clock setters, iopl/ioperm, fanotify_init, lookup_dcookie); and file handles that bypass the mount
 * tree (open_by_handle_at, name_to_handle_at). Everything else is allowed: the filter is a deny list,
 * so runtimes keep working as they are.
 *
 * <p><b>What it can't see.</b> BPF sees the syscall number and the six argument registers, never
 * memory. clone's flags are a register, so clone is checked; clone3 passes its flags in a struct
 * behind a pointer, so clone3 answers {@code ENOSYS}, which makes glibc (2.34+) fall back to clone,
 * where the flags are visible. A foreign architecture (i386 via int 0x80 on x86_64, arm32 on aarch64)
 * numbers syscalls differently, so the filter kills such a process outright; x32 calls (number with
 * bit 30 set) reuse the x86_64 audit arch, so they are refused by number. Bubblewrap's own
 * {@code --disable-userns} complements this: it makes nested user namespaces impossible even through
 * a path the filter doesn't cover.
 *
 * <p><b>Cost.</b> The verdict for every syscall but clone depends on its number alone, so the kernel's
 * seccomp action cache (Linux 5.11+) allows ordinary calls without running the program at all.
 */
final class SeccompFilter {
    private SeccompFilter() {}

    // struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; } (linux/seccomp.h)
    static final int DATA_NR = 0;
    static final int DATA_ARCH = 4;
    /** The low 32 bits of args[0] (little-endian). */
    static final int DATA_ARG0_LOW = 16;

    // Return values (linux/seccomp.h) and errno values (asm-generic/errno-base.h, errno.h).
    static final int RET_KILL_PROCESS = 0x8000_0000;
    static final int RET_ERRNO = 0x0005_0000;
    static final int RET_ALLOW = 0x7fff_0000;
    static final int EPERM = 1;
    static final int ENOSYS = 38;

    /** x32 syscalls are x86_64 numbers with this bit set (asm/unistd.h: __X32_SYSCALL_BIT). */
    static final int X32_SYSCALL_BIT = 0x4000_0000;

    /**
     * The CLONE_NEW* flags (linux/sched.h). CLONE_NEWTIME (0x80) lies inside clone()'s exit-signal
     * byte, so plain clone can't ask for it; it stays in the mask because no real signal sets it.
     */
    static final int CLONE_NAMESPACE_FLAGS = 0x0000_0080 // CLONE_NEWTIME
            | 0x0002_0000 // CLONE_NEWNS
            | 0x0200_0000 // CLONE_NEWCGROUP
            | 0x0400_0000 // CLONE_NEWUTS
            | 0x0800_0000 // CLONE_NEWIPC
            | 0x1000_0000 // CLONE_NEWUSER
            | 0x2000_0000 // CLONE_NEWPID
            | 0x4000_0000; // CLONE_NEWNET

    /** The architectures Cove sandboxes on, with the AUDIT_ARCH value the kernel reports (linux/audit.h). */
    enum Arch {
        X86_64(0xC000_003E),
        AARCH64(0xC000_00B7);

        final int auditArch;

        Arch(int auditArch) {
            this.auditArch = auditArch;
        }

        static Arch current() {
            return of(System.getProperty("os.arch", ""));
        }

        /** Maps a JVM {@code os.arch} value; throws for an architecture with no syscall table here. */
        static Arch of(String osArch) {
            return switch (osArch.toLowerCase(Locale.ROOT)) {
                case "amd64", "x86_64" -> X86_64;
                case "aarch64", "arm64" -> AARCH64;
                default -> throw new IllegalStateException("no seccomp filter for architecture '" + osArch
                        + "': Cove's sandbox knows the syscall numbers of x86_64 and aarch64 only");
            };
        }
    }

    /** A syscall and its number on each architecture; {@link #NONE} where it doesn't exist. */
    record Syscall(String name, int x86_64, int aarch64) {
        static final int NONE = -1;

        OptionalInt number(Arch arch) {
            int nr = switch (arch) {
                case X86_64 -> x86_64;
                case AARCH64 -> aarch64;
            };
            return nr == NONE ? OptionalInt.empty() : OptionalInt.of(nr);
        }
    }

    /*
     * Syscall numbers from the kernel's tables: arch/x86/entry/syscalls/syscall_64.tbl ("common" and
     * "64" rows) and, for aarch64, include/uapi/asm-generic/unistd.h (scripts/syscall.tbl in newer
     * kernels). Checked against /usr/include/x86_64-linux-gnu/asm/unistd_64.h and
     * /usr/include/asm-generic/unistd.h of linux-libc-dev 6.1; SeccompFilterTest re-reads those headers
     * where they are installed.
     */
    static final List<Syscall> DENIED = List.of(
            // other processes' memory and control
            new Syscall("ptrace", 101, 117),
            new Syscall("process_vm_readv", 310, 270),
            new Syscall("process_vm_writev", 311, 271),
            // mounts, old and new API
            new Syscall("mount", 165, 40),
            new Syscall("umount2", 166, 39),
            new Syscall("pivot_root", 155, 41),
            new Syscall("move_mount", 429, 429),
            new Syscall("open_tree", 428, 428),
            new Syscall("fsopen", 430, 430),
            new Syscall("fsconfig", 431, 431),
            new Syscall("fsmount", 432, 432),
            new Syscall("fspick", 433, 433),
            new Syscall("mount_setattr", 442, 442),
            // namespaces (clone is checked by its flags below)
            new Syscall("unshare", 272, 97),
            new Syscall("setns", 308, 268),
            // large kernel attack surfaces
            new Syscall("bpf", 321, 280),
            new Syscall("perf_event_open", 298, 241),
            new Syscall("userfaultfd", 323, 282),
            new Syscall("io_uring_setup", 425, 425),
            new Syscall("io_uring_enter", 426, 426),
            new Syscall("io_uring_register", 427, 427),
            new Syscall("keyctl", 250, 219),
            new Syscall("add_key", 248, 217),
            new Syscall("request_key", 249, 218),
            // the kernel itself
            new Syscall("kexec_load", 246, 104),
            new Syscall("kexec_file_load", 320, 294),
            new Syscall("init_module", 175, 105),
            new Syscall("finit_module", 313, 273),
            new Syscall("delete_module", 176, 106),
            new Syscall("reboot", 169, 142),
            // machine-wide state
            new Syscall("swapon", 167, 224),
            new Syscall("swapoff", 168, 225),
            new Syscall("acct", 163, 89),
            new Syscall("quotactl", 179, 60),
            new Syscall("syslog", 103, 116),
            new Syscall("settimeofday", 164, 170),
            new Syscall("clock_settime", 227, 112),
            new Syscall("clock_adjtime", 305, 266),
            new Syscall("adjtimex", 159, 171),
            new Syscall("iopl", 172, Syscall.NONE),
            new Syscall("ioperm", 173, Syscall.NONE),
            new Syscall("lookup_dcookie", 212, 18),
            new Syscall("fanotify_init", 300, 262),
            // file handles resolve outside the sandbox's mount tree
            new Syscall("open_by_handle_at", 304, 265),
            new Syscall("name_to_handle_at", 303, 264));

    static final Syscall CLONE = new Syscall("clone", 56, 220);
    static final Syscall CLONE3 = new Syscall("clone3", 435, 435);

    /** The filter for the architecture this JVM runs on. */
    static byte[] program() {
        return program(Arch.current());
    }

    static byte[] program(Arch arch) {
        Assembler a = new Assembler();
        a.ld(DATA_ARCH).jeq(arch.auditArch, Assembler.NEXT, "kill");
        a.ld(DATA_NR);
        if (arch == Arch.X86_64) {
            a.jge(X32_SYSCALL_BIT, "eperm");
        }
        for (Syscall denied : DENIED) {
            denied.number(arch).ifPresent(nr -> a.jeq(nr, "eperm"));
        }
        a.jeq(CLONE.number(arch).orElseThrow(), "clone");
        a.jeq(CLONE3.number(arch).orElseThrow(), "enosys");
        a.ret(RET_ALLOW);
        // clone's flags are args[0] on x86_64 and aarch64 alike; the kernel reads only their low 32 bits
        a.label("clone").ld(DATA_ARG0_LOW).jset(CLONE_NAMESPACE_FLAGS, "eperm").ret(RET_ALLOW);
        a.label("eperm").ret(RET_ERRNO | EPERM);
        a.label("enosys").ret(RET_ERRNO | ENOSYS);
        a.label("kill").ret(RET_KILL_PROCESS);
        return a.assemble();
    }

    /**
     * A tiny classic-BPF assembler: instructions are appended in order, jumps name labels, and
     * {@link #assemble} resolves them into the forward offsets (0..255) that BPF allows.
     */
    static final class Assembler {
        /** The jump target that means "the next instruction". */
        static final String NEXT = "";
        /** The kernel's BPF_MAXINSNS. */
        static final int MAX_INSTRUCTIONS = 4096;

        // Opcodes (linux/bpf_common.h): class | size | mode, or class | op | source.
        static final int LD_W_ABS = 0x00 | 0x00 | 0x20; // BPF_LD | BPF_W | BPF_ABS
        static final int JEQ_K = 0x05 | 0x10; // BPF_JMP | BPF_JEQ | BPF_K
        static final int JGE_K = 0x05 | 0x30; // BPF_JMP | BPF_JGE | BPF_K
        static final int JSET_K = 0x05 | 0x40; // BPF_JMP | BPF_JSET | BPF_K
        static final int RET_K = 0x06; // BPF_RET | BPF_K

        private record Instruction(int code, String jt, String jf, int k) {}

        private final List<Instruction> program = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        /** A = the 32-bit word at {@code offset} in seccomp_data. */
        Assembler ld(int offset) {
            return add(LD_W_ABS, NEXT, NEXT, offset);
        }

        /** If A == k go to {@code ifTrue}, else fall through. */
        Assembler jeq(int k, String ifTrue) {
            return jeq(k, ifTrue, NEXT);
        }

        Assembler jeq(int k, String ifTrue, String ifFalse) {
            return add(JEQ_K, ifTrue, ifFalse, k);
        }

        /** If A >= k (unsigned) go to {@code ifTrue}, else fall through. */
        Assembler jge(int k, String ifTrue) {
            return add(JGE_K, ifTrue, NEXT, k);
        }

        /** If A & k != 0 go to {@code ifTrue}, else fall through. */
        Assembler jset(int k, String ifTrue) {
            return add(JSET_K, ifTrue, NEXT, k);
        }

        Assembler ret(int k) {
            return add(RET_K, NEXT, NEXT, k);
        }

        /** Names the next instruction appended. */
        Assembler label(String name) {
            if (labels.putIfAbsent(name, program.size()) != null) {
                throw new IllegalStateException("label '" + name + "' defined twice");
            }
            return this;
        }

        private Assembler add(int code, String jt, String jf, int k) {
            program.add(new Instruction(code, jt, jf, k));
            return this;
        }

        /** The program as the kernel takes it: struct sock_filter {u16 code; u8 jt; u8 jf; u32 k;}[]. */
        byte[] assemble() {
            if (program.size() > MAX_INSTRUCTIONS) {
                throw new IllegalStateException("BPF program has " + program.size()
                        + " instructions, the kernel takes at most " + MAX_INSTRUCTIONS);
            }
            ByteBuffer out = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int pc = 0; pc < program.size(); pc++) {
                Instruction insn = program.get(pc);
                out.putShort((short) insn.code())
                        .put((byte) offset(pc, insn.jt()))
                        .put((byte) offset(pc, insn.jf()))
                        .putInt(insn.k());
            }
            return out.array();
        }

        private int offset(int pc, String label) {
            if (label.equals(NEXT)) {
                return 0;
            }
            Integer target = labels.get(label);
            if (target == null) {
                throw new IllegalStateException("jump at " + pc + " to undefined label '" + label + "'");
            }
            int offset = target - (pc + 1);
            if (offset < 0 || offset > 255) {
                throw new IllegalStateException("jump at " + pc + " to '" + label + "' spans " + offset
                        + " instructions; classic BPF jumps forward 0..255");
            }
            return offset;
        }
    }
}

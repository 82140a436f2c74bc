package dev.cove.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cove.sandbox.bubblewrap.SeccompFilter.Arch;
import dev.cove.sandbox.bubblewrap.SeccompFilter.Assembler;
import dev.cove.sandbox.bubblewrap.SeccompFilter.Syscall;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The filter's shape (what the kernel's checker demands) and its verdicts, by running the program in
 * a small classic-BPF interpreter over synthetic seccomp_data for each architecture.
 */
class SeccompFilterTest {
    static final int ERRNO_EPERM = SeccompFilter.RET_ERRNO | SeccompFilter.EPERM;
    static final int ERRNO_ENOSYS = SeccompFilter.RET_ERRNO | SeccompFilter.ENOSYS;
    static final int AUDIT_ARCH_I386 = 0x4000_0003;
    static final int SIGCHLD = 17;
    static final int CLONE_NEWUSER = 0x1000_0000;
    static final int CLONE_NEWNET = 0x4000_0000;
    static final int CLONE_NEWNS = 0x0002_0000;
    /** What glibc's fork() passes: CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD. */
    static final long FORK_FLAGS = 0x0100_0000 | 0x0020_0000 | SIGCHLD;
    /** What pthread_create passes to clone when clone3 is refused. */
    static final long THREAD_FLAGS = 0x0001_0000 | 0x0000_0100 | 0x0000_0200 | 0x0000_0400 | 0x0000_0800
            | 0x0004_0000 | 0x0008_0000 | 0x0010_0000 | 0x0020_0000 | 0x0040_0000;

    static final Map<Arch, Map<String, Integer>> ALLOWED = Map.of(
            Arch.X86_64, Map.of("read", 0, "write", 1, "openat", 257, "futex", 202, "socket", 41,
                    "execve", 59, "exit_group", 231),
            Arch.AARCH64, Map.of("read", 63, "write", 64, "openat", 56, "futex", 98, "socket", 198,
                    "execve", 221, "exit_group", 94));

    @ParameterizedTest
    @EnumSource(Arch.class)
    void programIsWholeInstructionsWithinTheKernelsLimitAndEndsInReturn(Arch arch) {
        byte[] program = SeccompFilter.program(arch);

        assertThat(program.length % 8).isZero();
        List<Insn> insns = Insn.decode(program);
        assertThat(insns).hasSizeBetween(1, Assembler.MAX_INSTRUCTIONS);
        assertThat(insns.getLast().code()).isEqualTo(Assembler.RET_K);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void startsByCheckingTheArchitecture(Arch arch) {
        List<Insn> insns = Insn.decode(SeccompFilter.program(arch));

        assertThat(insns.get(0)).isEqualTo(new Insn(Assembler.LD_W_ABS, 0, 0, SeccompFilter.DATA_ARCH));
        assertThat(insns.get(1).code()).isEqualTo(Assembler.JEQ_K);
        assertThat(insns.get(1).k()).isEqualTo(arch.auditArch);
        assertThat(insns.get(1).jt()).isZero();
        assertThat(insns.get(2 + insns.get(1).jf())).isEqualTo(
                new Insn(Assembler.RET_K, 0, 0, SeccompFilter.RET_KILL_PROCESS));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void everyJumpLandsInsideTheProgramAndEveryLoadInsideSeccompData(Arch arch) {
        List<Insn> insns = Insn.decode(SeccompFilter.program(arch));

        for (int pc = 0; pc < insns.size(); pc++) {
            Insn insn = insns.get(pc);
            switch (insn.code()) {
                case Assembler.JEQ_K, Assembler.JGE_K, Assembler.JSET_K -> {
                    assertThat(pc + 1 + insn.jt()).as("jt of %d", pc).isLessThan(insns.size());
                    assertThat(pc + 1 + insn.jf()).as("jf of %d", pc).isLessThan(insns.size());
                }
                case Assembler.LD_W_ABS -> assertThat(insn.k()).as("load at %d", pc)
                        .isBetween(0, Seccomp.DATA_SIZE - 4).matches(k -> k % 4 == 0, "word-aligned");
                case Assembler.RET_K -> { }
                default -> throw new AssertionError("unexpected opcode " + insn.code() + " at " + pc);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void everyDeniedSyscallAnswersEperm(Arch arch) {
        byte[] program = SeccompFilter.program(arch);

        for (Syscall denied : SeccompFilter.DENIED) {
            denied.number(arch).ifPresent(nr -> assertThat(Seccomp.run(program, arch.auditArch, nr, 0))
                    .as(denied.name()).isEqualTo(ERRNO_EPERM));
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void ordinarySyscallsAreAllowed(Arch arch) {
        byte[] program = SeccompFilter.program(arch);

        ALLOWED.get(arch).forEach((name, nr) -> assertThat(Seccomp.run(program, arch.auditArch, nr, 0))
                .as(name).isEqualTo(SeccompFilter.RET_ALLOW));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void cloneIntoANewNamespaceIsRefusedButForkAndThreadsAreNot(Arch arch) {
        byte[] program = SeccompFilter.program(arch);
        int clone = SeccompFilter.CLONE.number(arch).orElseThrow();

        assertThat(Seccomp.run(program, arch.auditArch, clone, CLONE_NEWUSER | SIGCHLD)).isEqualTo(ERRNO_EPERM);
        assertThat(Seccomp.run(program, arch.auditArch, clone, CLONE_NEWNET | CLONE_NEWNS)).isEqualTo(ERRNO_EPERM);
        assertThat(Seccomp.run(program, arch.auditArch, clone, FORK_FLAGS)).isEqualTo(SeccompFilter.RET_ALLOW);
        assertThat(Seccomp.run(program, arch.auditArch, clone, THREAD_FLAGS)).isEqualTo(SeccompFilter.RET_ALLOW);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void cloneIsJudgedByTheLow32BitsOfItsFlagsAsTheKernelReadsThem(Arch arch) {
        byte[] program = SeccompFilter.program(arch);
        int clone = SeccompFilter.CLONE.number(arch).orElseThrow();

        assertThat(Seccomp.run(program, arch.auditArch, clone, 0xFFFF_FFFF_0000_0000L | FORK_FLAGS))
                .isEqualTo(SeccompFilter.RET_ALLOW);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void clone3AnswersEnosysSoGlibcFallsBackToClone(Arch arch) {
        int clone3 = SeccompFilter.CLONE3.number(arch).orElseThrow();

        assertThat(Seccomp.run(SeccompFilter.program(arch), arch.auditArch, clone3, 0)).isEqualTo(ERRNO_ENOSYS);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aForeignArchitectureIsKilled(Arch arch) {
        byte[] program = SeccompFilter.program(arch);

        assertThat(Seccomp.run(program, AUDIT_ARCH_I386, 3, 0)).isEqualTo(SeccompFilter.RET_KILL_PROCESS);
        int other = arch == Arch.X86_64 ? Arch.AARCH64.auditArch : Arch.X86_64.auditArch;
        assertThat(Seccomp.run(program, other, 0, 0)).isEqualTo(SeccompFilter.RET_KILL_PROCESS);
    }

    @Test
    void x32SyscallsAreRefusedOnX86_64() {
        byte[] program = SeccompFilter.program(Arch.X86_64);

        assertThat(Seccomp.run(program, Arch.X86_64.auditArch, 0x4000_0000, 0)).isEqualTo(ERRNO_EPERM);
        assertThat(Seccomp.run(program, Arch.X86_64.auditArch, 0x4000_0000 + 512, 0)).isEqualTo(ERRNO_EPERM);
    }

    @Test
    void everySyscallNumberIsKnownAndNoneRepeats() {
        for (Arch arch : Arch.values()) {
            List<Integer> numbers = SeccompFilter.DENIED.stream()
                    .flatMap(s -> s.number(arch).stream().boxed()).toList();
            assertThat(numbers).as(arch.name()).doesNotHaveDuplicates()
                    .doesNotContain(SeccompFilter.CLONE.number(arch).orElseThrow(),
                            SeccompFilter.CLONE3.number(arch).orElseThrow());
        }
        assertThat(SeccompFilter.DENIED).allMatch(s -> s.number(Arch.X86_64).isPresent());
    }

    @Test
    void architectureComesFromOsArch() {
        assertThat(Arch.of("amd64")).isEqualTo(Arch.X86_64);
        assertThat(Arch.of("x86_64")).isEqualTo(Arch.X86_64);
        assertThat(Arch.of("aarch64")).isEqualTo(Arch.AARCH64);
        assertThatThrownBy(() -> Arch.of("riscv64"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("riscv64");
    }

    @Test
    void programForThisMachineIsOneOfTheKnownArchitectures() {
        assertThat(SeccompFilter.program()).isEqualTo(SeccompFilter.program(Arch.current()));
    }

    @Test
    void assemblerRefusesUndefinedLabelsAndJumpsTooFar() {
        assertThatThrownBy(() -> new Assembler().jeq(1, "nowhere").ret(0).assemble())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nowhere");

        Assembler far = new Assembler().jeq(1, "end");
        for (int i = 0; i < 256; i++) {
            far.ret(0);
        }
        assertThatThrownBy(() -> far.label("end").ret(0).assemble())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("0..255");
    }

    /** The x86_64 column against the installed kernel headers, where linux-libc-dev put them. */
    @Test
    void x86_64NumbersMatchTheInstalledHeaders() throws IOException {
        Path header = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
        assertThat(Files.isReadable(header)).as(header + " installed").isTrue();

        assertNumbersMatch(defines(header), Arch.X86_64);
    }

    /** aarch64 numbers its syscalls by the generic table, which every architecture's headers ship. */
    @Test
    void aarch64NumbersMatchTheInstalledGenericHeader() throws IOException {
        Path header = Path.of("/usr/include/asm-generic/unistd.h");
        assertThat(Files.isReadable(header)).as(header + " installed").isTrue();

        assertNumbersMatch(defines(header), Arch.AARCH64);
    }

    static void assertNumbersMatch(Map<String, Integer> header, Arch arch) {
        List<Syscall> all = new ArrayList<>(SeccompFilter.DENIED);
        all.add(SeccompFilter.CLONE);
        all.add(SeccompFilter.CLONE3);
        for (Syscall syscall : all) {
            syscall.number(arch).ifPresentOrElse(
                    nr -> assertThat(header.get(syscall.name())).as(syscall.name()).isEqualTo(nr),
                    () -> assertThat(header).as(syscall.name()).doesNotContainKey(syscall.name()));
        }
        ALLOWED.get(arch).forEach((name, nr) -> assertThat(header.get(name)).as(name).isEqualTo(nr));
    }

    static Map<String, Integer> defines(Path header) throws IOException {
        Pattern define = Pattern.compile("^#define __NR_(\\w+)\\s+(\\d+)\\s*$");
        Map<String, Integer> numbers = new HashMap<>();
        for (String line : Files.readAllLines(header)) {
            Matcher m = define.matcher(line);
            if (m.matches()) {
                numbers.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return numbers;
    }

    /** One struct sock_filter. */
    record Insn(int code, int jt, int jf, int k) {
        static List<Insn> decode(byte[] program) {
            ByteBuffer in = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
            List<Insn> insns = new ArrayList<>();
            while (in.remaining() >= 8) {
                insns.add(new Insn(Short.toUnsignedInt(in.getShort()), Byte.toUnsignedInt(in.get()),
                        Byte.toUnsignedInt(in.get()), in.getInt()));
            }
            return insns;
        }
    }

    /** Just enough of the kernel's classic-BPF interpreter to run a seccomp filter. */
    static final class Seccomp {
        static final int DATA_SIZE = 64;

        static int run(byte[] program, int auditArch, int nr, long arg0) {
            ByteBuffer data = ByteBuffer.allocate(DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            data.putInt(SeccompFilter.DATA_NR, nr).putInt(SeccompFilter.DATA_ARCH, auditArch)
                    .putLong(8, 0x7f00_dead_beefL).putLong(16, arg0);
            List<Insn> insns = Insn.decode(program);
            int a = 0;
            for (int pc = 0; pc < insns.size(); pc++) {
                Insn insn = insns.get(pc);
                switch (insn.code()) {
                    case Assembler.LD_W_ABS -> a = data.getInt(insn.k());
                    case Assembler.JEQ_K -> pc += a == insn.k() ? insn.jt() : insn.jf();
                    case Assembler.JGE_K -> pc += Integer.compareUnsigned(a, insn.k()) >= 0 ? insn.jt() : insn.jf();
                    case Assembler.JSET_K -> pc += (a & insn.k()) != 0 ? insn.jt() : insn.jf();
                    case Assembler.RET_K -> {
                        return insn.k();
                    }
                    default -> throw new AssertionError("unexpected opcode " + insn.code() + " at " + pc);
                }
            }
            throw new AssertionError("program ran off its end");
        }
    }
}

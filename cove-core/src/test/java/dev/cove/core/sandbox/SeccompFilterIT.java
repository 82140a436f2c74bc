package dev.cove.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cove.core.sandbox.SeccompFilter.Arch;
import dev.cove.core.sandbox.SeccompFilter.Syscall;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter loaded into a real bubblewrap sandbox, where python tries the denied syscalls through
 * ctypes. The same script without the filter shows the refusals are the filter's doing, and that the
 * numbers reach the syscalls they name (setns(-1) answers EBADF, ptrace on a process nobody traces
 * ESRCH).
 */
class SeccompFilterIT {
    static final int EPERM = 1;
    static final int ESRCH = 3;
    static final int EBADF = 9;
    static final int ENOSYS = 38;
    static final int SIGSYS = 31;
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final List<String> PROBED = List.of(
            "ptrace", "mount", "unshare", "setns", "bpf", "keyctl", "perf_event_open", "kexec_load");

    /** Prints one JSON object: the errno of each probe (0 if it succeeded), then the ordinary work done. */
    static final String SCRIPT = """
            import ctypes, json, os, socket, subprocess, sys, threading
            NR = json.loads(sys.argv[1])
            libc = ctypes.CDLL(None, use_errno=True)
            libc.syscall.restype = ctypes.c_long
            def errno_of(name, *args):
                ctypes.set_errno(0)
                r = libc.syscall(ctypes.c_long(NR[name]), *[ctypes.c_long(a) for a in args])
                return (0 if r >= 0 else ctypes.get_errno()), r
            out = {}
            out["ptrace"] = errno_of("ptrace", 12, os.getpid(), 0, 0)[0]            # PTRACE_GETREGS, itself
            out["mount"] = errno_of("mount", 0, 1, 1, 0, 0)[0]                      # bad pointers
            out["setns"] = errno_of("setns", -1, 0)[0]
            out["bpf"] = errno_of("bpf", 0, 0, 0)[0]                                # BPF_MAP_CREATE, no attr
            out["keyctl"] = errno_of("keyctl", 0, -3, 0)[0]                         # session keyring's id
            out["perf_event_open"] = errno_of("perf_event_open", 0, 0, -1, -1, 0)[0]
            out["kexec_load"] = errno_of("kexec_load", 0, 0, 0, 0)[0]
            out["clone3"] = errno_of("clone3", 0, 0)[0]
            err, pid = errno_of("clone", 0x10000000 | 17, 0, 0, 0, 0)              # CLONE_NEWUSER | SIGCHLD
            if pid == 0:
                os._exit(0)
            if pid > 0:
                os.waitpid(pid, 0)
            out["clone_newuser"] = err
            out["unshare"] = errno_of("unshare", 0x10000000)[0]                    # last: it may move us
            with open("/tmp/note", "w") as f:
                f.write("written")
            with open("/tmp/note") as f:
                out["file"] = f.read()
            pid = os.fork()
            if pid == 0:
                os._exit(7)
            out["fork"] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            ran = []
            t = threading.Thread(target=lambda: ran.append("thread"))
            t.start(); t.join()
            out["thread"] = ran[0]
            out["spawn"] = subprocess.run(["/usr/bin/true"]).returncode
            server = socket.socket(socket.AF_UNIX)
            server.bind("/tmp/s.sock"); server.listen(1)
            client = socket.socket(socket.AF_UNIX)
            client.connect("/tmp/s.sock")
            peer, _ = server.accept()
            client.sendall(b"ping")
            out["socket"] = peer.recv(4).decode()
            print(json.dumps(out))
            """;

    @TempDir
    Path dir;
    Path bwrap;

    @BeforeEach
    void needsBubblewrapAndPython() {
        Optional<Path> found = onPath("bwrap");
        assertThat(found).as("bwrap on PATH").isPresent();
        assertThat(Files.isExecutable(PYTHON)).as(PYTHON + " installed").isTrue();
        bwrap = found.orElseThrow();
    }

    @Test
    void theFilterRefusesTheDeniedSyscallsAndOrdinaryWorkGoesOn() throws Exception {
        Map<String, Object> out = run(Optional.of(SeccompFilter.program()));

        for (String probe : PROBED) {
            assertThat(out.get(probe)).as(probe).isEqualTo(EPERM);
        }
        assertThat(out.get("clone_newuser")).isEqualTo(EPERM);
        assertThat(out.get("clone3")).isEqualTo(ENOSYS);
        assertOrdinaryWorkDone(out);
    }

    @Test
    void withoutTheFilterTheSameCallsAreNotRefusedByIt() throws Exception {
        Map<String, Object> out = run(Optional.empty());

        assertThat(PROBED).as("probes answering something other than EPERM: %s", out)
                .anyMatch(probe -> !out.get(probe).equals(EPERM));
        assertThat(out.get("setns")).isEqualTo(EBADF);
        assertThat(out.get("ptrace")).isEqualTo(ESRCH);
        assertOrdinaryWorkDone(out);
    }

    @Test
    void aFilterForAnotherArchitectureKillsTheProcessAtItsFirstSyscall() throws Exception {
        Arch other = Arch.current() == Arch.X86_64 ? Arch.AARCH64 : Arch.X86_64;
        Path filter = Files.write(dir.resolve("other.bpf"), SeccompFilter.program(other));

        Process process = start(withFilter(filter, sandboxed(List.of("-c", "print('alive')"), true)));

        assertThat(finish(process)).isEqualTo(128 + SIGSYS);
        assertThat(process.getInputStream().readAllBytes()).isEmpty();
    }

    static void assertOrdinaryWorkDone(Map<String, Object> out) {
        assertThat(out).containsEntry("file", "written").containsEntry("fork", 7).containsEntry("thread", "thread")
                .containsEntry("spawn", 0).containsEntry("socket", "ping");
    }

    Map<String, Object> run(Optional<byte[]> program) throws Exception {
        List<String> python = List.of("-c", SCRIPT, syscallNumbers());
        List<String> command = sandboxed(python, program.isPresent());
        if (program.isPresent()) {
            command = withFilter(Files.write(dir.resolve("filter.bpf"), program.get()), command);
        }
        Process process = start(command);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = finish(process);
        assertThat(exit).as("exit of the sandboxed script; stderr: %s", stderr()).isZero();
        return new ObjectMapper().readValue(stdout, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    /** The bwrap command line the sandbox uses, with {@code --seccomp 3} when a filter is loaded. */
    List<String> sandboxed(List<String> pythonArgs, boolean seccomp) {
        List<String> command = new ArrayList<>(List.of(bwrap.toString(),
                "--unshare-all", "--unshare-user", "--die-with-parent",
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        if (seccomp) {
            command.addAll(List.of("--seccomp", "3"));
        }
        command.addAll(List.of(PYTHON.toString(), "-I"));
        command.addAll(pythonArgs);
        return command;
    }

    /** Java can't give a child an extra descriptor, so a shell opens the filter on fd 3 and execs bwrap. */
    static List<String> withFilter(Path filter, List<String> command) {
        List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", "f=$1; shift; exec \"$@\" 3<\"$f\"",
                "sh", filter.toString()));
        shell.addAll(command);
        return shell;
    }

    Process start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile());
        builder.environment().clear();
        return builder.start();
    }

    static int finish(Process process) throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("sandboxed python still running after 60 s");
        }
        return process.exitValue();
    }

    String stderr() {
        try {
            return Files.readString(dir.resolve("stderr"));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** {"ptrace": 101, ...}: this architecture's numbers for the script. */
    static String syscallNumbers() throws IOException {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        Stream.concat(SeccompFilter.DENIED.stream(), Stream.of(SeccompFilter.CLONE, SeccompFilter.CLONE3))
                .forEach((Syscall s) -> s.number(Arch.current()).ifPresent(nr -> numbers.put(s.name(), nr)));
        return new ObjectMapper().writeValueAsString(numbers);
    }

    static Optional<Path> onPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        return Stream.of(path.split(File.pathSeparator))
                .map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }
}

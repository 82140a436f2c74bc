package dev.cove.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cove.core.spi.ChildProcesses;
import dev.cove.core.spi.SandboxFactory;
import dev.cove.sandbox.bubblewrap.SeccompFilter.Arch;
import dev.cove.sandbox.bubblewrap.SeccompFilter.Syscall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter loaded into a real bubblewrap sandbox, started with the command line of every sandbox
 * (a python script in place of its keeper), where python tries the denied syscalls through ctypes. The
 * same script without the filter shows the refusals are the filter's doing, and that the numbers reach
 * the syscalls they name (setns(-1) answers EBADF, ptrace on a process nobody traces ESRCH).
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
    Bubblewrap bubblewrap;
    SandboxFactory.Launch launch;
    Path code;

    @BeforeEach
    void needsBubblewrapAndPython() throws IOException {
        assertThat(Bubblewrap.findBwrap()).as("bwrap installed").isPresent();
        assertThat(Files.isExecutable(PYTHON)).as(PYTHON + " installed").isTrue();
        Path staging = dir.resolve("staging");
        bubblewrap = Bubblewrap.create(staging, "cove-seccomp-it-" + ProcessHandle.current().pid(), 16L << 20,
                staging.resolve("api").resolve("api.sock"));
        launch = new SandboxFactory.Launch("seccomp", Files.createDirectories(dir.resolve("programs")),
                Files.createDirectories(dir.resolve("sockets")), List.of(PYTHON));
        code = Files.createDirectories(dir.resolve("code"));
    }

    @AfterEach
    void close() {
        bubblewrap.close();
    }

    @Test
    void theFilterRefusesTheDeniedSyscallsAndOrdinaryWorkGoesOn() throws Exception {
        Map<String, Object> out = run(sandboxed(probe()), SeccompFilter.program());

        for (String probe : PROBED) {
            assertThat(out.get(probe)).as(probe).isEqualTo(EPERM);
        }
        assertThat(out.get("clone_newuser")).isEqualTo(EPERM);
        assertThat(out.get("clone3")).isEqualTo(ENOSYS);
        assertOrdinaryWorkDone(out);
    }

    @Test
    void withoutTheFilterTheSameCallsAreNotRefusedByIt() throws Exception {
        Map<String, Object> out = run(withoutFilter(sandboxed(probe())), SeccompFilter.program());

        assertThat(PROBED).as("probes answering something other than EPERM: %s", out)
                .anyMatch(probe -> !out.get(probe).equals(EPERM));
        assertThat(out.get("setns")).isEqualTo(EBADF);
        assertThat(out.get("ptrace")).isEqualTo(ESRCH);
        assertOrdinaryWorkDone(out);
    }

    @Test
    void aFilterForAnotherArchitectureKillsTheProcessAtItsFirstSyscall() throws Exception {
        Arch other = Arch.current() == Arch.X86_64 ? Arch.AARCH64 : Arch.X86_64;

        Process process = start(sandboxed(List.of(PYTHON.toString(), "-I", "-c", "print('alive')")),
                SeccompFilter.program(other));

        assertThat(finish(process)).isEqualTo(128 + SIGSYS);
        assertThat(process.getInputStream().readAllBytes()).isEmpty();
    }

    static void assertOrdinaryWorkDone(Map<String, Object> out) {
        assertThat(out).containsEntry("file", "written").containsEntry("fork", 7).containsEntry("thread", "thread")
                .containsEntry("spawn", 0).containsEntry("socket", "ping");
    }

    Map<String, Object> run(List<String> command, byte[] filter) throws Exception {
        Process process = start(command, filter);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = finish(process);
        assertThat(exit).as("exit of the sandboxed script; stderr: %s", stderr()).isZero();
        return new ObjectMapper().readValue(stdout, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    /** The probe script, run by the sandbox's python. */
    static List<String> probe() throws IOException {
        return List.of(PYTHON.toString(), "-I", "-c", SCRIPT, syscallNumbers());
    }

    /** The command line every sandbox is started with, {@code program} in place of its keeper. */
    List<String> sandboxed(List<String> program) {
        return bubblewrap.command(launch, code, program);
    }

    /** The same command line without {@code --seccomp 3}: the sandbox as it would be without the filter. */
    static List<String> withoutFilter(List<String> command) {
        int at = command.indexOf("--seccomp");
        assertThat(command.subList(at, at + 2)).containsExactly("--seccomp", "3");
        List<String> without = new ArrayList<>(command);
        without.subList(at, at + 2).clear();
        return without;
    }

    /** Started as a sandbox is, in no cgroup, the wrapper handing bwrap the filter on fd 3. */
    Process start(List<String> command, byte[] filter) throws IOException {
        Path program = Files.write(dir.resolve("filter.bpf"), filter);
        return ChildProcesses.builder(command, Bubblewrap.environment(program, dir.resolve("info.json"), List.of()))
                .redirectError(dir.resolve("stderr").toFile()).start();
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
}

package dev.cove.sandbox.bubblewrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cove.core.spi.ChildProcesses;
import dev.cove.core.spi.ResourceLimits;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxEndedException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bubblewrap sandbox, holding the workers of one application.
 *
 * <p><b>How a worker joins a running sandbox.</b> bwrap can't add a process to a sandbox it has
 * started, and the platform can't enter one without redoing all of bwrap's work (namespaces, root,
 * seccomp, capabilities). So the sandbox's main process, pid 1 inside (bwrap's {@code --as-pid-1}), is
 * a keeper: {@code keeper.py}, run by {@code python3 -I -S} (it starts quickly, and off the path of
 * any invocation since sandboxes are started as stem cells ahead of need). The platform writes it
 * commands on its stdin (start a worker with this command line and environment; kill a worker) and
 * reads events on its stdout (a worker's pid, a chunk of its output, its exit status). A worker that
 * forks its siblings was the other choice: it would have to be a worker of each runtime, and a
 * function could break the fork server it runs in.
 *
 * <p><b>Attribution.</b> The keeper starts each worker in a session of its own with a pipe of its own
 * for each of stdout and stderr, and tags every chunk it relays and every exit it reaps with the
 * worker's name; so a worker's raw output lines and its exit status are its own, and before an exit it
 * relays what is left in that worker's pipes. Frames still go over each worker's own Unix socket,
 * which the keeper never sees. Being pid 1, the keeper can't be killed by the sandbox's processes
 * (the kernel drops signals to a namespace's init that it has no handler for), and {@code /proc/1}
 * is covered; the events it sends are still parsed as untrusted input: anything malformed ends the
 * sandbox.
 *
 * <p><b>Limits.</b> Each worker has cgroups of its own with its share (its function's limits, a stem
 * cell's until it is given one), so that no instance of a function can take more than its function's
 * limits, however many instances share the sandbox; the keeper has groups of its own too, with the
 * small fixed {@link ResourceLimits#KEEPER} limits. The keeper starts a worker held at a gate; the
 * platform moves it into its groups from outside (the sandbox has no cgroup file system) and only then
 * lets it run its program, so everything the worker allocates and starts is counted from its first
 * instruction. A worker that ends by SIGKILL after the kernel killed a process of its groups for
 * memory has exceeded its memory limit; one whose groups reached their processes limit is ended at
 * once, alone, and says so.
 *
 * <p><b>Teardown.</b> Killing one worker asks the keeper to kill its process group and every process
 * still descended from it; if the keeper hasn't reported it gone within {@link #KILL_GRACE_MS}, the
 * whole sandbox is killed. Killing the last worker not killed yet kills the sandbox at once, and from
 * then on it takes no new worker (a function's replacement gets a fresh sandbox rather than one
 * with whatever its killed worker left behind). When the last worker has ended, the sandbox is
 * killed; when bwrap has
 * exited (with it the keeper and, its pid namespace gone, everything), the workers still listed end
 * with bwrap's status, and the cgroups, the code's copies and the network helper are released.
 *
 * <p>One lock guards the workers; one reader thread reads the keeper's events, and it alone places
 * each worker in its groups, feeds its output and completes its exit.
 */
final class BubblewrapSandbox implements Sandbox {
    private static final Logger LOG = LoggerFactory.getLogger(BubblewrapSandbox.class);
    static final String CODE = "/code";
    private static final ObjectMapper INFO = new ObjectMapper();
    private static final int MAX_HEADER_BYTES = 512;
    /**
     * What each '/'-separated part of a code key must be: a file name made of a name ('~' where a long
     * one was shortened); compiled once, not at every cold start.
     */
    private static final Pattern CODE_KEY_PART = Pattern.compile("[A-Za-z0-9_@-][A-Za-z0-9_.@~-]{0,254}");
    private static final int MAX_CHUNK_BYTES = 65536;
    private static final int MAX_MESSAGE_BYTES = 16 * 1024;
    static final long KILL_GRACE_MS = 2000;
    /** How long the end of a sandbox waits for the last of bwrap's messages, once bwrap has exited. */
    private static final long MESSAGES_GRACE_MS = 200;
    private static final int SIGKILLED = 128 + 9;

    private final String name;
    private final Process process;
    private final Path own;
    private final Path code;
    private final Path socketDir;
    private final Cgroups cgroups;
    private final Cgroups.Group keeperGroup;
    private final ScheduledExecutorService scheduler;
    private final Consumer<BubblewrapSandbox> onEnd;
    private final OutputStream commands;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Reads what bwrap and the keeper say on bwrap's stderr; started by {@link #begin}. */
    private Thread messages;

    private final Map<String, Member> workers = new HashMap<>();
    private boolean ending;
    /** How many {@link #hold holds} keep it from ending with its last worker. Guarded by this. */
    private int holds;
    private OutboundNetwork network;
    private long keeperPid = -1;

    BubblewrapSandbox(String name, Process process, Path own, Path code, Path socketDir, Cgroups cgroups,
            Cgroups.Group keeperGroup, ScheduledExecutorService scheduler, Consumer<BubblewrapSandbox> onEnd) {
        this.name = name;
        this.process = process;
        this.own = own;
        this.code = code;
        this.socketDir = socketDir;
        this.cgroups = cgroups;
        this.keeperGroup = keeperGroup;
        this.scheduler = scheduler;
        this.onEnd = onEnd;
        this.commands = process.getOutputStream();
    }

    /** Starts reading what bwrap and the keeper say: the messages first, which the events' end waits for. */
    void begin() {
        messages = ChildProcesses.pump(name + "-bwrap", process.getErrorStream(),
                ChildProcesses.lines(MAX_MESSAGE_BYTES, this::onMessage));
        ChildProcesses.reader(name + "-keeper", this::readEvents);
    }

    // ---- workers ----

    @Override
    public Worker spawn(Spawn spawn) throws IOException {
        String command = startCommand(spawn);
        Cgroups.Group group = cgroups.group(name + "-" + spawn.name());
        return add(new Member(spawn.name(), spawn.share(), spawn.maxLineBytes(), spawn.output(), null, group), command, false);
    }

    @Override
    public Terminal terminal(TerminalSpawn spawn) throws IOException {
        String command = terminalCommand(spawn);
        Cgroups.Group group = cgroups.group(name + "-" + spawn.name());
        Member member = add(new Member(spawn.name(), spawn.share(), 1, (stream, line) -> {}, spawn.output(), group),
                command, true);
        return new Terminal() {
            @Override
            public void type(byte[] keys) throws IOException {
                byte[] header = ("in\t" + member.name + "\t" + keys.length + "\n").getBytes(StandardCharsets.UTF_8);
                synchronized (commands) {
                    commands.write(header);
                    commands.write(keys);
                    commands.flush();
                }
            }

            @Override
            public void resize(int rows, int columns) throws IOException {
                send("size\t" + member.name + "\t" + rows + "\t" + columns + "\n");
            }

            @Override
            public CompletableFuture<Integer> exit() {
                return member.exit();
            }

            @Override
            public void kill() {
                member.kill();
            }
        };
    }

    /**
     * Counts the member in and asks the keeper to start it; a terminal may start in a sandbox that
     * takes no new worker while it is {@link #hold held}.
     */
    private Member add(Member member, String command, boolean terminal) throws IOException {
        try {
            member.group.limit(member.share);
            synchronized (this) {
                if (ending && !(terminal && holds > 0)) {
                    throw new SandboxEndedException();
                }
                if (workers.containsKey(member.name)) {
                    throw new IllegalArgumentException("the sandbox has a worker named " + member.name + " already");
                }
                workers.put(member.name, member);
            }
        } catch (IOException | RuntimeException e) {
            member.group.close();
            throw e;
        }
        try {
            send(command);
        } catch (IOException e) {
            throw new SandboxEndedException(); // the keeper's input is closed: it has ended, or is ending
        }
        return member;
    }

    @Override
    public Runnable hold() {
        synchronized (this) {
            holds++;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            boolean empty;
            synchronized (this) {
                holds--;
                empty = holds == 0 && workers.isEmpty();
                ending = ending || empty;
            }
            if (empty) {
                kill();
            }
        };
    }

    /** {@code tty <name> <rows> <columns> <dir> <n> <KEY=VALUE>... <argv>...}, as keeper.py reads it. */
    static String terminalCommand(TerminalSpawn spawn) {
        List<String> fields = new ArrayList<>(List.of("tty", spawn.name(), Integer.toString(spawn.rows()),
                Integer.toString(spawn.columns()), spawn.directory(), Integer.toString(spawn.env().size())));
        spawn.env().forEach((k, v) -> fields.add(k + "=" + v));
        fields.addAll(spawn.command());
        return line(fields);
    }

    /** {@code start <name> <n> <KEY=VALUE>... <argv>...}, as keeper.py reads it. */
    static String startCommand(Spawn spawn) {
        List<String> fields = new ArrayList<>(List.of("start", spawn.name(), Integer.toString(spawn.env().size())));
        spawn.env().forEach((k, v) -> fields.add(k + "=" + v));
        fields.addAll(spawn.command());
        return line(fields);
    }

    private static String line(List<String> fields) {
        for (String field : fields) {
            if (field.indexOf('\t') >= 0 || field.indexOf('\n') >= 0 || field.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a worker's command and environment can't hold tabs, line breaks "
                        + "or NUL, was '" + field + "'");
            }
        }
        return String.join("\t", fields) + "\n";
    }

    private void send(String command) throws IOException {
        synchronized (commands) {
            commands.write(command.getBytes(StandardCharsets.UTF_8));
            commands.flush();
        }
    }

    private void killWorker(Member member) {
        boolean last;
        synchronized (this) {
            member.killed = true;
            last = holds == 0 && workers.values().stream().allMatch(m -> m.killed);
            ending = ending || last;
        }
        if (last) {
            kill(); // nothing left worth keeping: whatever the workers left behind goes too, and at once
            return;
        }
        try {
            send("kill\t" + member.name + "\n");
        } catch (IOException e) {
            kill(); // the keeper is gone: so is the sandbox, or it will be
            return;
        }
        scheduler.schedule(() -> {
            if (member.alive()) {
                LOG.warn("sandbox {}: worker {} outlived its kill by {} ms; ending the sandbox", name, member.name,
                        KILL_GRACE_MS);
                kill();
            }
        }, KILL_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Moves a worker's process, held at its gate, into its groups and lets it run; a worker that
     * can't be placed is killed rather than run without its limits.
     */
    private void place(Member member, long pid) {
        member.pid = pid;
        try {
            if (cgroups.limits()) {
                member.group.join(hostPid(pid));
            }
            send("go\t" + member.name + "\n");
        } catch (IOException e) {
            LOG.warn("sandbox {}: worker {} could not be placed in its cgroups; killing it: {}", name, member.name,
                    e.getMessage());
            member.kill();
        }
    }

    /** The pid on this host of a child of the keeper's, from the pid the sandbox knows it by. */
    private long hostPid(long sandboxPid) throws IOException {
        long keeper = keeperPid();
        String children = Files.readString(Path.of("/proc", Long.toString(keeper), "task", Long.toString(keeper),
                "children"));
        for (String child : children.trim().split(" ")) {
            if (!child.isEmpty() && sandboxPid(Path.of("/proc", child, "status")) == sandboxPid) {
                return Long.parseLong(child);
            }
        }
        throw new IOException("the keeper has no child " + sandboxPid + " (it has " + children.trim() + ")");
    }

    /** The last pid of a {@code /proc/PID/status}'s NSpid line: the pid in the innermost namespace. */
    static long sandboxPid(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("NSpid:")) {
                    String[] pids = line.substring("NSpid:".length()).trim().split("\\s+");
                    return Long.parseLong(pids[pids.length - 1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("could not read {}", status, e); // the process is gone
        }
        return -1;
    }

    // ---- the keeper's events ----

    private void readEvents() {
        try (InputStream in = new BufferedInputStream(process.getInputStream(), MAX_CHUNK_BYTES)) {
            for (Optional<String> header = readHeader(in); header.isPresent(); header = readHeader(in)) {
                if (!onEvent(header.get().split("\t", -1), in)) {
                    LOG.warn("sandbox {}: its keeper sent '{}'; ending the sandbox", name, header.get());
                    kill();
                    break;
                }
            }
        } catch (IOException e) {
            LOG.debug("sandbox {}: its keeper's events ended", name, e);
        }
        onSandboxExit();
    }

    /** One line, without its line break; empty at the end of the stream. */
    static Optional<String> readHeader(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return Optional.empty();
            }
            if (line.size() == MAX_HEADER_BYTES) {
                throw new IOException("a keeper's event line is over " + MAX_HEADER_BYTES + " bytes");
            }
            line.write(b);
        }
        return Optional.of(line.toString(StandardCharsets.UTF_8));
    }

    /** Applies one event; answers false when it is malformed. */
    private boolean onEvent(String[] fields, InputStream in) throws IOException {
        try {
            switch (fields[0]) {
                case "started" -> {
                    if (fields.length != 3) {
                        return false;
                    }
                    long pid = Long.parseLong(fields[2]);
                    member(fields[1]).ifPresent(m -> place(m, pid));
                    return true;
                }
                case "out" -> {
                    int length = fields.length == 4 ? Integer.parseInt(fields[3]) : -1;
                    if (length < 0 || length > MAX_CHUNK_BYTES) {
                        return false;
                    }
                    byte[] chunk = in.readNBytes(length);
                    member(fields[1]).ifPresent(m -> m.output(fields[2], chunk));
                    return chunk.length == length;
                }
                case "exit" -> {
                    if (fields.length != 3) {
                        return false;
                    }
                    onWorkerExit(fields[1], Integer.parseInt(fields[2]));
                    return true;
                }
                default -> {
                    return false;
                }
            }
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private synchronized Optional<Member> member(String worker) {
        return Optional.ofNullable(workers.get(worker));
    }

    private void onWorkerExit(String worker, int status) {
        Member member;
        boolean last;
        synchronized (this) {
            member = workers.remove(worker);
            if (member == null) {
                return;
            }
            last = workers.isEmpty() && holds == 0;
            ending = ending || last;
        }
        member.end(status);
        if (last) {
            kill();
        }
    }

    /** bwrap has ended (or the keeper's events have): every worker left ends with bwrap's status. */
    private void onSandboxExit() {
        int status = awaitExit();
        awaitKeeper();
        awaitMessages();
        List<Member> left;
        synchronized (this) {
            ending = true;
            left = new ArrayList<>(workers.values());
            workers.clear();
        }
        left.forEach(m -> m.end(status));
        release();
    }

    private void awaitMessages() {
        try {
            messages.join(MESSAGES_GRACE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (messages.isAlive()) {
            LOG.debug("sandbox {}: bwrap's messages did not end", name);
        }
    }

    private int awaitExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return SIGKILLED;
        }
    }

    /** A line bwrap or the keeper wrote: for the log, and for each worker, so a sandbox that fails says why. */
    private void onMessage(String line) {
        LOG.warn("sandbox {}: {}", name, line);
        List<Member> all;
        synchronized (this) {
            all = List.copyOf(workers.values());
        }
        all.forEach(m -> m.output.line("stderr", line));
    }

    // ---- the sandbox as a whole ----

    /** Ends each worker whose groups reached their limit of processes (see {@link Worker#exceededLimit}). */
    void killIfAtProcessLimit() {
        List<Member> all;
        synchronized (this) {
            all = List.copyOf(workers.values());
        }
        for (Member member : all) {
            if (!member.exceededProcesses && member.group.pidsLimitHits() > 0) {
                member.exceededProcesses = true;
                member.group.stopForks();
                member.group.letDie();
                member.group.killAll();
                member.kill();
            }
        }
    }

    /**
     * Kills bwrap: the keeper dies with it ({@code --die-with-parent}), and with the keeper its pid
     * namespace; {@link #onSandboxExit} waits for the keeper to be gone before the sandbox counts as
     * ended. One signal, where walking the processes to kill each one takes long with many on the
     * machine, on the thread that kills: often the event loop every worker's frames go through.
     */
    @Override
    public void kill() {
        List<Member> all;
        synchronized (this) {
            ending = true;
            all = List.copyOf(workers.values());
        }
        all.forEach(m -> m.group.letDie());
        keeperGroup.letDie();
        process.destroyForcibly();
    }

    @Override
    public void retire() {
        boolean empty;
        synchronized (this) {
            ending = true;
            empty = workers.isEmpty() && holds == 0; // a held one ends when its last hold is let go
        }
        if (empty) {
            kill();
        }
    }

    @Override
    public CompletableFuture<Void> ended() {
        return ended;
    }

    @Override
    public Path socketDir() {
        return socketDir;
    }

    @Override
    public synchronized String expose(String key, Path source) throws IOException {
        for (String part : key.split("/", -1)) {
            if (!CODE_KEY_PART.matcher(part).matches()) {
                throw new IllegalArgumentException("a code key is names joined by '/', was '" + key + "'");
            }
        }
        Path target = code.resolve(key).resolve(source.getFileName().toString());
        if (!Files.exists(target)) {
            Files.createDirectories(target.getParent());
            Bubblewrap.linkTree(source, target);
        }
        return CODE + "/" + key + "/" + source.getFileName();
    }

    @Override
    public synchronized void openOutbound() throws IOException {
        if (network == null) {
            network = OutboundNetwork.attach(keeperPid(), own.resolve("slirp4netns.log"));
        }
    }

    /**
     * Waits (up to {@link #KILL_GRACE_MS}) for the keeper to be gone, or a zombie, once bwrap is: a pid
     * namespace's init exits only after everything in its namespace, so then nothing of the sandbox
     * runs. (A zombie because, bwrap gone, whichever process adopts it may reap it late.)
     */
    private void awaitKeeper() {
        Path keeper;
        try {
            keeper = Path.of("/proc", Long.toString(keeperPid()), "stat");
        } catch (IOException e) {
            return; // bwrap ended before it started the keeper
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_GRACE_MS);
        while (running(keeper) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether the process of this /proc/PID/stat exists and is no zombie. */
    private static boolean running(Path stat) {
        try {
            String text = Files.readString(stat);
            int end = text.lastIndexOf(')'); // the state follows the name, which may hold anything
            return end < 0 || end + 2 >= text.length() || text.charAt(end + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The host's pid of bwrap's child, the keeper, from bwrap's info, read once: bwrap writes it as soon
     * as it has started the keeper, so by the time the keeper has started a worker it is there.
     */
    private synchronized long keeperPid() throws IOException {
        if (keeperPid < 0) {
            JsonNode info = INFO.readTree(own.resolve("info.json").toFile());
            if (!info.path("child-pid").canConvertToLong()) {
                throw new IOException("bwrap gave no child-pid: " + info);
            }
            keeperPid = info.path("child-pid").asLong();
        }
        return keeperPid;
    }

    /** Releases what the sandbox held outside its processes, once they are gone. */
    private void release() {
        onEnd.accept(this);
        synchronized (this) {
            if (network != null) {
                network.close();
            }
        }
        keeperGroup.close();
        Bubblewrap.deleteTree(own);
        ended.complete(null);
    }

    /** One worker of the sandbox. */
    private final class Member implements Worker {
        private final String name;
        private final Output output;
        private final ChildProcesses.Lines stdout;
        private final ChildProcesses.Lines stderr;
        /** A terminal's bytes as they come; null for a worker, whose output goes by lines. */
        private final Consumer<byte[]> tty;
        private final Cgroups.Group group;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private volatile long pid = -1;
        private volatile ResourceLimits share;
        private volatile boolean exceededProcesses;
        private volatile Optional<String> exceeded = Optional.empty();
        /** Guarded by the sandbox's lock. */
        private boolean killed;

        Member(String name, ResourceLimits share, int maxLineBytes, Output output, Consumer<byte[]> tty,
                Cgroups.Group group) {
            this.name = name;
            this.group = group;
            this.share = share;
            this.output = output;
            this.tty = tty;
            this.stdout = ChildProcesses.lines(maxLineBytes, l -> output.line("stdout", l));
            this.stderr = ChildProcesses.lines(maxLineBytes, l -> output.line("stderr", l));
        }

        void output(String stream, byte[] chunk) {
            if (tty != null) {
                tty.accept(chunk);
            } else {
                ("stderr".equals(stream) ? stderr : stdout).accept(chunk, 0, chunk.length);
            }
        }

        /** Completes its exit, saying which of its limits ended it, then removes its groups and what is left in them. */
        void end(int status) {
            stdout.finish();
            stderr.finish();
            exceeded = exceededBy(status);
            group.close();
            exit.complete(status);
        }

        /**
         * Which limit ended it. Its group's own count of refused forks is read too, not only the watchdog's
         * mark: on a busy machine a fork bomb's sandbox may be ended as a whole (a worker that outlived its
         * kill) before the watchdog's next look, and its members still ended at their limit.
         */
        private Optional<String> exceededBy(int status) {
            if (exceededProcesses || group.pidsLimitHits() > 0) {
                return Optional.of("its limit of " + share.pids() + " processes and threads");
            }
            boolean killedForMemory = status == SIGKILLED && group.oomKills() > 0;
            return killedForMemory ? Optional.of("its memory limit of " + share.memoryBytes() / (1024 * 1024) + " MB")
                    : Optional.empty();
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public void kill() {
            if (alive()) {
                killWorker(this);
            }
        }

        @Override
        public void share(ResourceLimits share) throws IOException {
            if (alive()) {
                group.limit(share);
            }
            this.share = share;
        }

        @Override
        public Optional<String> exceededLimit() {
            return exceeded;
        }

        @Override
        public boolean freeze() {
            return alive() && group.freeze(true);
        }

        @Override
        public void thaw() {
            group.freeze(false);
        }
    }
}

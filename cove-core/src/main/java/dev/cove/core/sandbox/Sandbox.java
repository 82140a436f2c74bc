package dev.cove.core.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One started, confined worker process. It is started before anyone knows which function it will
 * run (a stem cell), so a function's code and limits are given to it afterwards.
 *
 * <p>Today a sandbox holds one worker and one function. Everything it is given is keyed so that it
 * can hold more: {@link #expose} adds code under its own name beside what is there, the limits are the
 * sandbox's (one cgroup budget), and the network is opened once for all. Functions of one application
 * will share a sandbox that way; a sandbox is never given functions of two applications, since
 * nothing inside it separates them.
 */
public interface Sandbox extends AutoCloseable {

    /** The process the platform started (for a bubblewrap sandbox, bwrap itself). */
    Process process();

    /**
     * Makes a function's code (a file or a folder) visible inside the sandbox, read-only, and answers
     * the path at which the worker finds it.
     */
    String expose(Path code) throws IOException;

    /** Ends every process of the sandbox now (the platform learns of it as the process's exit). */
    void kill();

    /** Applies a function's resource limits; may be called again to change them. */
    void limit(ResourceLimits limits) throws IOException;

    /**
     * Lets the sandbox reach addresses beyond this machine (never the machine itself); until then it
     * has its own loopback only.
     */
    void openOutbound() throws IOException;

    /**
     * The limit the sandbox went over, in words ("its memory limit of 128 MB"), when that is what
     * ended it: the kernel killed a process for memory, or the sandbox reached its limit of processes
     * and threads and was killed for it (a fork bomb held at its limit keeps its processes spinning on
     * refused forks, burning CPU in the kernel where nothing preempts them, so it is ended at once
     * rather than at its time limit).
     */
    Optional<String> exceededLimit();

    /** Releases what the sandbox held outside its process (its cgroups, its copy of the code). */
    @Override
    void close();
}

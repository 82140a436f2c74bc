package dev.cove.java.inline;

import com.sun.management.ThreadMXBean;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * The meter of one inline activation: its deadline and its memory, checked by the ticks that
 * {@link Metering} puts into the function's bytecode. Instrumented classes live in their own loader and
 * call the static methods here, which is why this class is public; nothing else of it is.
 *
 * <p><b>Model.</b> A budget is bound to the activation's thread (a {@link ThreadLocal}: activations run
 * on virtual threads). {@link #tick()} reads it and one volatile word, {@code poll}, and returns while
 * that is zero: no write, no clock read. The word turns non-zero when the platform {@link #stop}s the
 * budget (the next tick throws), and every {@link #POLL_PERIOD_NANOS} when a shared clock thread sets it
 * on every open budget: the tick that sees it then takes the slow path, on the activation's own
 * thread, which reads the time against the deadline, samples the memory and, past a slice, gives
 * its carrier to the virtual threads waiting for one ({@link #gaveWay}).
 * This stands in for a fuel countdown: a countdown's interval is counted in ticks, and a tick can be a
 * nanosecond (an empty loop) or seconds (a loop whose body sorts a large list inside the JDK), so no
 * count fits both; a clock bounds the time between checks whatever the code does between ticks.
 *
 * <p><b>Memory</b> is counted as bytes allocated, not bytes live: the carrier thread's allocation
 * counter (HotSpot's per-thread TLAB accounting, {@code ThreadMXBean.getThreadAllocatedBytes}), read at
 * each sample. A virtual thread allocates on whichever carrier runs it, and a carrier runs other
 * virtual threads between two of ours, so a delta is this activation's only between two samples on
 * the same carrier with no giving way or blocking call between them; after one, the next sample only takes
 * a new base. The counter covers allocations inside the JDK (a StringBuilder doubling); arrays the
 * function's own code makes are also charged before they are made ({@link #newArray}), so one huge
 * {@code new byte[n]} is refused rather than allocated.
 *
 * <p><b>Costs</b> (MeteringTest prints them; bench/README.md, "Java's inline tier", has the figures):
 * a tick is a ThreadLocal read and a volatile read; the slow path, once a poll period, a clock read, a
 * carrier lookup and its counters; past each {@link #SLICE_NANOS}, a look at the scheduler's queues,
 * and a park only if someone waits. A stop is seen at the next tick, so a loop exits within about a
 * poll period of its deadline.
 *
 * <p><b>Failure modes.</b> Between two samples the JDK may allocate what one call allocates (appending
 * a string to itself doubles it), so a function overshoots its limit by at most about that before it
 * stops. A JDK call runs to its end before the next tick: one whose running time is not bounded by its
 * input's size would not stop, which is what the allow-list keeps out. Counting allocation, not live
 * memory, charges a function for its garbage too. A function whose thread blocks in the JDK
 * (printing, a platform call) is not charged for other virtual threads meanwhile, because those calls
 * are wrapped ({@link #beforeBlocking}, {@link #afterBlocking}). Without
 * {@code --add-exports java.base/jdk.internal.access=ALL-UNNAMED} a virtual thread's carrier can't be
 * found, memory isn't metered ({@link #memoryMetered()} is false) and the platform must not run
 * functions inline.
 */
public final class Budget {
    /** How often every open budget's code is made to check its deadline and memory. */
    static final long POLL_PERIOD_NANOS = 1_000_000;
    /**
     * How long a virtual thread runs before it gives way to others waiting for a carrier (virtual
     * threads are not preempted: with as many spinning functions as carriers, nothing else would run).
     * Chosen by how long a thread started beside spinning loops waited (bench/README.md). Giving way
     * costs a park and an unpark, and only when someone waits.
     */
    static final long SLICE_NANOS = 2_000_000;
    /** The longest a function that gave way waits while others keep coming, so it makes progress too. */
    static final long MAX_WAIT_NANOS = 25 * SLICE_NANOS;
    /**
     * How much CPU an activation may use inline: its carrier's CPU time while it runs there, read at
     * each poll (so not its waits for the platform or for its turn, nor a carrier's time taken by the
     * machine's other work). Inline is for code that is cheap as well as safe: the
     * platform's JVM has no CPU limit of its own, so one spinning function would take a carrier from
     * every other inline function until its time limit. Past this, an activation that may run again is
     * stopped ({@link Reason#RAN_LONG}) and runs again in the process tier, whose cgroup holds its CPU;
     * one that may not (it has done something with effects) runs on, and its function moves afterwards.
     */
    static final long RUN_LIMIT_NANOS = 200_000_000;
    /** What an array's header costs beside its elements, rounded up. */
    private static final int ARRAY_HEADER_BYTES = 16;

    private static final ThreadLocal<Budget> CURRENT = new ThreadLocal<>();
    private static final Stopped OUTSIDE = new Stopped(Reason.OUTSIDE, Reason.OUTSIDE.message);
    private static final VarHandle STOPPED;
    private static final VarHandle GATE;

    static {
        try {
            STOPPED = MethodHandles.lookup().findVarHandle(Budget.class, "stopped", Stopped.class);
            GATE = MethodHandles.lookup().findVarHandle(Budget.class, "gate", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread owner;
    private final boolean virtual;
    private final long openedNanos;
    private final long deadlineNanos;
    private final long memoryBytes;
    private final long runLimitNanos;
    /** Non-zero: the next tick takes the slow path. Set by the clock, by stop(), and by the slow path when stopped. */
    private volatile int poll;
    private volatile Stopped stopped;
    /** Bytes allocated as of the last sample; written by the owner only. */
    private volatile long allocated;
    // The rest is the owner thread's alone.
    /** Arrays charged since the last sample, which will show in the next one. */
    private long pending;
    private final CarrierCounter bytes = new CarrierCounter(Meter::allocatedBy);
    private long sliceStart;
    /** CPU time the activation's code used on its carriers: read once a poll only (it costs many ticks). */
    private final CarrierCounter cpu = new CarrierCounter(Meter::cpuOf);
    /** False once the activation did something with effects: it is then never stopped for running long. */
    private volatile boolean mayRunAgain = true;
    private volatile boolean ranLong;
    private boolean closed;
    /** {@link Clock#RUNNING}, PARKED while it gives way, RELEASED when let back in. */
    private volatile int gate;
    private long parkedSince;

    private Budget(long deadlineNanos, long memoryBytes, long runLimitNanos) {
        this.runLimitNanos = runLimitNanos;
        this.owner = Thread.currentThread();
        this.virtual = owner.isVirtual();
        this.openedNanos = System.nanoTime();
        this.deadlineNanos = deadlineNanos;
        this.memoryBytes = memoryBytes;
        this.sliceStart = openedNanos;
    }

    // ---- The platform's side (package-private) ----

    /** Opens a budget for the activation running on this thread, until {@code deadline}. */
    static Budget open(Instant deadline, long memoryBytes) {
        long left = Duration.between(Instant.now(), deadline).toNanos();
        return open(System.nanoTime() + left, memoryBytes);
    }

    /** Opens a budget for this thread; {@code deadlineNanos} is on {@link System#nanoTime()}'s scale. */
    static Budget open(long deadlineNanos, long memoryBytes) {
        return open(deadlineNanos, memoryBytes, RUN_LIMIT_NANOS);
    }

    /** As {@link #open(long, long)}, with a limit of its own on the CPU it may use ({@link #RUN_LIMIT_NANOS}). */
    static Budget open(long deadlineNanos, long memoryBytes, long runLimitNanos) {
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("memoryBytes must be positive, was " + memoryBytes);
        }
        if (CURRENT.get() != null) {
            throw new IllegalStateException("this thread already runs an inline activation");
        }
        Budget budget = new Budget(deadlineNanos, memoryBytes, runLimitNanos);
        // the first tick checks a deadline already past; any other waits for the clock, which an echo never does
        budget.poll = deadlineNanos - budget.openedNanos <= 0 ? 1 : 0;
        CURRENT.set(budget);
        budget.sample();
        Clock.add(budget);
        return budget;
    }

    /** The budget bound to this thread, if any. */
    static Optional<Budget> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Unbinds the budget from its thread, on that thread; inline code running later there fails. */
    void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a budget is closed by the thread it was opened on");
        }
        if (!closed) {
            closed = true;
            Clock.remove(this);
            CURRENT.remove();
        }
    }

    /** Stops the activation from any thread: its next tick throws {@link Stopped}. The first reason stays. */
    void stop(Reason reason) {
        stop(reason, "");
    }

    /** As {@link #stop(Reason)}, with a detail for {@link Reason#NOT_INLINE}. */
    void stop(Reason reason, String detail) {
        Stopped s = new Stopped(reason, reason.describe(this, detail));
        if (STOPPED.compareAndSet(this, (Stopped) null, s)) {
            poll = 1;
            Clock.releaseEarly(this); // a function that gave way has its stop now
        }
    }

    /** Why the activation was stopped, if it was. */
    Optional<Stopped> stopped() {
        return Optional.ofNullable(stopped);
    }

    /** The bytes the activation allocated, as of its last sample. */
    long allocatedBytes() {
        return allocated;
    }

    /** The stop for code that fails the inline check when it is loaded outside of an activation. */
    static Stopped notInline(String detail) {
        return new Stopped(Reason.NOT_INLINE, Reason.NOT_INLINE.message.formatted(detail));
    }

    /** Whether allocations can be metered on virtual threads (the export of jdk.internal.access is in place). */
    static boolean memoryMetered() {
        return Meter.CARRIER != null;
    }

    // ---- Called by instrumented code (public: it lives in another loader) ----

    /**
     * The check at method entries and loop back-edges: throws {@link Stopped} once the activation is
     * stopped, or when there is no activation on this thread.
     */
    public static void tick() {
        Budget b = CURRENT.get();
        if (b == null) {
            throw OUTSIDE;
        }
        if (b.poll != 0) {
            b.slowPath();
        }
    }

    /**
     * The first thing an exception handler does: a stopped activation, a stack overflow or a JVM out of
     * memory is thrown on, so that no catch or finally can swallow it and keep running.
     */
    public static void caught(Throwable thrown) {
        Budget b = bound();
        if (thrown instanceof Stopped s) {
            throw s;
        }
        if (thrown instanceof VirtualMachineError e) {
            throw e;
        }
        if (b.bytes.rebase && b.bytes.carrier != null) {
            b.sample(); // a blocking call threw before afterBlocking
        }
        if (b.poll != 0) {
            b.slowPath();
        }
    }

    /** Charges an array of {@code length} elements before it is made; answers the length. */
    public static int newArray(int length, int elementBytes) {
        if (length > 0) {
            bound().charge((long) length * elementBytes + ARRAY_HEADER_BYTES);
        }
        return length;
    }

    /** As {@link #newArray}, for a copy of the range {@code [from, to)}. */
    public static void newArrayRange(int from, int to, int elementBytes) {
        if (to > from) {
            bound().charge((long) (to - from) * elementBytes + ARRAY_HEADER_BYTES);
        }
    }

    /** Charges a multi-dimensional array: every level's arrays, {@code leafBytes} per innermost element. */
    public static void newArrays(int[] dimensions, int leafBytes) {
        long count = 1;
        long bytes = 0;
        for (int i = 0; i < dimensions.length; i++) {
            if (dimensions[i] < 0) {
                return; // the JVM throws NegativeArraySizeException
            }
            int elementBytes = i == dimensions.length - 1 ? leafBytes : 4;
            bytes = saturatedAdd(bytes, saturatedMultiply(count, (long) dimensions[i] * elementBytes + ARRAY_HEADER_BYTES));
            count = saturatedMultiply(count, dimensions[i]);
        }
        bound().charge(bytes);
    }

    /** Before a call that may park the virtual thread (printing, the platform's API): counts what came before. */
    public static void beforeBlocking() {
        Budget b = bound();
        b.sample();
        b.rebaseCounters();
    }

    /** After such a call: the carrier may have run others meanwhile, so take a new base. */
    public static void afterBlocking() {
        Budget b = bound();
        b.rebaseCounters();
        b.sample();
        b.sliceStart = System.nanoTime();
    }

    /** The carrier may run other virtual threads from now until the next samples: they take new bases. */
    private void rebaseCounters() {
        bytes.rebase = true;
        cpu.rebase = true;
    }

    // ---- Running long ----

    /** The activation did something with effects (a call, a cache write): it must not be stopped to run again. */
    void mayNotRunAgain() {
        mayRunAgain = false;
    }

    /** Whether its code ran past {@link #RUN_LIMIT_NANOS} (stopped for it, or run on having had effects). */
    boolean ranLong() {
        return ranLong;
    }

    /** Adds the CPU time the activation used since the last poll; never read on its way in or out. */
    private void checkRunningTime() {
        Thread carrier = virtual ? Meter.carrier() : owner;
        if (carrier == null) {
            return;
        }
        if (cpu.sample(carrier) > runLimitNanos && !ranLong) {
            ranLong = true;
            if (mayRunAgain) {
                stopNow(Reason.RAN_LONG);
            }
        }
    }

    // ---- The slow path, on the owner thread ----

    private static Budget bound() {
        Budget b = CURRENT.get();
        if (b == null) {
            throw OUTSIDE;
        }
        return b;
    }

    /** Once a poll period, or when stopped: the deadline, the memory, the slice. */
    private void slowPath() {
        poll = 0;
        throwIfStopped();
        long now = System.nanoTime();
        if (now - deadlineNanos >= 0) {
            stopNow(Reason.TIME);
        }
        sample();
        checkRunningTime();
        if (virtual && now - sliceStart >= SLICE_NANOS) {
            if (gaveWay()) {
                rebaseCounters(); // other virtual threads ran on the carrier meanwhile
                sample();
            }
            sliceStart = System.nanoTime();
        }
    }

    /**
     * At a slice's end, gives the carrier to the virtual threads waiting for one, if any. Not with
     * Thread.yield: a yielding virtual thread goes back to its carrier's local queue when that holds
     * tasks, and a carrier runs its local queue dry before anything else; nor with a timed park, whose
     * wake-up lands there too. And a carrier that took a task from a queue keeps taking from that queue
     * while it has any, so spinning functions that go straight back into one would starve every other
     * queue, where the event loops put new activations. So a spinning function waits off the queues
     * until the {@link Clock} lets it back in, which it does when no one else is waiting (or it has
     * waited {@link #MAX_WAIT_NANOS}), a carrier's worth at a time.
     */
    private boolean gaveWay() {
        ForkJoinPool pool = Meter.pool();
        if (pool == null) {
            Thread.yield(); // carriers can't be seen: the best that can be done
            return true;
        }
        if (!pool.hasQueuedSubmissions() && pool.getQueuedTaskCount() == 0) {
            return false;
        }
        Clock.waitTurn(this, pool);
        return true;
    }

    private void throwIfStopped() {
        Stopped s = stopped;
        if (s != null) {
            poll = 1; // every later tick comes back here
            throw s;
        }
    }

    private void stopNow(Reason reason) {
        stop(reason);
        throwIfStopped();
    }

    /** Checks that {@code bytes} more fit, sampling when the estimate says they might not. */
    private void charge(long bytes) {
        throwIfStopped();
        if (allocated + pending + bytes > memoryBytes) {
            sample();
            if (allocated + bytes > memoryBytes) {
                stopNow(Reason.MEMORY);
            }
        }
        pending += bytes;
    }

    /** Reads the carrier's allocation counter and adds the delta since the last read, if it is ours. */
    private void sample() {
        Thread carrier = virtual ? Meter.carrier() : owner;
        if (carrier == null) {
            pending = 0; // not metered: each array is still checked on its own
            return;
        }
        allocated = bytes.sample(carrier);
        pending = 0;
        if (allocated > memoryBytes) {
            stopNow(Reason.MEMORY);
        }
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        return high == 0 && a * b >= 0 ? a * b : Long.MAX_VALUE;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static String megabytes(long bytes) {
        long mb = 1024 * 1024;
        return bytes % mb == 0 ? bytes / mb + " MB" : bytes + " bytes";
    }

    /** Why an activation was stopped; each carries the message its user sees. */
    public enum Reason {
        TIME("The function ran past its time limit of %d ms."),
        MEMORY("The function allocated more than its memory limit of %s."),
        KILLED("The function was stopped: its instance was killed."),
        OUTSIDE("The function's code ran outside of an activation: on another thread, or after the activation ended."),
        NOT_INLINE("The function's code no longer passes the check for running inside the platform: %s"),
        RAN_LONG("The function ran for more than %d ms inside the platform.");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        String describe(Budget budget, String detail) {
            return switch (this) {
                case TIME -> message.formatted(Duration.ofNanos(budget.deadlineNanos - budget.openedNanos).toMillis());
                case MEMORY -> message.formatted(megabytes(budget.memoryBytes));
                case NOT_INLINE -> message.formatted(detail);
                case RAN_LONG -> message.formatted(Duration.ofNanos(budget.runLimitNanos).toMillis());
                case KILLED, OUTSIDE -> message;
            };
        }
    }

    /**
     * Thrown by every tick of a stopped activation, and by inline code running outside of one. An
     * {@link Error} without a stack trace: the function's catch blocks can't keep it (see
     * {@link #caught}), and it is thrown again at each tick until the activation's code has unwound.
     */
    public static final class Stopped extends Error {
        private static final long serialVersionUID = 1L;
        private final Reason reason;

        Stopped(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /**
     * Sets the poll word of every open budget once a period (parks while none is open), and lets
     * functions that gave way back onto the carriers: all at once onto one queue, a carrier would keep
     * taking them, so a carrier's worth at a time, when the ones let in before are running again.
     */
    private static final class Clock {
        static final int RUNNING = 0, PARKED = 1, RELEASED = 2;
        private static final Set<Budget> OPEN = ConcurrentHashMap.newKeySet();
        private static final Queue<Budget> WAITING = new ConcurrentLinkedQueue<>();
        private static final AtomicInteger RELEASED_NOT_RUNNING = new AtomicInteger();
        private static volatile ForkJoinPool carriers;
        /** Whether the clock sleeps until a budget opens (none is open). */
        private static volatile boolean idle;
        private static final Thread THREAD = Thread.ofPlatform().daemon().name("cove-budget-clock").start(Clock::run);

        /** Wakes the clock only when it sleeps for want of open budgets: every activation opens one. */
        static void add(Budget budget) {
            OPEN.add(budget);
            if (idle) {
                LockSupport.unpark(THREAD);
            }
        }

        static void remove(Budget budget) {
            OPEN.remove(budget);
        }

        /** Parks the owner off the scheduler's queues until released. */
        static void waitTurn(Budget budget, ForkJoinPool pool) {
            carriers = pool;
            budget.parkedSince = System.nanoTime();
            budget.gate = PARKED;
            WAITING.add(budget);
            if (budget.stopped != null) {
                releaseEarly(budget);
            }
            while (budget.gate != RELEASED) {
                LockSupport.parkNanos(budget, MAX_WAIT_NANOS);
                if (System.nanoTime() - budget.parkedSince > 2 * MAX_WAIT_NANOS && release(budget)) {
                    WAITING.remove(budget); // the clock has not let it in for twice its longest wait: it goes in itself
                }
            }
            budget.gate = RUNNING;
            RELEASED_NOT_RUNNING.decrementAndGet();
        }

        static void releaseEarly(Budget budget) {
            if (release(budget)) {
                WAITING.remove(budget);
            }
        }

        private static boolean release(Budget budget) {
            if (!GATE.compareAndSet(budget, PARKED, RELEASED)) {
                return false;
            }
            RELEASED_NOT_RUNNING.incrementAndGet();
            LockSupport.unpark(budget.owner);
            return true;
        }

        private static void run() {
            while (true) {
                if (OPEN.isEmpty()) {
                    idle = true;
                    if (OPEN.isEmpty()) { // a budget opened after the first look sees idle and unparks
                        LockSupport.park();
                    }
                    idle = false;
                    continue;
                }
                for (Budget b : OPEN) {
                    b.poll = 1;
                }
                letIn();
                LockSupport.parkNanos(POLL_PERIOD_NANOS);
            }
        }

        private static void letIn() {
            ForkJoinPool pool = carriers;
            Budget oldest = WAITING.peek();
            if (pool == null || oldest == null || RELEASED_NOT_RUNNING.get() > 0) {
                return;
            }
            int count = !pool.hasQueuedSubmissions() ? pool.getParallelism()
                    : System.nanoTime() - oldest.parkedSince > MAX_WAIT_NANOS ? 1 : 0;
            for (int i = 0; i < count; i++) {
                Budget next = WAITING.poll();
                if (next == null) {
                    return;
                }
                release(next);
            }
        }
    }

    /**
     * One of a thread's counters (bytes allocated, CPU time), read on the thread that runs the
     * activation (its carrier, for a virtual thread), adding up its growth between two readings on the
     * same thread with no other code run there in between (no park, no blocking call): a carrier runs
     * other virtual threads between two of ours, so after one a reading only takes a new base.
     */
    private static final class CarrierCounter {
        private final ToLongFunction<Thread> read;
        Thread carrier;
        private long base;
        /** The thread may have run others since the last reading. */
        boolean rebase = true;
        private long total;

        CarrierCounter(ToLongFunction<Thread> read) {
            this.read = read;
        }

        /** Reads the counter on this thread; answers the activation's total so far. */
        long sample(Thread now) {
            long value = read.applyAsLong(now);
            if (now == carrier && !rebase && value >= base) {
                total += value - base;
            }
            carrier = now;
            base = value;
            rebase = false;
            return total;
        }
    }

    /** The counters of a thread, the carrier's for a virtual one. */
    private static final class Meter {
        private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        /** {@code () -> Thread}: the current carrier, or null without the export of jdk.internal.access. */
        static final MethodHandle CARRIER = carrierHandle();

        private static MethodHandle carrierHandle() {
            try {
                Class<?> secrets = Class.forName("jdk.internal.access.SharedSecrets");
                Class<?> access = Class.forName("jdk.internal.access.JavaLangAccess");
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                Object javaLang = lookup.findStatic(secrets, "getJavaLangAccess", MethodType.methodType(access)).invoke();
                if (!THREADS.isThreadAllocatedMemorySupported()) {
                    return null;
                }
                THREADS.setThreadAllocatedMemoryEnabled(true);
                return lookup.findVirtual(access, "currentCarrierThread", MethodType.methodType(Thread.class)).bindTo(javaLang);
            } catch (Throwable e) {
                return null; // not exported to us: memory can't be metered on virtual threads
            }
        }

        static Thread carrier() {
            if (CARRIER == null) {
                return null;
            }
            try {
                return (Thread) CARRIER.invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException("cannot find the carrier thread", e);
            }
        }

        static long allocatedBy(Thread carrier) {
            return THREADS.getThreadAllocatedBytes(carrier.threadId());
        }

        /** The scheduler of the carrier running this virtual thread, or null when carriers can't be seen. */
        static ForkJoinPool pool() {
            return carrier() instanceof ForkJoinWorkerThread worker ? worker.getPool() : null;
        }

        static long cpuOf(Thread carrier) {
            return THREADS.getThreadCpuTime(carrier.threadId());
        }
    }
}

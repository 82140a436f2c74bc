package dev.cove.worker;

import dev.cove.worker.probe.HandlerProbe;
import dev.cove.worker.probe.StaticProbe;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The worker's own code, run once before it says hello, through workers of its own whose frames go
 * nowhere: for each shape of function, an init that loads a probe from the worker's own jar (a class
 * loader, a static initialiser, reflection or a method handle), then a run on a virtual thread that
 * decodes parameters, prints and returns a result. A stem cell then meets its function's init and
 * first run with nearly all the classes they need loaded and linked, which is most of what a JVM's
 * first time through costs. Nothing here may stop a worker from starting: a failure is ignored.
 */
final class Warmup {
    private static final byte[] RUN = Frames.ascii("{\"type\":\"run\",\"id\":\"warm-run\",\"params\":{\"text\":"
            + "\"h\\u00e9llo \\\"w\\\"\\n\",\"n\":1,\"big\":12345678901,\"huge\":123456789012345678901,\"x\":1.5e3,"
            + "\"ok\":true,\"none\":null,\"list\":[1,{\"a\":[]}]},\"deadline\":1,\"depth\":2}");

    /** A probe's run takes microseconds; should it ever hang, the worker starts all the same. */
    private static final long JOIN_MILLIS = 10_000;

    private Warmup() {}

    static void run() {
        try {
            String entry = Path.of(Warmup.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            warm(entry, HandlerProbe.class.getName());
            warm(entry, StaticProbe.class.getName());
        } catch (Exception e) {
            // a worker that could not warm up still works, only its first activation is slower
        } finally {
            Output.route(null);
        }
    }

    /** Initialises a worker with the probe and runs it once, as a run frame is run. */
    private static void warm(String entry, String probe) throws InterruptedException {
        Worker worker = new Worker(Channel.discarding());
        Output.route(worker.nobody());
        byte[] init = initFrame(entry, probe);
        worker.onFrame(init, 0, init.length);
        Thread.startVirtualThread(worker.onFrame(RUN, 0, RUN.length)).join(JOIN_MILLIS);
    }

    private static byte[] initFrame(String entry, String probe) {
        JsonWriter w = new JsonWriter(512);
        w.raw(Frames.ascii("{\"type\":\"init\",\"id\":\"warm-init\",\"namespace\":\"warm\",\"name\":\"warm\","
                + "\"version\":\"0.0.1\",\"env\":{\"A\":\"b\",\"N\":1},\"concurrency\":1,\"maxResultBytes\":1048576,"
                + "\"maxLogBytes\":1048576,\"timeoutMs\":60000,\"memoryMb\":256,\"maxCallDepth\":50,\"entry\":"));
        w.string(entry).raw(Frames.ascii(",\"main\":")).string(probe).raw((byte) '}');
        return Arrays.copyOf(w.array(), w.size());
    }
}

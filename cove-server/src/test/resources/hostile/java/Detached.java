import java.util.Map;

/** Leaves a background process behind in a session of its own, writing a heartbeat, named by the marker it is given. */
public class Detached {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        Process child = new ProcessBuilder("/usr/bin/setsid", "/bin/sh", "-c",
                "while :; do date > /tmp/heartbeat; sleep 0.1; done", (String) params.get("marker"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return Map.of("started", child.pid());
    }
}

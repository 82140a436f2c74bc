import io.nats.client.Connection;
import io.nats.client.MessageConsumer;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * NATS alone, for bench/triggers.py's baselines; it runs this with the jar of ./cove on the class
 * path, which holds the NATS client.
 *
 * <p>{@code rate}: publishes COUNT messages {"n": i} on SUBJECT through JetStream as fast as the stream
 * takes them (asynchronous publishes, each with the id PREFIX-i), and prints one JSON line: when the
 * first was sent (epoch ms) and how long until the stream had acknowledged them all.
 *
 * <p>{@code hop}: COUNT times, 5 ms apart (as the benchmark's samples are), publishes one message on
 * SUBJECT through JetStream and times it to its arrival at an ordered consumer of the stream; prints the
 * milliseconds, one JSON list.
 *
 *     java -cp cove-cli/target/cove.jar bench/NatsLoad.java rate nats://127.0.0.1:4222 SUBJECT COUNT PREFIX
 *     java -cp cove-cli/target/cove.jar bench/NatsLoad.java hop nats://127.0.0.1:4222 STREAM SUBJECT COUNT
 */
public class NatsLoad {
    public static void main(String[] args) throws Exception {
        Connection connection = Nats.connect(args[1]);
        try {
            if (args[0].equals("hop")) {
                hop(connection, args[2], args[3], Integer.parseInt(args[4]));
            } else {
                rate(connection, args[2], Integer.parseInt(args[3]), args[4]);
            }
        } finally {
            connection.close();
        }
    }

    private static void hop(Connection connection, String streamName, String subject, int count) throws Exception {
        BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        MessageConsumer consumer = connection.getStreamContext(streamName)
                .createOrderedConsumer(new OrderedConsumerConfiguration().filterSubject(subject)
                        .deliverPolicy(DeliverPolicy.New))
                .consume(message -> arrivals.add(System.nanoTime()));
        JetStream stream = connection.jetStream();
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            stream.publishAsync(subject, ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8));
            Long arrived = arrivals.poll(10, TimeUnit.SECONDS);
            if (arrived == null) {
                throw new IllegalStateException("message " + i + " did not arrive within 10 s");
            }
            out.append(i == 0 ? "" : ", ").append((arrived - sent) / 1e6);
            Thread.sleep(5);
        }
        consumer.close();
        System.out.println(out.append("]"));
    }

    private static void rate(Connection connection, String subject, int count, String prefix) throws Exception {
        JetStream stream = connection.jetStream();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(count);
        long startedMs = System.currentTimeMillis();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            byte[] body = ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8);
            acks.add(stream.publishAsync(subject, body, PublishOptions.builder().messageId(prefix + "-" + i).build()));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.println("{\"started_ms\": " + startedMs + ", \"seconds\": " + seconds + "}");
    }
}

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;

/**
 * The baseline of the warm-invoke benchmark: the same Vert.x HTTP stack Cove uses, one server per
 * core, answering each POST with its own body. Nothing in front of a function can be faster than this
 * on the same machine. Run with Cove's jar on the class path: {@code java -cp cove.jar BareEcho.java PORT}.
 */
public class BareEcho extends VerticleBase {
    private final int port;

    BareEcho(int port) {
        this.port = port;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1").setTcpNoDelay(true))
                .requestHandler(req -> req.body().onSuccess(body -> req.response()
                        .putHeader("content-type", "application/json").end(body)))
                .listen();
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
        vertx.deployVerticle(() -> new BareEcho(port),
                new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                .onSuccess(id -> System.out.println("listening on " + port))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }
}

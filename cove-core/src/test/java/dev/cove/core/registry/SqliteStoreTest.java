package dev.cove.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    Store open() {
        return Store.sqlite(dir.resolve("cove.db"));
    }

    @Test
    void deploymentsWaitForTheActivationWriterInsteadOfFailing() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int batch = 0; !stop.get(); batch++) {
                int b = batch;
                store.putActivations(java.util.stream.IntStream.range(0, 200)
                        .mapToObj(i -> record("b" + b + "-" + i, "f", i)).toList());
            }
        });
        try {
            for (int i = 1; i <= 50; i++) {
                assertThat(store.putFunction("guest", hello("v" + i), T0).version()).isEqualTo(i);
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void whatWasWrittenIsThereAfterReopening() {
        store.putNamespace(new Namespace("guest", "u", "k"));
        FunctionRevision put = store.putFunction("guest", hello("x"), T0);
        store.close();
        store = open();
        assertThat(store.function("guest", "hello")).contains(put);
        assertThat(store.namespace("guest")).isPresent();
    }

    @Test
    void applicationsAreThereAfterReopening() {
        ApplicationRevision app = store.putApplication("guest", shop("cart", "pay"), T0);
        store.close();
        store = open();
        assertThat(store.application("guest", "shop")).contains(app);
    }
}

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
    void whatWasWrittenIsThereAfterReopening() {
        store.putNamespace(new Namespace("guest", "u", "k"));
        FunctionRevision put = store.putFunction("guest", hello("x"), T0);
        store.close();
        store = open();
        assertThat(store.function("guest", "hello")).contains(put);
        assertThat(store.namespace("guest")).isPresent();
    }
}

package dev.cove.core.registry;

import dev.cove.core.spi.Store;

class MemoryStoreTest extends StoreContract {
    @Override
    Store open() {
        return Registry.memoryStore();
    }
}

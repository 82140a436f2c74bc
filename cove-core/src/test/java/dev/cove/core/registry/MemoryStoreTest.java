package dev.cove.core.registry;

import dev.cove.core.spi.Store;
import dev.cove.core.spi.StoreContract;

class MemoryStoreTest extends StoreContract {
    @Override
    protected Store open() {
        return Registry.memoryStore();
    }
}

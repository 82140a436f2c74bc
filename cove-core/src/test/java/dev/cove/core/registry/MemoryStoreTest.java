package dev.cove.core.registry;

class MemoryStoreTest extends StoreContract {
    @Override
    Store open() {
        return Store.inMemory();
    }
}

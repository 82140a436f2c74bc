package dev.cove.core.bus;

import dev.cove.core.spi.MessageBus;
import dev.cove.core.spi.MessageBusContract;

class MemoryTopicsTest extends MessageBusContract {
    @Override
    protected MessageBus newBus() {
        return LocalBus.topics();
    }
}

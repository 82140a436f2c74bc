package dev.cove.core.runtime;

import dev.cove.core.cache.CacheCalls;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a specialised worker's function reaches through the platform.
 *
 * @param calls its calls to other functions
 * @param cache its cache
 * @param code the code of the functions it may run itself (peers)
 * @param packages the installed dependencies of its function
 * @param fileWork threads for making code visible in its sandbox, file work kept off event loops
 * @param maxResultBytes the largest parameters of a call it makes, and result it returns
 * @param maxLogBytes the most log bytes an activation keeps, or its function's limit when lower
 */
record WorkerServices(Calls calls, CacheCalls cache, CodeDirs code, PackageInstalls packages, Executor fileWork,
        long maxResultBytes, long maxLogBytes) {
    WorkerServices {
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(packages, "packages");
        Objects.requireNonNull(fileWork, "fileWork");
        if (maxResultBytes <= 0 || maxLogBytes <= 0) {
            throw new IllegalArgumentException("maxResultBytes and maxLogBytes must be positive, were "
                    + maxResultBytes + " and " + maxLogBytes);
        }
    }
}

package dev.cove.server;

import dev.cove.core.model.ConflictException;
import dev.cove.core.model.ForbiddenException;
import dev.cove.core.model.InvalidTriggerException;
import dev.cove.core.model.MissingException;
import dev.cove.core.model.UnavailableException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** A request the API refuses, with the HTTP status and the message for the caller. */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError notFound() {
        return new ApiError(404, Messages.NOT_FOUND);
    }

    static ApiError notFound(String what) {
        return new ApiError(404, Messages.notFound(what));
    }

    /**
     * What a call of the node answers, its refusals turned into the API's: a trigger or rule that can't be
     * stored as given is a 400, what the function's settings don't allow a 403, something it names that
     * does not exist a 404, a name taken a 409, something it relies on away a 503. Their messages are the
     * model's, written for the caller.
     */
    static <T> T refusing(Supplier<T> call) throws ApiError {
        try {
            try {
                return call.get();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        } catch (UnavailableException e) {
            throw new ApiError(503, e.getMessage());
        } catch (InvalidTriggerException e) {
            throw badRequest(e.getMessage());
        } catch (ForbiddenException e) {
            throw new ApiError(403, e.getMessage());
        } catch (MissingException e) {
            throw new ApiError(404, e.getMessage());
        } catch (ConflictException e) {
            throw new ApiError(409, e.getMessage());
        }
    }
}

package dev.cove.server;

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
}

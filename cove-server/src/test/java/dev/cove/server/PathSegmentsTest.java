package dev.cove.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathSegmentsTest {
    @ParameterizedTest
    @CsvSource({
        "/api/v1/namespaces/_/actions/a%40b, a@b",
        "/api/v1/namespaces/_/actions/a%40B%2e1, a@B.1",
        "/api/v1/namespaces/_/actions/plain, plain",
        "/api/v1/namespaces/_/actions/a+b, a+b",
        "/api/v1/namespaces/_/actions/a%2Fb, a/b",
        "/api/v1/namespaces/_/actions/%C3%A9, é",
    })
    void eachSegmentIsDecodedAfterThePathIsSplit(String path, String last) throws ApiError {
        String[] segments = PathSegments.of(path);
        assertThat(segments).hasSize(7);
        assertThat(segments[6]).isEqualTo(last);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%4", "a%", "a%zz", "a%4g", "%FF", "%C3"})
    void aSegmentThatIsNotCorrectlyEncodedIsABadRequest(String segment) {
        assertThatThrownBy(() -> PathSegments.of("/api/v1/namespaces/_/actions/" + segment))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("'" + segment + "'").contains("percent-encoded");
                });
    }
}

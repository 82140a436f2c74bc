package dev.cove.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathSegmentsTest {
    @ParameterizedTest
    @ValueSource(strings = {"a%4", "a%", "a%zz", "a%4g", "%FF", "%C3"})
    void aSegmentThatIsNotCorrectlyEncodedIsABadRequest(String segment) {
        assertThatThrownBy(() -> PathSegments.requireDecodable("/api/v1/namespaces/_/actions/" + segment))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("'" + segment + "'").contains("percent-encoded");
                });
    }
}

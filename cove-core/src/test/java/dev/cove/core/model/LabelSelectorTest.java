package dev.cove.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelSelectorTest {

    /** Labels from {@code k=v;k2=v2}. */
    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text != null) {
            for (String pair : text.split(";")) {
                String[] kv = pair.split("=", 2);
                labels.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return labels;
    }

    @ParameterizedTest(name = "{0} over {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "created-by=kubeless,function=downscale-replicas | created-by=kubeless;function=downscale-replicas | true",
        "created-by=kubeless,function=downscale-replicas | created-by=kubeless;function=restore            | false",
        "function==restore                               | function=restore                                | true",
        "function!=restore                               | function=restore                                | false",
        "function!=restore                               | -                                               | true",
        "tier in (web, db)                               | tier=db                                         | true",
        "tier in (web,db)                                | tier=cache                                      | false",
        "tier notin (web,db)                             | tier=cache                                      | true",
        "tier notin (web,db)                             | -                                               | true",
        "team                                            | team=                                           | true",
        "team                                            | -                                               | false",
        "!team                                           | -                                               | true",
        "!team,  app = shop                              | app=shop                                        | true",
        "example.com/owner=ada                           | example.com/owner=ada                           | true",
    })
    void aSelectorMatchesLabelsAsKubernetesDoes(String selector, String labels, boolean matches) {
        assertThat(LabelSelector.parse(selector).matches(labels(labels))).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''              | names no label",
        "a=b,=c          | does not read at '=c'",
        "a in b          | does not read at 'a in b'",
        "-bad=x          | A label's key",
        "a=b c           | does not read at 'a=b c'",
    })
    void aSelectorThatDoesNotReadSaysWhere(String selector, String says) {
        assertThatThrownBy(() -> LabelSelector.parse(selector)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(says.strip());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"-x | ok", "ok | -x", "a/b/c | v"})
    void labelsAreCheckedAsKubernetesChecksThem(String key, String value) {
        assertThatThrownBy(() -> Labels.checked(Map.of(key, value))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was '");
    }
}

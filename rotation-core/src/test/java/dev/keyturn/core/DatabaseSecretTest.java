package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** Reading, checking and rewriting a secret value. */
class DatabaseSecretTest {
    private static final String FULL = "{\"engine\":\"postgres\",\"host\":\"db.example.com\",\"port\":5432,"
            + "\"username\":\"app\",\"password\":\"S3cret-value\",\"dbname\":\"orders\","
            + "\"masterarn\":\"arn:aws:secretsmanager:eu-west-1:1:secret:master\",\"ssl\":true,"
            + "\"dbClusterIdentifier\":\"orders-cluster\",\"extra\":{\"n\":1.50}}";

    @Test
    void parse_reads_every_key_rotation_uses() {
        // when
        DatabaseSecret secret = DatabaseSecret.parse(FULL);

        // then
        assertThat(secret.engine()).isEqualTo("postgres");
        assertThat(secret.host()).isEqualTo("db.example.com");
        assertThat(secret.port()).isEqualTo(OptionalInt.of(5432));
        assertThat(secret.username()).isEqualTo("app");
        assertThat(secret.password()).isEqualTo("S3cret-value");
        assertThat(secret.dbname()).contains("orders");
        assertThat(secret.masterArn()).contains("arn:aws:secretsmanager:eu-west-1:1:secret:master");
        assertThat(secret.ssl()).contains(true);
        assertThat(secret.stringField("dbClusterIdentifier")).contains("orders-cluster");
        assertThat(secret.stringField("extra")).isEmpty();
        assertThat(secret.keys()).containsExactly("engine", "host", "port", "username", "password", "dbname",
                "masterarn", "ssl", "dbClusterIdentifier", "extra");
    }

    @Test
    void the_optional_keys_may_be_absent_or_null() {
        // when
        DatabaseSecret secret = DatabaseSecret.parse("{\"engine\":\"mysql\",\"host\":\"h\",\"username\":\"u\","
                + "\"password\":\"p4ssword\",\"port\":null,\"dbname\":null,\"ssl\":null,\"masterarn\":\"\"}");

        // then
        assertThat(secret.port()).isEmpty();
        assertThat(secret.dbname()).isEmpty();
        assertThat(secret.ssl()).isEmpty();
        assertThat(secret.masterArn()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"3306", "\"3306\"", "\" 3306 \""})
    void the_port_may_be_a_number_or_a_numeric_string(String rawPort) {
        DatabaseSecret secret = DatabaseSecret.parse("{\"engine\":\"mysql\",\"host\":\"h\",\"username\":\"u\","
                + "\"password\":\"p4ssword\",\"port\":" + rawPort + "}");

        assertThat(secret.port()).isEqualTo(OptionalInt.of(3306));
    }

    @ParameterizedTest
    @CsvSource({"true, true", "false, false", "'\"TRUE\"', true", "'\"false\"', false"})
    void ssl_may_be_a_boolean_or_its_string(String rawSsl, boolean expected) {
        DatabaseSecret secret = DatabaseSecret.parse("{\"engine\":\"mysql\",\"host\":\"h\",\"username\":\"u\","
                + "\"password\":\"p4ssword\",\"ssl\":" + rawSsl + "}");

        assertThat(secret.ssl()).contains(expected);
    }

    @Test
    void every_problem_is_named_in_one_message_without_any_value() {
        // given
        String value = "{\"engine\":5,\"host\":\"  \",\"password\":\"S3cret\\u0007\",\"port\":\"x\",\"dbname\":7,"
                + "\"masterarn\":[],\"ssl\":\"yes\"}";

        // then
        assertThatThrownBy(() -> DatabaseSecret.parse(value)).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("key 'engine' must be a string")
                .hasMessageContaining("key 'host' is empty")
                .hasMessageContaining("key 'username' is missing")
                .hasMessageContaining("key 'port' must be a whole number from 1 to 65535")
                .hasMessageContaining("key 'dbname' must be a string")
                .hasMessageContaining("key 'masterarn' must be a string")
                .hasMessageContaining("key 'ssl' must be true or false")
                .hasMessageContaining("key 'password' contains a control character")
                .hasMessageNotContaining("S3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"engine\":", "{\"a\":1}}x"})
    void text_that_is_not_json_is_refused(String value) {
        assertThatThrownBy(() -> DatabaseSecret.parse(value)).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the secret value is");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "42", "null"})
    void json_that_is_not_an_object_is_refused(String value) {
        assertThatThrownBy(() -> DatabaseSecret.parse(value)).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("not an object");
    }

    @Test
    void a_missing_value_is_refused() {
        assertThatThrownBy(() -> DatabaseSecret.parse(null)).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("no SecretString");
    }

    @Test
    void a_value_over_65536_bytes_counted_in_utf8_is_refused() {
        // given 21,846 three-byte characters: under 65,536 characters, over 65,536 bytes
        String value = "{\"engine\":\"mysql\",\"host\":\"h\",\"username\":\"u\",\"password\":\"p4ssword\","
                + "\"notes\":\"" + "€".repeat(21_846) + "\"}";

        assertThatThrownBy(() -> DatabaseSecret.parse(value)).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("more than the 65536 Secrets Manager stores");
    }

    @Test
    void withCredentials_changes_only_the_username_and_password() {
        // given
        DatabaseSecret secret = DatabaseSecret.parse(FULL);

        // when
        DatabaseSecret changed = secret.withCredentials("app_clone", "N3w-value");

        // then
        Map<String, JsonNode> before = JsonNode.parser().parse(secret.toJson()).asObject();
        Map<String, JsonNode> after = JsonNode.parser().parse(changed.toJson()).asObject();
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        assertThat(after.get("username").asString()).isEqualTo("app_clone");
        assertThat(after.get("password").asString()).isEqualTo("N3w-value");
        before.keySet().stream().filter(key -> !key.equals("username") && !key.equals("password"))
                .forEach(key -> assertThat(after.get(key)).as(key).isEqualTo(before.get(key)));
        assertThat(changed.username()).isEqualTo("app_clone");
        assertThat(changed.password()).isEqualTo("N3w-value");
        assertThat(secret.password()).isEqualTo("S3cret-value");
        assertThat(changed.toJson()).contains("\"n\":1.50");
    }

    @Test
    void toJson_of_an_unchanged_secret_gives_back_the_same_json() {
        assertThat(JsonNode.parser().parse(DatabaseSecret.parse(FULL).toJson()))
                .isEqualTo(JsonNode.parser().parse(FULL));
    }

    @Test
    void toString_hides_the_password_and_shows_the_key_names() {
        // when
        String text = DatabaseSecret.parse(FULL).withCredentials("app_clone", "N3w-value").toString();

        // then
        assertThat(text).doesNotContain("S3cret-value", "N3w-value")
                .contains("password=****", "username=app_clone", "host=db.example.com", "dbClusterIdentifier");
    }
}

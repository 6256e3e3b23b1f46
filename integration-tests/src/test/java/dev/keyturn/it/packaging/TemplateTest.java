package dev.keyturn.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ties template.yaml to the artifacts: every function the template deploys is one the packaging
 * tests build and run, and each is deployed as a rotation function should be.
 */
class TemplateTest {
    private final SamTemplate template = Repository.template();

    @Test
    void every_function_in_the_template_should_be_a_tested_artifact() {
        // given
        List<String> tested = Arrays.stream(LambdaArtifact.values())
                .map(artifact -> artifact.functionId)
                .collect(Collectors.toList());

        // when
        List<String> deployed = template.resourcesOfType(SamTemplate.FUNCTION_TYPE);

        // then
        assertThat(deployed).containsExactlyInAnyOrderElementsOf(tested);
    }

    @Test
    void functions_should_run_java_21_on_arm64_with_snapstart_and_json_logs() {
        // given
        Map<String, Object> globals = template.functionGlobals();

        // when
        Map<String, String> environment = template.defaultEnvironment();

        // then
        assertThat(globals)
                .containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("MemorySize", 256)
                .containsEntry("Timeout", 60)
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsKey("AutoPublishAlias");
        assertThat(SamTemplate.map(globals, "LoggingConfig")).containsEntry("LogFormat", "JSON");
        assertThat(environment)
                .containsEntry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1")
                .containsEntry("ROTATION_STRATEGY", "single-user")
                .containsEntry("TLS_DEFAULT", "required");
    }

    @ParameterizedTest
    @EnumSource(LambdaArtifact.class)
    void function_should_log_to_its_own_group_with_retention(LambdaArtifact artifact) {
        // given
        Map<String, Object> logging = SamTemplate.map(template.functionProperties(artifact.functionId),
                "LoggingConfig");

        // when
        String group = (String) SamTemplate.asMap(logging.get("LogGroup")).get("Ref");

        // then
        assertThat(template.resource(group)).containsEntry("Type", "AWS::Logs::LogGroup");
        assertThat(SamTemplate.map(template.resource(group), "Properties")).containsKey("RetentionInDays");
    }

    @ParameterizedTest
    @EnumSource(LambdaArtifact.class)
    void only_secrets_manager_of_the_same_account_should_invoke_the_function_alias(LambdaArtifact artifact) {
        // given
        Map<String, Object> alias = Map.of("Ref", artifact.functionId + ".Alias");

        // when
        List<Map<String, Object>> permissions = template.resourcesOfType("AWS::Lambda::Permission").stream()
                .map(id -> SamTemplate.map(template.resource(id), "Properties"))
                .filter(properties -> alias.equals(properties.get("FunctionName")))
                .collect(Collectors.toList());

        // then
        assertThat(permissions).singleElement().satisfies(permission -> assertThat(permission)
                .containsEntry("Principal", "secretsmanager.amazonaws.com")
                .containsEntry("Action", "lambda:InvokeFunction")
                .containsEntry("SourceAccount", Map.of("Ref", "AWS::AccountId")));
    }
}

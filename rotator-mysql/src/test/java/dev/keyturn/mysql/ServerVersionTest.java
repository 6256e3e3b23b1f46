package dev.keyturn.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void parse_should_read_mysql_versions_with_and_without_suffixes() {
        assertThat(ServerVersion.parse("8.0.36")).isEqualTo(new ServerVersion(false, 8, 0, 36));
        assertThat(ServerVersion.parse("5.7.44-log")).isEqualTo(new ServerVersion(false, 5, 7, 44));
        assertThat(ServerVersion.parse("8.4.3")).isEqualTo(new ServerVersion(false, 8, 4, 3));
    }

    @Test
    void parse_should_recognise_mariadb() {
        assertThat(ServerVersion.parse("10.11.19-MariaDB-0+deb12u1")).isEqualTo(new ServerVersion(true, 10, 11, 19));
        assertThat(ServerVersion.parse("11.4.2-MariaDB-log").mariaDb()).isTrue();
    }

    @Test
    void the_current_password_is_verified_from_mysql_8_0_13_only() {
        assertThat(ServerVersion.parse("8.0.12").verifiesCurrentPassword()).isFalse();
        assertThat(ServerVersion.parse("8.0.13").verifiesCurrentPassword()).isTrue();
        assertThat(ServerVersion.parse("8.4.0").verifiesCurrentPassword()).isTrue();
        assertThat(ServerVersion.parse("5.7.44").verifiesCurrentPassword()).isFalse();
        assertThat(ServerVersion.parse("10.11.6-MariaDB").verifiesCurrentPassword()).isFalse();
    }

    @Test
    void default_roles_are_read_from_the_table_on_mysql_8_only() {
        assertThat(ServerVersion.parse("8.0.11").keepsDefaultRolesInTable()).isTrue();
        assertThat(ServerVersion.parse("5.7.44").keepsDefaultRolesInTable()).isFalse();
        assertThat(ServerVersion.parse("11.4.2-MariaDB").keepsDefaultRolesInTable()).isFalse();
    }

    @Test
    void parse_should_fall_back_to_the_oldest_forms_for_an_unreadable_version() {
        ServerVersion unknown = ServerVersion.parse("unknown");

        assertThat(unknown.verifiesCurrentPassword()).isFalse();
        assertThat(unknown.keepsDefaultRolesInTable()).isFalse();
    }
}

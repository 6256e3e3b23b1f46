package dev.keyturn.mysql;

/**
 * One thing {@code SHOW GRANTS} says an account holds, at the finest grain the server keeps it:
 * one privilege on one object (a column privilege names one column), one role, one partial
 * revoke, or one default role. Each knows the statement that gives it to an account and the one
 * that takes it away.
 *
 * <p>The privilege, object and role texts are copied from the server's own output, in which the
 * server has already quoted every identifier, so they are used as they are. The account is written
 * as two backtick-quoted identifiers rather than bound as values: a statement that carries
 * server-printed identifiers must not go through a driver's placeholder scanner, which can misread
 * them (Connector/J takes a backslash before a closing backtick for an escape). Inside backticks
 * only the backtick itself needs doubling, whatever the session's sql_mode, so no character of a
 * user or host name can end the identifier.
 *
 * @param kind what sort of grant this is
 * @param privilege the privilege ({@code SELECT}, {@code SELECT (`col`)}, {@code PROXY}), or the
 *     role for {@link Kind#ROLE} and {@link Kind#DEFAULT_ROLE}
 * @param object what the privilege is on ({@code `db`.*}, {@code PROCEDURE `db`.`p`}); empty for roles
 * @param withOption whether it carries {@code WITH GRANT OPTION}, or {@code WITH ADMIN OPTION} for a role
 */
record Grant(Kind kind, String privilege, String object, boolean withOption) {

    enum Kind {
        /** {@code GRANT privilege ON object TO account}. */
        PRIVILEGE,
        /** {@code GRANT role TO account}. */
        ROLE,
        /** MySQL 8's partial revoke: {@code REVOKE privilege ON schema.* FROM account} under a global grant. */
        PARTIAL_REVOKE,
        /** MariaDB's {@code SET DEFAULT ROLE role FOR account}, which it lists among the grants. */
        DEFAULT_ROLE
    }

    /** An account as bound values, for statements whose text is entirely the function's own. */
    static final String ACCOUNT = "?@?";

    /** {@code `user`@`host`}, for statements that carry identifiers the server printed. */
    static String quotedAccount(String user, String host) {
        return quotedIdentifier(user) + "@" + quotedIdentifier(host);
    }

    private static String quotedIdentifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** The statement that gives this grant to {@code account}. */
    String additionSql(String account) {
        switch (kind) {
            case PRIVILEGE:
                return "GRANT " + privilege + " ON " + object + " TO " + account
                        + (withOption ? " WITH GRANT OPTION" : "");
            case ROLE:
                return "GRANT " + privilege + " TO " + account + (withOption ? " WITH ADMIN OPTION" : "");
            case PARTIAL_REVOKE:
                return "REVOKE " + privilege + " ON " + object + " FROM " + account;
            default:
                return "SET DEFAULT ROLE " + privilege + " FOR " + account;
        }
    }

    /** The statement that takes this grant away from {@code account}. */
    String removalSql(String account) {
        switch (kind) {
            case PRIVILEGE:
                return "REVOKE " + privilege + " ON " + object + " FROM " + account;
            case ROLE:
                return "REVOKE " + privilege + " FROM " + account;
            case PARTIAL_REVOKE:
                // granting at the schema level lifts a partial revoke of a globally held privilege
                return "GRANT " + privilege + " ON " + object + " TO " + account;
            default:
                return "SET DEFAULT ROLE NONE FOR " + account;
        }
    }

    /** Whether this grant's option is the per-object {@code GRANT OPTION} privilege. */
    boolean carriesObjectGrantOption() {
        return kind == Kind.PRIVILEGE && withOption && !privilege.equals("PROXY");
    }
}

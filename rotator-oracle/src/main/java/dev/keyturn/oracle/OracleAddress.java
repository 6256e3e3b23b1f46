package dev.keyturn.oracle;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.InvalidSecretException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The connect descriptor for one connection, built from the secret's host, port and either its
 * {@code sid} key or its {@code dbname} key (the service name). A descriptor is parsed for
 * parentheses and equals signs, so every value is checked against what such names can hold; one that
 * could change the descriptor's structure is refused, never escaped.
 */
final class OracleAddress {
    /** The secret key that names a SID; without it, {@code dbname} is the service name. */
    static final String SID_KEY = "sid";

    /** Host names, IPv4 and IPv6 addresses. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:-]+");
    /** Service names are database domain style: letters, digits and a few marks. */
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9._$#-]+");
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9_$#]+");

    private OracleAddress() {
    }

    /** {@code (DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=...)(PORT=...))(CONNECT_DATA=(SERVICE_NAME=...)))}. */
    static String descriptor(ConnectionRequest request) {
        String host = checked("host", request.host(), HOST);
        return "(DESCRIPTION=(ADDRESS=(PROTOCOL=" + (request.useTls() ? "TCPS" : "TCP") + ")(HOST=" + host
                + ")(PORT=" + request.port() + "))(CONNECT_DATA=(" + connectData(request) + ")))";
    }

    private static String connectData(ConnectionRequest request) {
        Optional<String> sid = request.attribute(SID_KEY);
        if (sid.isPresent()) {
            return "SID=" + checked(SID_KEY, sid.get(), SID);
        }
        String service = request.dbname().filter(name -> !name.isBlank()).orElseThrow(() ->
                new InvalidSecretException("the secret names no database: Oracle needs its service name in "
                        + "'dbname', or a SID in 'sid'. Add one of the two keys."));
        return "SERVICE_NAME=" + checked("dbname", service, SERVICE_NAME);
    }

    private static String checked(String key, String value, Pattern allowed) {
        if (!allowed.matcher(value).matches()) {
            throw new InvalidSecretException("the secret's '" + key + "' is '" + value + "', which has characters "
                    + "an Oracle " + key + " cannot have (allowed: " + allowed.pattern() + "). Correct the key.");
        }
        return value;
    }
}

package io.courier.persistence;

import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * A comma-separated list of {@code host:port} addresses, as the contact-point keys take them (a
 * string, so an environment variable can set it). Used for Cassandra's contact points and for
 * the cluster's config discovery.
 */
public final class HostPorts {

    private HostPorts() {
    }

    /** The entries of {@code list}, blanks skipped; one that is not host:port is an error naming {@code key}. */
    public static List<String> parse(String list, String key) {
        List<String> points = new ArrayList<>();
        for (String entry : list.split(",")) {
            String point = entry.strip();
            if (point.isEmpty()) {
                continue;
            }
            int colon = point.lastIndexOf(':');
            if (colon <= 0 || !point.substring(colon + 1).matches("\\d{1,5}")) {
                throw new ConfigException.BadValue(key, "'" + point + "' is not host:port");
            }
            points.add(point);
        }
        return List.copyOf(points);
    }

    public static String host(String point) {
        return point.substring(0, point.lastIndexOf(':'));
    }

    public static int port(String point) {
        return Integer.parseInt(point.substring(point.lastIndexOf(':') + 1));
    }
}

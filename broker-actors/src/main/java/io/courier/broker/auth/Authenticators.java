package io.courier.broker.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The enhanced authentication methods this broker offers, by method name: the built-in
 * SCRAM-SHA-256 when {@code courier.auth.scram-sha-256.users} names anyone, and every class in
 * {@code courier.auth.enhanced-authenticators}. Immutable once built.
 */
public final class Authenticators {

    /** No enhanced authentication: a CONNECT with an Authentication Method gets 0x8C. */
    public static final Authenticators NONE = new Authenticators(List.of());

    private final Map<String, EnhancedAuthenticator> byMethod = new LinkedHashMap<>();

    public Authenticators(List<EnhancedAuthenticator> authenticators) {
        for (EnhancedAuthenticator a : authenticators) {
            if (byMethod.putIfAbsent(a.method(), a) != null) {
                throw new IllegalArgumentException("two authenticators for method " + a.method());
            }
        }
    }

    /** What {@code courier.auth} configures; errors name the key at fault. */
    public static Authenticators fromConfig(Config root) {
        List<EnhancedAuthenticator> list = new java.util.ArrayList<>();
        ScramSha256Authenticator scram = ScramSha256Authenticator.fromConfig(root);
        if (scram.hasUsers()) {
            list.add(scram);
        }
        String key = "courier.auth.enhanced-authenticators";
        for (String className : root.getStringList(key)) {
            list.add(load(key, className, root));
        }
        return new Authenticators(list);
    }

    private static EnhancedAuthenticator load(String key, String className, Config root) {
        try {
            Class<?> type = Class.forName(className);
            if (!EnhancedAuthenticator.class.isAssignableFrom(type)) {
                throw new ConfigException.BadValue(key, className + " does not implement " + EnhancedAuthenticator.class.getName());
            }
            return (EnhancedAuthenticator) type.getConstructor(Config.class).newInstance(root);
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new ConfigException.BadValue(key, className + ": no such class with a public (Config) constructor", e);
        } catch (InvocationTargetException e) {
            throw new ConfigException.BadValue(key, className + " failed to start: " + e.getCause(), e.getCause());
        }
    }

    /** The method names offered, for the engine ({@code EngineSettings.authenticationMethods}). */
    public Set<String> methods() {
        return Set.copyOf(byMethod.keySet());
    }

    /** The authenticator of {@code method}, or null. */
    public EnhancedAuthenticator forMethod(String method) {
        return byMethod.get(method);
    }
}

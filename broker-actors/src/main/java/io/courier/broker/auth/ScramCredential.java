package io.courier.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the server keeps of a SCRAM-SHA-256 user (RFC 5802 section 3, RFC 7677): the salt, the
 * iteration count, StoredKey = H(HMAC(SaltedPassword, "Client Key")) and ServerKey =
 * HMAC(SaltedPassword, "Server Key"). Neither the password nor SaltedPassword is kept: StoredKey
 * checks a client's proof, ServerKey signs the server's final message, and neither lets anyone
 * log in (RFC 5802 section 9).
 *
 * <p>Written as PostgreSQL writes its SCRAM verifiers, one line a user:
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (Base64), made by
 * {@code bin/courier scram-entry <user>}.
 */
public record ScramCredential(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    /** RFC 7677 section 4: at least 4096 iterations. */
    public static final int MIN_ITERATIONS = 4096;
    private static final String PREFIX = "SCRAM-SHA-256$";
    private static final int KEY_BYTES = 32;

    public ScramCredential {
        if (iterations < 1) {
            throw new IllegalArgumentException("iteration count must be positive: " + iterations);
        }
        if (salt.length == 0 || storedKey.length != KEY_BYTES || serverKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a salt and two 32-byte keys are needed");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** Parses an entry; the message says what is wrong, never what the entry holds. */
    public static ScramCredential parse(String entry) {
        if (!entry.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 entry (must start with " + PREFIX + ")");
        }
        String[] halves = entry.substring(PREFIX.length()).split("\\$", -1);
        if (halves.length != 2) {
            throw new IllegalArgumentException("expected <iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        String[] left = halves[0].split(":", -1);
        String[] right = halves[1].split(":", -1);
        if (left.length != 2 || right.length != 2) {
            throw new IllegalArgumentException("expected <iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return new ScramCredential(Integer.parseInt(left[0]), b64.decode(left[1]), b64.decode(right[0]),
                    b64.decode(right[1]));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("bad iteration count, Base64 or key length: " + e.getMessage(), e);
        }
    }

    /** Derives the entry for {@code password} with a fresh random 16-byte salt. */
    public static ScramCredential create(char[] password, int iterations) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return derive(password, salt, iterations);
    }

    /** Hi(password, salt, i) of RFC 5802 is PBKDF2 with HMAC-SHA-256; the password is taken as UTF-8. */
    public static ScramCredential derive(char[] password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password, salt, iterations, KEY_BYTES * 8)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
            return new ScramCredential(iterations, salt, sha256(clientKey),
                    hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
        }
    }

    /** The entry, as {@link #parse} reads it. */
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredential c && iterations == c.iterations && MessageDigest.isEqual(salt, c.salt)
                && MessageDigest.isEqual(storedKey, c.storedKey) && MessageDigest.isEqual(serverKey, c.serverKey);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(salt) * 31 + iterations;
    }

    @Override
    public String toString() {
        return "ScramCredential[iterations=" + iterations + "]"; // keys stay out of logs
    }
}

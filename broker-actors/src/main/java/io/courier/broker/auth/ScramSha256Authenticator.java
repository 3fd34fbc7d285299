package io.courier.broker.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.courier.protocol.engine.AuthVerdict;
import io.courier.protocol.packet.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The built-in SCRAM-SHA-256 method (RFC 5802, RFC 7677) over MQTT 5 enhanced authentication:
 *
 * <pre>
 * CONNECT  Authentication Data = client-first-message   n,,n=user,r=cnonce
 * AUTH 0x18 (server)           = server-first-message   r=cnonce+snonce,s=salt,i=4096
 * AUTH 0x18 (client)           = client-final-message   c=biws,r=cnonce+snonce,p=proof
 * CONNACK 0x00                 = server-final-message   v=server signature
 * </pre>
 *
 * Users come from {@code courier.auth.scram-sha-256.users} as {@link ScramCredential} entries.
 * A wrong proof or an unknown user is 0x86 Bad User Name or Password; an unknown user goes
 * through the same exchange with a made-up salt (RFC 5802 section 5.1), so the answers do not
 * tell which users exist. A message that is not SCRAM, asks for channel binding (Courier's TCP
 * listener has none to bind) or names an authorization identity is 0x87 Not authorized. User
 * names are compared as sent (no SASLprep), passwords taken as UTF-8.
 */
public final class ScramSha256Authenticator implements EnhancedAuthenticator {

    public static final String METHOD = "SCRAM-SHA-256";
    private static final String USERS_KEY = "courier.auth.scram-sha-256.users";

    private final Map<String, ScramCredential> users;
    private final SecureRandom random = new SecureRandom();
    /** Keys the made-up salts of unknown users, so one name always gets the same salt. */
    private final byte[] decoySecret = new byte[32];

    public ScramSha256Authenticator(Map<String, ScramCredential> users) {
        this.users = Map.copyOf(users);
        random.nextBytes(decoySecret);
    }

    /** The users of {@code courier.auth.scram-sha-256.users}; a bad entry is an error naming its key. */
    public static ScramSha256Authenticator fromConfig(Config root) {
        Map<String, ScramCredential> users = new HashMap<>();
        for (Map.Entry<String, ConfigValue> e : root.getObject(USERS_KEY).entrySet()) {
            String path = USERS_KEY + ".\"" + e.getKey() + "\"";
            if (e.getValue().valueType() != ConfigValueType.STRING) {
                throw new ConfigException.WrongType(e.getValue().origin(), path, "STRING", e.getValue().valueType().name());
            }
            try {
                users.put(e.getKey(), ScramCredential.parse((String) e.getValue().unwrapped()));
            } catch (IllegalArgumentException bad) {
                throw new ConfigException.BadValue(e.getValue().origin(), path, bad.getMessage()
                        + " (make entries with: bin/courier scram-entry <user>)");
            }
        }
        return new ScramSha256Authenticator(users);
    }

    boolean hasUsers() {
        return !users.isEmpty();
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public AuthExchange begin(String clientId, boolean reauthentication) {
        return new Exchange();
    }

    /** One conversation: client-first, then client-final, then nothing more. */
    private final class Exchange implements AuthExchange {
        private String gs2Header;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;
        private ScramCredential credential;
        private boolean knownUser;
        private boolean finished;

        @Override
        public CompletionStage<AuthVerdict> step(byte[] clientData) {
            AuthVerdict verdict;
            try {
                if (finished) {
                    verdict = refuse(ReasonCode.NOT_AUTHORIZED, "SCRAM exchange already finished");
                } else if (clientFirstBare == null) {
                    verdict = clientFirst(text(clientData));
                } else {
                    finished = true;
                    verdict = clientFinal(text(clientData));
                }
            } catch (IllegalArgumentException malformed) {
                finished = true;
                verdict = refuse(ReasonCode.NOT_AUTHORIZED, "malformed SCRAM message: " + malformed.getMessage());
            }
            return CompletableFuture.completedFuture(verdict);
        }

        private AuthVerdict clientFirst(String message) {
            // gs2-header: "n" (no channel binding) or "y" (client could, thinks we cannot), no authzid.
            if (message.startsWith("p=")) {
                return refuse(ReasonCode.NOT_AUTHORIZED, "channel binding is not supported");
            }
            if (!message.startsWith("n,,") && !message.startsWith("y,,")) {
                throw new IllegalArgumentException("gs2 header must be n,, or y,, (no authorization identity)");
            }
            gs2Header = message.substring(0, 3);
            clientFirstBare = message.substring(3);
            String[] attrs = clientFirstBare.split(",", -1);
            if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=") || attrs[1].length() < 3) {
                throw new IllegalArgumentException("client-first-message-bare must be n=<user>,r=<nonce>");
            }
            String user = saslName(attrs[0].substring(2));
            String clientNonce = attrs[1].substring(2);
            ScramCredential found = users.get(user);
            knownUser = found != null;
            credential = knownUser ? found : decoy(user);
            byte[] serverNonce = new byte[18];
            random.nextBytes(serverNonce);
            nonce = clientNonce + Base64.getEncoder().encodeToString(serverNonce);
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                    + ",i=" + credential.iterations();
            return new AuthVerdict.Continue(serverFirst.getBytes(StandardCharsets.UTF_8));
        }

        private AuthVerdict clientFinal(String message) {
            int proofAt = message.lastIndexOf(",p=");
            if (proofAt < 0) {
                throw new IllegalArgumentException("client-final-message has no proof");
            }
            String withoutProof = message.substring(0, proofAt);
            String[] attrs = withoutProof.split(",", -1);
            if (attrs.length < 2 || !attrs[0].startsWith("c=") || !attrs[1].startsWith("r=")) {
                throw new IllegalArgumentException("client-final-message must be c=...,r=...,p=...");
            }
            String binding = new String(Base64.getDecoder().decode(attrs[0].substring(2)), StandardCharsets.UTF_8);
            if (!binding.equals(gs2Header)) {
                return refuse(ReasonCode.NOT_AUTHORIZED, "channel binding data differs from the gs2 header");
            }
            if (!attrs[1].substring(2).equals(nonce)) {
                return refuse(ReasonCode.NOT_AUTHORIZED, "nonce differs from the server's");
            }
            byte[] proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
            byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
            byte[] clientSignature = ScramCredential.hmac(credential.storedKey(), authMessage);
            if (proof.length != clientSignature.length) {
                return refuse(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong proof");
            }
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            boolean proven = MessageDigest.isEqual(ScramCredential.sha256(clientKey), credential.storedKey());
            if (!proven || !knownUser) {
                return refuse(ReasonCode.BAD_USER_NAME_OR_PASSWORD, knownUser ? "wrong proof" : "unknown user");
            }
            byte[] serverSignature = ScramCredential.hmac(credential.serverKey(), authMessage);
            return new AuthVerdict.Success(("v=" + Base64.getEncoder().encodeToString(serverSignature))
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A credential for a user that does not exist: stable salt, keys nobody can match. */
    private ScramCredential decoy(String user) {
        byte[] salt = java.util.Arrays.copyOf(ScramCredential.hmac(decoySecret, user.getBytes(StandardCharsets.UTF_8)), 16);
        byte[] key = ScramCredential.hmac(decoySecret, salt);
        return new ScramCredential(ScramCredential.MIN_ITERATIONS, salt, key, key);
    }

    private static AuthVerdict refuse(ReasonCode code, String why) {
        return new AuthVerdict.Failure(code, why);
    }

    private static String text(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("no Authentication Data");
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    /** RFC 5802 saslname: "=2C" is ',' and "=3D" is '='; any other '=' is malformed. */
    private static String saslName(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch != '=') {
                out.append(ch);
            } else if (raw.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else if (raw.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else {
                throw new IllegalArgumentException("bad escape in user name");
            }
        }
        return out.toString();
    }
}

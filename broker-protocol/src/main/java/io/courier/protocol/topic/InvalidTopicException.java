package io.courier.protocol.topic;

/**
 * A topic name, topic filter or shared subscription filter broke a rule of the MQTT
 * specification. The message names the rule and cites its statement id, so the engine can log
 * it and pick the reason code (v5: Topic Name invalid 0x90 on PUBLISH, Topic Filter invalid 0x8F
 * on SUBSCRIBE; v3: close the connection).
 */
public final class InvalidTopicException extends IllegalArgumentException {

    public InvalidTopicException(String message) {
        super(message);
    }
}

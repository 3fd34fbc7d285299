package io.courier.protocol.index;

import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.Random;

/**
 * Random names and filters over a small alphabet of levels, so that random filters and names
 * often meet. The alphabet has empty levels and {@code $} levels, which is where matching rules
 * are easiest to get wrong.
 */
final class RandomTopics {

    private static final String[] LEVELS = {"a", "b", "c", "", "$SYS", "$q", "ab"};
    private static final String[] SHARE_NAMES = {"g1", "g2"};

    private final Random random;

    RandomTopics(Random random) {
        this.random = random;
    }

    TopicName name() {
        String text;
        do {
            text = nameText();
        } while (text.isEmpty()); // one empty level: not a valid name
        return new TopicName(text);
    }

    private String nameText() {
        int levels = 1 + random.nextInt(4);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                text.append('/');
            }
            text.append(LEVELS[random.nextInt(LEVELS.length)]);
        }
        return text.toString();
    }

    TopicFilter filter() {
        String text;
        do {
            text = filterText();
        } while (text.isEmpty());
        return new TopicFilter(text);
    }

    private String filterText() {
        int levels = 1 + random.nextInt(4);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                text.append('/');
            }
            int roll = random.nextInt(10);
            if (i == levels - 1 && roll == 0) {
                text.append('#');
            } else if (roll <= 2) {
                text.append('+');
            } else {
                text.append(LEVELS[random.nextInt(LEVELS.length)]);
            }
        }
        return text.toString();
    }

    SharedFilter sharedFilter() {
        return new SharedFilter(SHARE_NAMES[random.nextInt(SHARE_NAMES.length)], filter());
    }

    String key(int keys) {
        return "c" + random.nextInt(keys);
    }
}

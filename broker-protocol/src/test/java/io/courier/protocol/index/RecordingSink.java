package io.courier.protocol.index;

import io.courier.protocol.topic.TopicFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Writes every reported subscription as one line, so a match compares as a sorted list. */
final class RecordingSink implements MatchSink<String, Integer> {

    private final List<String> lines = new ArrayList<>();

    @Override
    public void subscriber(String key, Integer value) {
        lines.add(plainLine(key, value));
    }

    @Override
    public void sharedGroup(String shareName, TopicFilter filter, GroupMembers<String, Integer> members) {
        if (members.size() == 0) {
            throw new AssertionError("a reported group must have members: " + shareName + " " + filter);
        }
        List<String> memberLines = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            memberLines.add(plainLine(members.key(i), members.value(i)));
        }
        lines.add(groupLine(shareName, filter, memberLines));
    }

    static String plainLine(String key, Integer value) {
        return key + "=" + value;
    }

    static String groupLine(String shareName, TopicFilter filter, List<String> memberLines) {
        List<String> sorted = new ArrayList<>(memberLines);
        Collections.sort(sorted);
        return "$share/" + shareName + "/" + filter.value() + " " + sorted;
    }

    List<String> sorted() {
        List<String> sorted = new ArrayList<>(lines);
        Collections.sort(sorted);
        return sorted;
    }
}

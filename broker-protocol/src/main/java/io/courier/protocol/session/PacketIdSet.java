package io.courier.protocol.session;

import java.util.Arrays;

/**
 * A set of packet identifiers 1..65535 as a paged bitset.
 *
 * <p>A flat bitset of the whole id space costs 8 KB, and every live session holds two of these
 * (outbound ids in use, inbound QoS 2 receipts) while it normally uses a handful of ids at a
 * time. So the 64 pages of 1,024 ids each are allocated when an id in them is first added and
 * dropped again when they empty: a session with a few ids in flight holds one or two 128-byte
 * pages. A 64-bit mask marks the pages that are full, so a search skips each full page in one
 * step: {@link #nextAbsentFrom(int)} reads at most 64 page slots and 16 words, however many ids
 * are present.
 *
 * <p>Empty pages are always dropped, so equal sets have the same layout and {@code equals} can
 * compare page by page.
 */
final class PacketIdSet {

    static final int MAX_ID = 0xFFFF;

    private static final int PAGES = 64;
    private static final int WORDS_PER_PAGE = 16;
    private static final int IDS_PER_PAGE = WORDS_PER_PAGE * 64;

    private final long[][] pages;
    private long fullPages;
    private int size;

    PacketIdSet() {
        this.pages = new long[PAGES][];
    }

    private PacketIdSet(PacketIdSet other) {
        this.pages = new long[PAGES][];
        for (int p = 0; p < PAGES; p++) {
            if (other.pages[p] != null) {
                pages[p] = other.pages[p].clone();
            }
        }
        this.fullPages = other.fullPages;
        this.size = other.size;
    }

    /** An independent copy. */
    PacketIdSet copy() {
        return new PacketIdSet(this);
    }

    static void check(int id) {
        if (id < 1 || id > MAX_ID) {
            throw new IllegalArgumentException("packet identifier out of range 1..65535: " + id);
        }
    }

    int size() {
        return size;
    }

    boolean contains(int id) {
        check(id);
        long[] page = pages[id >>> 10];
        return page != null && (page[(id >>> 6) & 15] & (1L << id)) != 0;
    }

    /** Adds the id; true if it was absent. */
    boolean add(int id) {
        check(id);
        int p = id >>> 10;
        long[] page = pages[p];
        if (page == null) {
            page = new long[WORDS_PER_PAGE];
            pages[p] = page;
        }
        int w = (id >>> 6) & 15;
        long bit = 1L << id;
        if ((page[w] & bit) != 0) {
            return false;
        }
        page[w] |= bit;
        size++;
        if (page[w] == fullWord(p, w) && isFull(p, page)) {
            fullPages |= 1L << p;
        }
        return true;
    }

    /** Removes the id; true if it was present. */
    boolean remove(int id) {
        check(id);
        int p = id >>> 10;
        long[] page = pages[p];
        int w = (id >>> 6) & 15;
        long bit = 1L << id;
        if (page == null || (page[w] & bit) == 0) {
            return false;
        }
        page[w] &= ~bit;
        size--;
        fullPages &= ~(1L << p);
        if (page[w] == 0 && isEmpty(page)) {
            pages[p] = null;
        }
        return true;
    }

    /**
     * The smallest id at or after {@code from} (1..65535) that is not in the set, or -1 when
     * every id from there to 65535 is present. Callers wrap around themselves.
     */
    int nextAbsentFrom(int from) {
        check(from);
        int firstPage = from >>> 10;
        for (int p = firstPage; p < PAGES; p++) {
            if ((fullPages & (1L << p)) != 0) {
                continue;
            }
            int start = p == firstPage ? from : p * IDS_PER_PAGE;
            long[] page = pages[p];
            if (page == null) {
                return start;
            }
            for (int w = (start >>> 6) & 15; w < WORDS_PER_PAGE; w++) {
                long absent = ~page[w];
                if (p == firstPage && w == ((from >>> 6) & 15)) {
                    absent &= -1L << from; // only bits at or after `from` (shift uses from & 63)
                }
                if (absent != 0) {
                    return p * IDS_PER_PAGE + w * 64 + Long.numberOfTrailingZeros(absent);
                }
            }
        }
        return -1;
    }

    /** Id 0 is not an identifier, so the first word of page 0 is full without bit 0. */
    private static long fullWord(int page, int word) {
        return page == 0 && word == 0 ? ~1L : -1L;
    }

    private static boolean isFull(int p, long[] page) {
        for (int w = 0; w < WORDS_PER_PAGE; w++) {
            if (page[w] != fullWord(p, w)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmpty(long[] page) {
        for (long word : page) {
            if (word != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketIdSet other && size == other.size && Arrays.deepEquals(pages, other.pages);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(pages);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        int shown = 0;
        for (int id = 1; id <= MAX_ID && shown < size && shown < 16; id++) {
            if (contains(id)) {
                sb.append(shown++ == 0 ? "" : ", ").append(id);
            }
        }
        return sb.append(size > shown ? ", ... (" + size + " ids)]" : "]").toString();
    }
}

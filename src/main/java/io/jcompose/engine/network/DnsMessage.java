package io.jcompose.engine.network;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The little of RFC 1035 the responder needs: a query's header and first question, and answers with A records.
 * Everything it does not answer itself is forwarded as raw bytes, so no other record type is ever encoded here.
 */
record DnsMessage(int id, int flags, String name, int qtype, int qclass, int questionEnd) {
    static final int TYPE_A = 1;
    static final int TYPE_AAAA = 28;
    static final int TYPE_ANY = 255;
    static final int NOERROR = 0;
    static final int FORMERR = 1;
    static final int SERVFAIL = 2;
    static final int NXDOMAIN = 3;
    static final int NOTIMP = 4;

    /** Parses a query; null if it is not one we can read (a response, no question, a bad name). */
    static DnsMessage parseQuery(byte[] b, int len) {
        if (len < 12) return null;
        int id = u16(b, 0);
        int flags = u16(b, 2);
        if ((flags & 0x8000) != 0) return null; // a response, not a query
        if (u16(b, 4) < 1) return null;
        StringBuilder name = new StringBuilder();
        int p = 12;
        while (true) {
            if (p >= len) return null;
            int l = b[p] & 255;
            if (l == 0) {
                p++;
                break;
            }
            if ((l & 0xC0) != 0 || p + 1 + l > len) return null; // no compression in a question we accept
            if (name.length() > 0) name.append('.');
            name.append(new String(b, p + 1, l, StandardCharsets.ISO_8859_1));
            p += 1 + l;
            if (name.length() > 255) return null;
        }
        if (p + 4 > len) return null;
        return new DnsMessage(id, flags, name.toString().toLowerCase(Locale.ROOT), u16(b, p), u16(b, p + 2), p + 4);
    }

    int opcode() {
        return (flags >>> 11) & 15;
    }

    /**
     * An authoritative answer to this query: header, the question as asked ({@code query}'s bytes), and one A record
     * per address with {@code ttl}. No addresses and rcode NOERROR is NODATA: the name exists, not with this type.
     */
    byte[] answer(byte[] query, int rcode, List<InetAddress> addresses, int ttl) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(questionEnd + 16 * addresses.size());
        put16(o, id);
        int rd = flags & 0x0100;
        put16(o, 0x8000 | (flags & 0x7800) | 0x0400 /* AA */ | rd | 0x0080 /* RA */ | (rcode & 15));
        put16(o, 1);
        put16(o, addresses.size());
        put16(o, 0);
        put16(o, 0);
        o.write(query, 12, questionEnd - 12);
        for (InetAddress a : addresses) {
            put16(o, 0xC00C); // pointer to the question's name
            put16(o, TYPE_A);
            put16(o, 1);
            put16(o, (ttl >>> 16) & 0xFFFF);
            put16(o, ttl & 0xFFFF);
            put16(o, 4);
            o.writeBytes(a.getAddress());
        }
        return o.toByteArray();
    }

    /** A bare error answer (FORMERR/SERVFAIL/NOTIMP) that echoes the header's id and whatever question could be read. */
    static byte[] error(byte[] query, int len, int rcode) {
        byte[] r = new byte[12];
        if (len >= 2) {
            r[0] = query[0];
            r[1] = query[1];
        }
        int flags = len >= 4 ? u16(query, 2) : 0;
        int f = 0x8000 | (flags & 0x7900) | 0x0080 | (rcode & 15);
        r[2] = (byte) (f >>> 8);
        r[3] = (byte) f;
        return r;
    }

    /** A query for {@code name} (used by tests and by nothing in production but kept next to its parser). */
    static byte[] query(int id, String name, int qtype) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        put16(o, id);
        put16(o, 0x0100);
        put16(o, 1);
        put16(o, 0);
        put16(o, 0);
        put16(o, 0);
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.ISO_8859_1);
            o.write(l.length);
            o.writeBytes(l);
        }
        o.write(0);
        put16(o, qtype);
        put16(o, 1);
        return o.toByteArray();
    }

    static int rcodeOf(byte[] response) {
        return response[3] & 15;
    }

    static int answerCount(byte[] response) {
        return u16(response, 6);
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 255) << 8) | (b[p + 1] & 255);
    }

    private static void put16(ByteArrayOutputStream o, int v) {
        o.write((v >>> 8) & 255);
        o.write(v & 255);
    }
}

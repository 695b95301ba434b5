package io.jcompose.engine.network;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A UDP echo for tests (busybox nc has no UDP mode): answers "echo:" + the datagram. Prints "ready" once bound. */
public final class UdpEcho {
    public static void main(String[] args) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(Integer.parseInt(args[0])))) {
            System.out.println("ready");
            System.out.flush();
            byte[] buf = new byte[2048];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                byte[] a = ("echo:" + new String(buf, 0, p.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
            }
        }
    }
}

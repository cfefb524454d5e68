package org.mlflowharness.proc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.mlflowharness.model.StackException;

/** Loopback ports for the native stack. */
public final class Ports {

    private Ports() {}

    /** A port that is free on 127.0.0.1 right now. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** {@code requested} when it is free, a free one when it is 0; fails naming the component otherwise. */
    public static int claim(String component, int requested, String option) {
        if (requested == 0) {
            return free();
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), requested));
            return requested;
        } catch (IOException e) {
            throw new StackException(
                    component,
                    "port " + requested + " on 127.0.0.1 is already in use",
                    "stop what listens there, or pass " + option + " 0 to use a free port");
        }
    }
}

package org.mlflowharness.stack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The credentials model shared by every provider the harness starts: one Basic-auth user whose password is
 * generated per stack, written as an htpasswd line that nginx accepts ({SSHA}: salted SHA-1, no external tool).
 */
public final class Htpasswd {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Htpasswd() {}

    /** {@code user:{SSHA}base64(sha1(password + salt) + salt)}. */
    public static String line(String user, String password) {
        byte[] salt = new byte[8];
        RANDOM.nextBytes(salt);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            sha1.update(salt);
            byte[] digest = sha1.digest();
            byte[] both = new byte[digest.length + salt.length];
            System.arraycopy(digest, 0, both, 0, digest.length);
            System.arraycopy(salt, 0, both, digest.length, salt.length);
            return user + ":{SSHA}" + Base64.getEncoder().encodeToString(both) + "\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random secret of {@code bytes} bytes, hex encoded: passwords and S3 keys of a stack the harness starts. */
    public static String secret(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

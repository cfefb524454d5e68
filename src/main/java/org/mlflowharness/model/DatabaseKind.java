package org.mlflowharness.model;

/** {@code --database}: which database server the stack runs. */
public enum DatabaseKind {
    /** Real MySQL when it can be had (its root file system cached, or debootstrap and Debian's mirror at hand), else MariaDB. */
    AUTO,
    /** Oracle MySQL from Debian's packages, or an error naming how to get it. */
    MYSQL,
    /** MariaDB, the stand-in: a run on it is evidence about MariaDB, not MySQL. */
    MARIADB;

    public String id() {
        return name().toLowerCase();
    }
}

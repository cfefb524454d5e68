package org.mlflowharness.upgrade;

import java.util.List;
import java.util.Map;
import org.mlflowharness.upgrade.Manifest.Kind;

/** What a manifest is read from: a running stack ({@link StateReader}), or a fake in unit tests. */
interface ItemSource {

    /** One item, in its canonical form. */
    StateReader.Read read(Kind kind, String key);

    /** The first column of every row {@code sql} selects in MLflow's database. */
    List<String> column(String sql);

    /** Every table of MLflow's schema but alembic_version, with its row count. */
    Map<String, Long> tables();
}
